// A conservative, syntactic guard against regexes that can backtrack badly on hostile job logs.
// It rejects the constructs behind catastrophic backtracking (nested quantifiers, repeated
// alternation) and the ones a linear engine cannot run (backreferences, lookarounds).
// The built-in patterns are additionally proven safe with `recheck` in the test suite.
import { RegExpParser, visitRegExpAST, type AST } from '@eslint-community/regexpp';

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

// The pattern's real AST comes from @eslint-community/regexpp (what ESLint's regex rules use),
// so the checks below never re-implement JavaScript's regex syntax.
const PARSER = new RegExpParser({ ecmaVersion: 2024 });

type Found = { problem: RegexProblem; reason: string; at: number };

/** Does `node` hold a quantifier that repeats (max > 1) anywhere inside? */
function holdsRepetition(node: AST.Node): boolean {
  let found = false;
  visitRegExpAST(node, { onQuantifierEnter: (q) => { if (q.max > 1) found = true; } });
  return found;
}

/** Check a pattern source and its flags. Only `i` (or no flag) is accepted. */
export function checkRegexSafety(source: string, flags = ''): RegexCheck {
  if (flags !== '' && flags !== 'i') return { ok: false, problem: 'flags', reason: `flags '${flags}': only 'i' is allowed` };
  try {
    new RegExp(source, flags);
  } catch (err) {
    return { ok: false, problem: 'syntax', reason: `does not compile: ${(err as Error).message}` };
  }
  let pattern: AST.Pattern;
  try {
    pattern = PARSER.parsePattern(source, 0, source.length, { unicode: false });
  } catch (err) {
    return { ok: false, problem: 'syntax', reason: `does not parse: ${(err as Error).message}` };
  }
  const found: Found[] = [];
  visitRegExpAST(pattern, {
    onBackreferenceEnter: (b) => void found.push({ problem: 'backreference', reason: `backreference '${b.raw}' at ${b.start}`, at: b.start }),
    onAssertionEnter: (a) => {
      if (a.kind === 'lookahead' || a.kind === 'lookbehind') found.push({ problem: 'lookaround', reason: `lookaround at ${a.start}`, at: a.start });
    },
    onQuantifierEnter: (q) => {
      if (q.max <= 1 || (q.element.type !== 'Group' && q.element.type !== 'CapturingGroup')) return;
      if (holdsRepetition(q.element)) found.push({ problem: 'nested-quantifier', reason: `quantified group containing a quantifier ending at ${q.element.end - 1}`, at: q.start });
      else if (q.element.alternatives.length > 1) found.push({ problem: 'repeated-alternation', reason: `quantified group containing '|' ending at ${q.element.end - 1}`, at: q.start });
    },
  });
  // The first problem in the source, as a reader would meet it.
  const first = found.sort((a, b) => a.at - b.at)[0];
  return first ? { ok: false, problem: first.problem, reason: first.reason } : { ok: true };
}
