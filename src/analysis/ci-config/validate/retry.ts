// `retry:` — 0..2, or `{max, when, exit_codes}` with GitLab's failure reasons.
import { isScalar, isSeq } from '../node.js';
import { where } from './schema.js';
import type { Schema } from './schema.js';
import { custom, fail, int, map, oneOf } from './schema.js';
import { exitCodes } from './common.js';

export const RETRY_WHEN = [
  'always', 'unknown_failure', 'script_failure', 'api_failure', 'stuck_or_timeout_failure', 'runner_system_failure',
  'runner_unsupported', 'stale_schedule', 'job_execution_timeout', 'archived_failure', 'unmet_prerequisites',
  'scheduler_failure', 'data_integrity_failure',
] as const;

const when = custom('a string or an array of strings', (n, at, c) => {
  const items = isSeq(n) ? n.items : [n];
  if (!items.every((i) => isScalar(i) && typeof i.value === 'string')) return fail(c, 'invalid-type', at, 'config should be a string or an array of strings', where(n, c));
  const unknown = items.map((i) => (isScalar(i) ? i.text : '')).filter((w) => !(RETRY_WHEN as readonly string[]).includes(w));
  // GitLab words this on the parent: "<job>:retry when unknown values: foo".
  if (unknown.length > 0) fail(c, 'invalid-value', at.replace(/:when$/, ''), `${isSeq(n) ? 'when contains' : 'when'} unknown values: ${unknown.join(', ')}`, where(n, c), { values: unknown });
});

export const retry: Schema = oneOf([
  int(0, 2),
  map({ keys: { max: int(0, 2), when, exit_codes: exitCodes } }),
], 'an integer or a hash');
