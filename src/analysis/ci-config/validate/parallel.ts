// `parallel:` — a number of copies (1..200) or `matrix:` (at most 200 combinations).
import { isMap, isScalar, isSeq } from '../node.js';
import { where } from './schema.js';
import type { Schema } from './schema.js';
import { custom, fail, int, map, oneOf } from './schema.js';

export const MAX_PARALLEL = 200;

export const matrixEntries: Schema = custom('an array of hashes', (n, at, c) => {
  if (!isSeq(n)) return fail(c, 'invalid-type', at, 'config should be an array of hashes', where(n, c));
  if (n.items.length > MAX_PARALLEL) return fail(c, 'invalid-value', at, `config generates too many jobs (maximum is ${MAX_PARALLEL})`, where(n, c));
  let total = 0;
  for (const item of n.items) {
    if (item.kind === 'ref') continue;
    if (!isMap(item)) return fail(c, 'invalid-type', at, 'config should be an array of hashes', item.pos);
    if (item.entries.size === 0) return fail(c, 'invalid-value', at, 'config should not be empty', item.pos);
    let product = 1;
    for (const [k, e] of item.entries) {
      const v = e.value;
      if (isScalar(v) && v.value !== null) continue;
      if (isSeq(v) && v.items.length > 0 && v.items.every((i) => isScalar(i) && i.value !== null)) {
        product *= v.items.length;
        continue;
      }
      if (v.kind === 'ref') continue;
      return fail(c, 'invalid-type', `${at}:${k}`, 'config should be a string, a number or an array of them', v.pos);
    }
    total += product;
  }
  if (total > MAX_PARALLEL) fail(c, 'invalid-value', at, `config generates too many jobs (maximum is ${MAX_PARALLEL})`, where(n, c));
});

export const parallel: Schema = oneOf([int(1, MAX_PARALLEL), map({ keys: { matrix: matrixEntries }, required: ['matrix'] })], 'an integer or a hash');
/** A trigger job accepts only `parallel:matrix`. */
export const bridgeParallel: Schema = map({ keys: { matrix: matrixEntries }, required: ['matrix'] });
