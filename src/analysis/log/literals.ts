// Which literal text every match of a regex must contain: "one of these lower-case fragments
// occurs in any string the regex matches". A line containing none of them cannot match, so the
// scanner skips the regex. The analysis is deliberately conservative: anything it does not fully
// understand yields `undefined` (no requirement, the regex is always tested), never a guess.
// The regex is read by @eslint-community/regexpp, not by a hand-written tokenizer.

import { RegExpParser, type AST } from '@eslint-community/regexpp';

/** Lower-case ASCII fragments, one of which is in every match; undefined when none is provable. */
export type Requirement = readonly string[] | undefined;

type Node = AST.Alternative['elements'][number];

// regexpp's parser gives the regex's real AST (the same one ESLint's regex rules use), so the
// analysis below never re-implements JavaScript's regex syntax.
const PARSER = new RegExpParser({ ecmaVersion: 2024 });

const printableAscii = (code: number): boolean => code >= 0x20 && code <= 0x7e;

/**
 * Lower-casing is only sound for ASCII: without the `u` flag, `i` matches an ASCII letter only
 * with its ASCII other case, so a lower-cased line contains the lower-cased fragment.
 */
function lowerAscii(code: number): string {
  return String.fromCharCode(code >= 0x41 && code <= 0x5a ? code + 32 : code);
}

function alternation(alternatives: readonly AST.Alternative[]): Requirement {
  const branches = alternatives.map(sequence);
  if (branches.some((b) => b === undefined)) return undefined;
  return minimise(branches.flatMap((b) => b as readonly string[]));
}

function sequence(alt: AST.Alternative): Requirement {
  const candidates: (readonly string[])[] = [];
  let run = '';
  const closeRun = (): void => {
    if (run.length > 0) candidates.push([run]);
    run = '';
  };
  for (const element of alt.elements) {
    const { node, min, max } = element.type === 'Quantifier'
      ? { node: element.element as Node, min: element.min, max: element.max }
      : { node: element as Node, min: 1, max: 1 };
    if (node.type === 'Character' && min >= 1 && printableAscii(node.value)) {
      run += lowerAscii(node.value);
      // `ab+c`: the first `b` follows `a`, but `c` need not follow that `b`.
      if (max !== 1) closeRun();
      continue;
    }
    // Classes, sets, backreferences, assertions and non-ASCII characters end a run of literals.
    closeRun();
    if ((node.type === 'Group' || node.type === 'CapturingGroup') && min >= 1) {
      const req = alternation(node.alternatives);
      if (req !== undefined) candidates.push(req);
    }
  }
  closeRun();
  return best(candidates);
}

/** Drops fragments that contain another one: finding the shorter one is enough. */
function minimise(fragments: readonly string[]): readonly string[] {
  const unique = [...new Set(fragments)].sort((a, b) => a.length - b.length);
  return unique.filter((f, i) => !unique.slice(0, i).some((shorter) => f.includes(shorter)));
}

/** The most selective requirement: longest shortest fragment, then fewest fragments. */
function best(candidates: readonly (readonly string[])[]): Requirement {
  let chosen: readonly string[] | undefined;
  let score = -1;
  for (const c of candidates) {
    const s = Math.min(...c.map((f) => f.length)) * 1000 - c.length;
    if (s > score) {
      chosen = c;
      score = s;
    }
  }
  return chosen;
}

/**
 * The literal requirement of a regex source. Only flags `i` (or none) are analysed: with `u`/`v`
 * case folding and syntax differ, so such a regex gets no requirement.
 */
export function requiredLiterals(source: string, flags = ''): Requirement {
  if (/[^igmsdy]/.test(flags)) return undefined;
  let pattern: AST.Pattern;
  try {
    pattern = PARSER.parsePattern(source, 0, source.length, { unicode: false });
  } catch {
    return undefined;
  }
  return alternation(pattern.alternatives);
}
