// Every static check, listed explicitly: adding a rule means adding a line here.
import type { StaticCheck } from '../types.js';
import { dockerfileChecks } from './dockerfile/index.js';
import { check as buildArgNotDeclared } from './build-arg-not-declared.js';
import { check as cacheFromNotPulled } from './cache-from-not-pulled.js';
import { check as ciConfigInvalid } from './ci-config-invalid.js';
import { check as ciVariableEmpty } from './ci-variable-empty.js';
import { check as ciYamlCoercedValue } from './ci-yaml-coerced-value.js';
import { check as ciYamlDuplicateKey } from './ci-yaml-duplicate-key.js';
import { check as ciYamlMergeShallow } from './ci-yaml-merge-shallow.js';
import { check as dindTlsMismatch } from './dind-tls-mismatch.js';
import { check as dindUnreachable } from './dind-unreachable.js';
import { check as dindVersionMismatch } from './dind-version-mismatch.js';
import { check as dockerCliMissing } from './docker-cli-missing.js';
import { check as dockerLoginPasswordArgv } from './docker-login-password-argv.js';
import { check as imageNameUppercase } from './image-name-uppercase.js';
import { check as imageTagBeforeSha } from './image-tag-before-sha.js';
import { check as imageTagRefName } from './image-tag-ref-name.js';
import { check as pagesPublicMissing } from './pages-public-missing.js';
import { check as registryLoginFailed } from './registry-login-failed.js';
import { check as registryLoginMissing } from './registry-login-missing.js';
import { check as registryPushTargetMismatch } from './registry-push-target-mismatch.js';

/** Checks over the CI configuration (and the builds it runs). */
export const ciChecks: StaticCheck[] = [
  ciConfigInvalid,
  ciYamlDuplicateKey,
  ciYamlMergeShallow,
  ciYamlCoercedValue,
  registryLoginMissing,
  registryLoginFailed,
  registryPushTargetMismatch,
  dockerLoginPasswordArgv,
  buildArgNotDeclared,
  imageTagRefName,
  imageNameUppercase,
  imageTagBeforeSha,
  dindUnreachable,
  dindTlsMismatch,
  dindVersionMismatch,
  cacheFromNotPulled,
  dockerCliMissing,
  ciVariableEmpty,
  pagesPublicMissing,
];

export const allChecks: StaticCheck[] = [...ciChecks, ...dockerfileChecks];
