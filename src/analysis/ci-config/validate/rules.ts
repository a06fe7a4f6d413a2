// `rules:` (job, workflow, include and input rules) and the legacy `only:`/`except:` policies.
import type { PNode } from '../node.js';
import { isMap, isScalar, isSeq } from '../node.js';
import { where } from './schema.js';
import type { Schema } from './schema.js';
import { arrayOf, bool, custom, enumOf, fail, map, oneOf, str, stringOrStrings, strings } from './schema.js';
import { RULE_WHEN, duration } from './common.js';
import { ruleVariables } from './variables.js';
import { lazyNeeds } from './needs.js';

const MAX_NESTING = 10;

const changes: Schema = oneOf([
  strings,
  map({ keys: { paths: strings, compare_to: str }, required: ['paths'] }),
], 'an array of strings or a hash');

const MAX_EXISTS_PATHS = 50;
const existsPaths = arrayOf(str, { what: 'an array of strings', max: MAX_EXISTS_PATHS });
/** `exists:` — a path, up to 50 paths, or `{paths, project, ref}` (ref only with project). */
export const exists: Schema = oneOf([
  str,
  existsPaths,
  map({
    keys: { paths: existsPaths, project: str, ref: str },
    required: ['paths'],
    also(m, at, c) {
      const ref = m.entries.get('ref');
      if (ref && !m.entries.has('project')) fail(c, 'missing-key', at, 'config missing required keys: project', ref.keyPos);
    },
  }),
], 'a string, an array of strings, or a hash');

/** `rules:` entries may be nested arrays (from `!reference`), flattened up to 10 levels. */
export function rulesOf(rule: Schema): Schema {
  return custom('an array of hashes', (n, at, c) => {
    if (!isSeq(n)) return fail(c, 'invalid-type', at, 'config should be an array of hashes', where(n, c));
    const visit = (items: PNode[], depth: number): void => {
      for (const i of items) {
        if (isSeq(i)) {
          if (depth >= MAX_NESTING) return fail(c, 'invalid-type', at, `config should be an array containing hashes and arrays of hashes (up to ${MAX_NESTING} levels)`, i.pos);
          visit(i.items, depth + 1);
        } else if (isMap(i)) rule.check(i, `${at}:rule`, c);
        else if (i.kind === 'ref' || (isScalar(i) && i.value === null && i.via === 'reference')) continue;
        else return fail(c, 'invalid-type', at, 'config should be an array of hashes', i.pos);
      }
    };
    visit(n.items, 0);
  });
}

const ruleAllowFailure = oneOf([bool, map({ keys: { exit_codes: custom('exit codes', () => undefined) } })], 'a boolean value');

export const jobRule: Schema = map({
  keys: {
    if: str,
    changes,
    exists,
    when: enumOf(RULE_WHEN),
    start_in: duration(7 * 86400, '1 week'),
    allow_failure: ruleAllowFailure,
    variables: ruleVariables,
    needs: lazyNeeds(),
    interruptible: bool,
  },
  also(m, at, c) {
    const when = m.entries.get('when');
    const delayed = isScalar(when?.value) && when!.value.text === 'delayed';
    const start = m.entries.get('start_in');
    if (delayed && !start) fail(c, 'missing-key', at, 'config start_in must be set when `when:delayed` is used', when!.keyPos);
    if (start && !delayed) fail(c, 'invalid-value', at, 'config start_in may only be used with `when: delayed`', start.keyPos);
  },
});

export const jobRules = rulesOf(jobRule);

// only/except: an array of refs (strings or /regexps/), or a hash of refs, variables, changes, kubernetes.
export const policy: Schema = oneOf([
  stringOrStrings,
  map({ keys: { refs: strings, variables: strings, changes: strings, kubernetes: enumOf(['active']) } }),
], 'an array of strings or a hash');
