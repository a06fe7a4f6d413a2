// Every static check, listed explicitly: adding a rule means adding a line here.
import type { StaticCheck } from '../types.js';
import { dockerfileChecks } from './dockerfile/index.js';
import { check as registryLoginMissing } from './registry-login-missing.js';

export const ciChecks: StaticCheck[] = [
  registryLoginMissing,
];

export const allChecks: StaticCheck[] = [...ciChecks, ...dockerfileChecks];
