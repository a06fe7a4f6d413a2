// BuildKit JSONArgsRecommended, reported as BuildKit reports it.
import type { StaticCheck } from '../../types.js';
import { buildkitCheck } from './shared.js';

export const check: StaticCheck = buildkitCheck('JSONArgsRecommended');
