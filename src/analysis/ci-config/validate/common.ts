// Shapes several keyword families share: durations, scripts, `when`, `allow_failure`, `inherit`.
import type { PNode } from '../node.js';
import { isScalar, isSeq } from '../node.js';
import { MAX_SCRIPT_NESTING } from '../scripts.js';
import { DEFAULT_KEYS } from '../keywords.js';
import { where } from './schema.js';
import type { Schema, VCtx } from './schema.js';
import { arrayOf, bool, custom, enumOf, fail, int, map, oneOf, str, strings } from './schema.js';
import { parseDuration } from './duration.js';

export function duration(limitSeconds?: number, limitText?: string, extra: string[] = []): Schema {
  return custom('a duration', (n, at, c) => {
    if (!isScalar(n) || n.value === null || typeof n.value === 'boolean') return fail(c, 'invalid-type', at, 'config should be a duration', where(n, c));
    if (extra.includes(n.text)) return;
    const secs = typeof n.value === 'number' ? n.value : parseDuration(n.text);
    if (secs === undefined) return fail(c, 'invalid-value', at, 'config should be a duration', where(n, c), { value: n.text });
    if (limitSeconds !== undefined && secs > limitSeconds) fail(c, 'invalid-value', at, `config should not exceed the limit (${limitText})`, where(n, c));
  });
}

/** script / before_script / after_script: a string or nested arrays of strings (depth is checked when flattening). */
export const commands: Schema = custom('a string or a nested array of strings up to 10 levels deep', (n, at, c) => {
  const visit = (x: PNode, depth: number): boolean => {
    if (x.kind === 'ref') return true;
    if (isSeq(x)) return depth >= MAX_SCRIPT_NESTING || x.items.every((i) => visit(i, depth + 1));
    if (isScalar(x)) return x.value === null ? x.via === 'reference' : typeof x.value === 'string';
    return true; // mappings are reported while the script is flattened
  };
  if (!visit(n, 0)) fail(c, 'script-invalid', at, 'config should be a string or a nested array of strings up to 10 levels deep', where(n, c));
});

export const JOB_WHEN = ['on_success', 'on_failure', 'always', 'manual', 'delayed'] as const;
export const RULE_WHEN = ['on_success', 'on_failure', 'always', 'never', 'manual', 'delayed'] as const;

const exitCodes = oneOf([int(), arrayOf(int(), { what: 'an array of integers', max: 255, unique: true })], 'an integer or an array of integers');

export const allowFailure: Schema = oneOf([bool, map({ what: 'a hash', keys: { exit_codes: exitCodes }, required: ['exit_codes'] })], 'a boolean value or a hash');

export { exitCodes };

function inheritList(allowed?: Set<string>): Schema {
  return oneOf([
    bool,
    arrayOf(
      custom('a string', (n, at, c) => {
        if (!isScalar(n) || typeof n.value !== 'string') return fail(c, 'invalid-type', at, 'config should be a boolean value or an array of strings', where(n, c));
        if (allowed && !allowed.has(n.text)) fail(c, 'invalid-value', at, `config contains unknown values: ${n.text}`, where(n, c));
      }),
      { what: 'an array of strings' },
    ),
  ], 'a boolean value or an array of strings');
}

export const inherit: Schema = map({ keys: { default: inheritList(new Set([...DEFAULT_KEYS])), variables: inheritList() } });

export const jobWhen = enumOf(JOB_WHEN);
export const stringList = strings;
export const anyString = str;

export function checkAll(c: VCtx, n: PNode, at: string, ...schemas: Schema[]): void {
  for (const s of schemas) s.check(n, at, c);
}
