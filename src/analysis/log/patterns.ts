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

/**
 * One regex that matches wherever any pattern (match or after) could: lines it rejects skip the
 * per-pattern tests. Case-insensitive so it is a superset of every pattern; undefined when the
 * sources cannot be combined (e.g. duplicate group names).
 */
export function prefilterOf(patterns: readonly CompiledPattern[]): RegExp | undefined {
  const sources = patterns.flatMap((p) => [p.match.source, ...(p.after ? [p.after.source] : [])]);
  if (sources.length < 4) return undefined;
  try {
    return new RegExp(sources.map((s) => `(?:${s})`).join('|'), 'i');
  } catch {
    return undefined;
  }
}
