// A conservative, syntactic guard against regexes that can backtrack badly on hostile job logs.
// It rejects the constructs behind catastrophic backtracking (nested quantifiers, repeated
// alternation) and the ones a linear engine cannot run (backreferences, lookarounds).
// The built-in patterns are additionally proven safe with `recheck` in the test suite.

export type RegexProblem =
  | 'backreference'
  | 'lookaround'
  | 'nested-quantifier'
  | 'repeated-alternation'
  | 'flags'
  | 'syntax';

export interface RegexCheck {
  ok: boolean;
  problem?: RegexProblem;
  reason?: string;
}

interface Group {
  hasQuantifier: boolean;
  hasAlternation: boolean;
}

/** Is `quant` (the text at i) an unbounded or multi-repeat quantifier? Returns its length or 0. */
function quantifierAt(src: string, i: number): { len: number; repeats: boolean } {
  const c = src[i];
  if (c === '*' || c === '+') return { len: src[i + 1] === '?' ? 2 : 1, repeats: true };
  if (c === '?') return { len: src[i + 1] === '?' ? 2 : 1, repeats: false };
  if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}\??/.exec(src.slice(i));
    if (m) {
      const max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
      return { len: m[0].length, repeats: max > 1 };
    }
  }
  return { len: 0, repeats: false };
}

/** Check a pattern source and its flags. Only `i` (or no flag) is accepted. */
export function checkRegexSafety(source: string, flags = ''): RegexCheck {
  if (flags !== '' && flags !== 'i') return { ok: false, problem: 'flags', reason: `flags '${flags}': only 'i' is allowed` };
  try {
    new RegExp(source, flags);
  } catch (err) {
    return { ok: false, problem: 'syntax', reason: `does not compile: ${(err as Error).message}` };
  }
  const stack: Group[] = [{ hasQuantifier: false, hasAlternation: false }];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (/[1-9]/.test(next) || next === 'k') return { ok: false, problem: 'backreference', reason: `backreference '\\${next}' at ${i}` };
      i += 2;
      i = afterAtom(source, i, stack);
      continue;
    }
    if (c === '[') {
      i = skipClass(source, i);
      i = afterAtom(source, i, stack);
      continue;
    }
    if (c === '(') {
      if (/^\(\?(=|!|<=|<!)/.test(source.slice(i))) return { ok: false, problem: 'lookaround', reason: `lookaround at ${i}` };
      stack.push({ hasQuantifier: false, hasAlternation: false });
      const named = /^\(\?(:|<[A-Za-z_][A-Za-z0-9_]*>)/.exec(source.slice(i));
      i += named ? named[0].length : 1;
      continue;
    }
    if (c === ')') {
      const group = stack.pop()!;
      const q = quantifierAt(source, i + 1);
      if (q.repeats && group.hasQuantifier) return { ok: false, problem: 'nested-quantifier', reason: `quantified group containing a quantifier ending at ${i}` };
      if (q.repeats && group.hasAlternation) return { ok: false, problem: 'repeated-alternation', reason: `quantified group containing '|' ending at ${i}` };
      const parent = stack[stack.length - 1]!;
      if (group.hasQuantifier || q.repeats) parent.hasQuantifier = true;
      i += 1 + q.len;
      continue;
    }
    if (c === '|') {
      stack[stack.length - 1]!.hasAlternation = true;
      i++;
      continue;
    }
    i = afterAtom(source, i + 1, stack);
  }
  return { ok: true };
}

/** After an atom ending at i: consume a quantifier if present and record it on the current group. */
function afterAtom(source: string, i: number, stack: Group[]): number {
  const q = quantifierAt(source, i);
  if (q.repeats) stack[stack.length - 1]!.hasQuantifier = true;
  return i + q.len;
}

function skipClass(source: string, i: number): number {
  let k = i + 1;
  if (source[k] === '^') k++;
  if (source[k] === ']') k++;
  while (k < source.length && source[k] !== ']') k += source[k] === '\\' ? 2 : 1;
  return k + 1;
}
