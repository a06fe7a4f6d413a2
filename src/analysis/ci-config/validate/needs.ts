// `needs:` — job names, `{job, artifacts, optional, parallel:matrix}`, cross-project and
// parent-pipeline needs, and a trigger job's `needs:pipeline`.
import { isMap, isScalar, isSeq } from '../node.js';
import { where } from './schema.js';
import type { Schema } from './schema.js';
import { arrayOf, bool, custom, fail, lazy, map, str } from './schema.js';
import { matrixEntries } from './parallel.js';

export const MAX_NEEDS = 50;

const jobNeed = map({
  keys: { job: str, artifacts: bool, optional: bool, parallel: map({ keys: { matrix: lazy(() => matrixEntries, 'a matrix') }, required: ['matrix'] }) },
  required: ['job'],
});
const crossNeed = map({ keys: { project: str, job: str, ref: str, artifacts: bool }, required: ['job', 'ref'] });
const pipelineNeed = map({ keys: { pipeline: str, job: str, artifacts: bool }, required: ['job'] });
const bridgeNeed = map({ keys: { pipeline: str } });

const need = custom('a string or a hash', (n, at, c) => {
  if (isScalar(n)) {
    if (typeof n.value !== 'string') fail(c, 'invalid-type', at, 'config should be a string or a hash', where(n, c));
    return;
  }
  if (!isMap(n)) return fail(c, 'invalid-type', at, 'config should be a string or a hash', where(n, c));
  if (n.entries.has('project')) return crossNeed.check(n, at, c);
  if (n.entries.has('pipeline')) return (n.entries.has('job') ? pipelineNeed : bridgeNeed).check(n, at, c);
  jobNeed.check(n, at, c);
});

export const needs: Schema = custom('an array of strings or hashes', (n, at, c) => {
  if (isScalar(n) && typeof n.value === 'string') return;
  if (isMap(n)) return need.check(n, at, c);
  if (!isSeq(n)) return fail(c, 'invalid-type', at, 'config should be an array of strings or hashes', where(n, c));
  if (n.items.length > MAX_NEEDS) fail(c, 'invalid-value', at, `config has too many entries (maximum ${MAX_NEEDS})`, where(n, c));
  arrayOf(need, { what: 'an array of strings or hashes' }).check(n, at, c);
});

export function lazyNeeds(): Schema {
  return lazy(() => needs, 'an array');
}
