// Rule log patterns compiled once per scan. Only the `i` flag is honoured: `g`/`y` would make
// `test` stateful and `s`/`m` change what a line-at-a-time pattern means.
import type { LogLinePattern, LogPattern, RuleMeta } from '../rules/types.js';

export interface CompiledPattern {
  ruleId: string;
  pattern: LogPattern;
  match: RegExp;
  after?: RegExp;
  within: number;
  sections?: ReadonlySet<string>;
  confidence: number;
}

export interface PatternError {
  ruleId: string;
  patternId: string;
  code: 'CIM_ERR_LOG_PATTERN';
  reason: string;
}

export const DEFAULT_WITHIN = 50;
export const DEFAULT_CONFIDENCE = 50;

export function compileRegex(p: LogLinePattern): RegExp {
  return new RegExp(p.regex, p.flags?.includes('i') ? 'i' : '');
}

/** Compiles every log pattern of every rule; a pattern that does not compile is skipped and reported. */
export function compilePatterns(rules: readonly RuleMeta[]): { patterns: CompiledPattern[]; errors: PatternError[] } {
  const patterns: CompiledPattern[] = [];
  const errors: PatternError[] = [];
  for (const rule of rules) {
    for (const pattern of rule.log ?? []) {
      try {
        const compiled: CompiledPattern = {
          ruleId: rule.id,
          pattern,
          match: compileRegex(pattern.match),
          within: pattern.within ?? DEFAULT_WITHIN,
          confidence: pattern.confidence ?? DEFAULT_CONFIDENCE,
        };
        if (pattern.after) compiled.after = compileRegex(pattern.after);
        if (pattern.sections?.length) compiled.sections = new Set(pattern.sections);
        patterns.push(compiled);
      } catch (err) {
        errors.push({
          ruleId: rule.id,
          patternId: pattern.id,
          code: 'CIM_ERR_LOG_PATTERN',
          reason: err instanceof Error ? err.message : String(err),
        });
      }
    }
  }
  return { patterns, errors };
}

