// `cache:` — one hash or up to 4; key (string or files/prefix), paths, policy, when, fallback_keys.
import { isSeq } from '../node.js';
import { where } from './schema.js';
import type { Schema } from './schema.js';
import { arrayOf, bool, custom, enumOf, fail, map, oneOf, str, strWhere, strings, alnum } from './schema.js';

export const MAX_CACHES = 4;

const key: Schema = oneOf([
  alnum,
  map({ keys: { files: arrayOf(str, { what: 'an array of strings', max: 2, min: 1 }), prefix: alnum, files_commits: arrayOf(str, { what: 'an array of strings', max: 2, min: 1 }) }, oneRequired: ['files', 'files_commits'] }),
], 'a string or symbol or a hash');

// GitLab's policy check is an unanchored match: anything containing pull, push or a $variable.
const policy = strWhere('a variable or one of: pull-push, push, pull', (s) => s === '' || s.includes('pull') || s.includes('push') || s.includes('$'));

const one: Schema = map({
  keys: {
    key,
    untracked: bool,
    paths: strings,
    when: enumOf(['on_success', 'on_failure', 'always']),
    policy,
    unprotect: bool,
    fallback_keys: arrayOf(str, { what: 'an array of strings', max: 5 }),
  },
});

export const cache: Schema = custom('a hash or an array of hashes', (n, at, c) => {
  if (isSeq(n)) {
    if (n.items.length > MAX_CACHES) return fail(c, 'invalid-value', at, `config no more than ${MAX_CACHES} caches can be created`, where(n, c));
    for (const i of n.items) one.check(i, at, c);
    return;
  }
  one.check(n, at, c);
});
