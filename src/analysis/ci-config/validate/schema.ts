// A small declarative schema language for GitLab CI entries: each keyword family describes its
// allowed keys, types, enums, ranges, mutually exclusive keys and conditional requirements with
// these combinators, and one walker turns every mismatch into a `ci-config-invalid` problem on
// the line of the offending key or value, worded like GitLab's own errors ("<path> config ...").
import type { Finding } from '../../types.js';
import type { SourcePos } from '../types.js';
import type { PMap, PNode } from '../node.js';
import { isMap, isScalar, isSeq } from '../node.js';
import { problem } from '../problems.js';
import type { ProblemCode } from '../problems.js';

export interface VCtx {
  problems: Finding[];
  /** Set by `oneOf` while it tries alternatives: errors are counted, not reported. */
  dry?: boolean;
  /** Where the key holding each value is written: errors about a whole value go on its key's line. */
  keys?: WeakMap<PNode, SourcePos>;
}

export function where(n: PNode, c: VCtx): SourcePos {
  return c.keys?.get(n) ?? n.pos;
}

export interface Schema {
  /** How GitLab names what is expected: "a string", "a hash", "an array of strings"... */
  what: string;
  check(n: PNode, at: string, c: VCtx): void;
}

export function fail(c: VCtx, code: ProblemCode, at: string, msg: string, pos: SourcePos, evidence: Record<string, unknown> = {}): void {
  c.problems.push(problem(code, `${at} ${msg}`, pos, { key: at, ...evidence }));
}

/** A value left by an unresolved `!reference` (already reported) or a reference itself: never judged. */
export function unjudged(n: PNode): boolean {
  return n.kind === 'ref' || (n.via === 'reference' && isScalar(n) && n.value === null);
}

function typed(what: string, ok: (n: PNode) => boolean, extra?: (n: PNode, at: string, c: VCtx) => void): Schema {
  return {
    what,
    check(n, at, c) {
      if (unjudged(n)) return;
      if (!ok(n)) return fail(c, 'invalid-type', at, `config should be ${what}`, where(n, c));
      extra?.(n, at, c);
    },
  };
}

const isStr = (n: PNode): boolean => isScalar(n) && typeof n.value === 'string';
const isNum = (n: PNode): boolean => isScalar(n) && typeof n.value === 'number';

export const any: Schema = { what: 'a value', check() {} };
export const str: Schema = typed('a string', isStr);
export const bool: Schema = typed('a boolean value', (n) => isScalar(n) && typeof n.value === 'boolean');
/** Strings, numbers and booleans (GitLab's "scalar"). */
export const scalar: Schema = typed('a string or a number', (n) => isScalar(n) && n.value !== null);
/** A string or an integer (GitLab's "alphanumeric"). */
export const alnum: Schema = typed('a string or an integer', (n) => isStr(n) || (isNum(n) && Number.isInteger((n as { value: number }).value)));

export function int(min?: number, max?: number): Schema {
  const range = min !== undefined && max !== undefined ? ` between ${min} and ${max}` : min !== undefined ? ` greater than or equal to ${min}` : '';
  return typed(`an integer${range}`, (n) => isNum(n) && Number.isInteger((n as { value: number }).value), (n, at, c) => {
    const v = (n as { value: number }).value;
    if ((min !== undefined && v < min) || (max !== undefined && v > max)) fail(c, 'invalid-value', at, `config should be an integer${range}`, n.pos);
  });
}

/** A string of at most `max` characters. */
export function strMax(max: number): Schema {
  return typed('a string', isStr, (n, at, c) => {
    if (String((n as { value: string }).value).length > max) fail(c, 'invalid-value', at, `config is too long (maximum is ${max} characters)`, n.pos);
  });
}

export function enumOf(values: readonly string[], what = `one of: ${values.join(', ')}`): Schema {
  return typed(what, isStr, (n, at, c) => {
    const v = String((n as { value: string }).value);
    if (!values.includes(v)) fail(c, 'invalid-value', at, `config should be ${what}`, n.pos, { value: v });
  });
}

/** A string passing `test` (a format such as a duration). */
export function strWhere(what: string, test: (s: string) => boolean): Schema {
  return typed(what, isStr, (n, at, c) => {
    if (!test(String((n as { value: string }).value))) fail(c, 'invalid-value', at, `config should be ${what}`, n.pos);
  });
}

export function arrayOf(item: Schema, opts: { what?: string; max?: number; min?: number; unique?: boolean } = {}): Schema {
  const what = opts.what ?? `an array of ${item.what.replace(/^an? /, '')}s`;
  return {
    what,
    check(n, at, c) {
      if (unjudged(n)) return;
      if (!isSeq(n)) return fail(c, 'invalid-type', at, `config should be ${what}`, where(n, c));
      if (opts.max !== undefined && n.items.length > opts.max) fail(c, 'invalid-value', at, `config has too many entries (maximum ${opts.max})`, where(n, c));
      if (opts.min !== undefined && n.items.length < opts.min) fail(c, 'invalid-value', at, `config should contain at least ${opts.min} entr${opts.min === 1 ? 'y' : 'ies'}`, where(n, c));
      const seen = new Set<string>();
      for (const i of n.items) {
        const before = c.problems.length;
        item.check(i, at, c);
        if (c.problems.length > before) break; // one error per array, like GitLab
        if (opts.unique && isScalar(i)) {
          if (seen.has(i.text)) {
            fail(c, 'invalid-value', at, `config contains duplicate values: ${i.text}`, i.pos);
            break;
          }
          seen.add(i.text);
        }
      }
    },
  };
}

export const strings = arrayOf(str, { what: 'an array of strings' });
export const stringOrStrings: Schema = oneOf([str, strings], 'a string or an array of strings');

/** The first alternative that accepts the value wins; else the most specific error, or "should be X or Y". */
export function oneOf(alts: Schema[], what = alts.map((a) => a.what).join(' or ')): Schema {
  return {
    what,
    check(n, at, c) {
      if (unjudged(n)) return;
      const tries = alts.map((a) => {
        const scratch: VCtx = { problems: [], dry: true, ...(c.keys ? { keys: c.keys } : {}) };
        a.check(n, at, scratch);
        return scratch.problems;
      });
      if (tries.some((p) => p.length === 0)) return;
      // An alternative that got past its type check knows best what is wrong.
      const deeper = tries.find((p) => p.every((f) => f.evidence?.code !== 'invalid-type' || f.evidence?.key !== at));
      if (deeper) {
        c.problems.push(...deeper);
        return;
      }
      fail(c, 'invalid-type', at, `config should be ${what}`, where(n, c));
    },
  };
}

export interface MapSpec {
  keys: Record<string, Schema>;
  /** GitLab's wording for the whole value: "a hash". */
  what?: string;
  required?: string[];
  /** Pairs (or groups) of keys that may not be used together. */
  exclusive?: string[][];
  /** At least one of these keys must be present. */
  oneRequired?: string[];
  /** Any key is allowed (values still checked by `values`). */
  values?: Schema;
  /** Keys whose empty (null) value is itself an error. */
  nonNull?: string[];
  /** Conditional requirements and cross-key rules. */
  also?: (m: PMap, at: string, c: VCtx) => void;
}

export function map(spec: MapSpec): Schema {
  const what = spec.what ?? 'a hash';
  return {
    what,
    check(n, at, c) {
      if (unjudged(n)) return;
      if (!isMap(n)) return fail(c, 'invalid-type', at, `config should be ${what}`, where(n, c));
      const unknown = spec.values ? [] : [...n.entries.values()].filter((e) => !Object.prototype.hasOwnProperty.call(spec.keys, e.key));
      if (unknown.length > 0) {
        fail(c, 'unknown-keyword', at, `config contains unknown keys: ${unknown.map((e) => e.key).join(', ')}`, unknown[0]!.keyPos, { keys: unknown.map((e) => e.key) });
      }
      for (const r of spec.required ?? []) if (!n.entries.has(r)) fail(c, 'missing-key', at, `config missing required keys: ${r}`, where(n, c), { missing: r });
      for (const group of spec.exclusive ?? []) {
        const present = group.filter((k) => n.entries.has(k));
        if (present.length > 1) fail(c, 'exclusive-keys', at, `config these keys cannot be used together: ${present.join(', ')}`, n.entries.get(present[1]!)!.keyPos, { keys: present });
      }
      if (spec.oneRequired && !spec.oneRequired.some((k) => n.entries.has(k))) {
        fail(c, 'missing-key', at, `config should contain one of: ${spec.oneRequired.join(', ')}`, where(n, c), { missing: spec.oneRequired });
      }
      for (const [k, e] of n.entries) {
        // An empty key (`image:`) is "not set" for GitLab's entry factory.
        if (isScalar(e.value) && e.value.value === null && !spec.nonNull?.includes(k)) continue;
        const s = Object.prototype.hasOwnProperty.call(spec.keys, k) ? spec.keys[k] : spec.values;
        (c.keys ??= new WeakMap()).set(e.value, e.keyPos);
        if (s) s.check(e.value, `${at}:${k}`, c);
      }
      spec.also?.(n, at, c);
    },
  };
}

/** A schema decided later (recursive or mutually referring families). */
export function lazy(f: () => Schema, what: string): Schema {
  return { what, check: (n, at, c) => f().check(n, at, c) };
}

/** Accepts null (an empty key) as "not set", as GitLab's `allow_nil` does. */
export function nullable(s: Schema): Schema {
  return { what: s.what, check: (n, at, c) => (isScalar(n) && n.value === null ? undefined : s.check(n, at, c)) };
}

/** Custom check with GitLab's wording. */
export function custom(what: string, check: (n: PNode, at: string, c: VCtx) => void): Schema {
  return { what, check: (n, at, c) => (unjudged(n) ? undefined : check(n, at, c)) };
}
