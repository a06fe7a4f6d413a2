// Administrators' log patterns are proven linear-time with recheck before they run: job logs are
// written by whoever pushes code, and the syntactic check in regex-safety.ts cannot see
// polynomial blow-ups such as `a.*b.*c` (cubic on a 64 KiB line). Built-in patterns are proven
// by the test suite, so only custom rule files pay for this at start-up.
import { createRequire } from 'node:module';
import type { LogLinePattern, RuleMeta } from './types.js';

interface RecheckDiagnostics {
  status: 'safe' | 'vulnerable' | 'unknown';
  complexity?: { summary?: string };
  error?: { kind?: string };
}

type CheckSync = (source: string, flags: string, params?: Record<string, unknown>) => RecheckDiagnostics;

let checkSync: CheckSync | undefined;

function recheck(): CheckSync {
  checkSync ??= (createRequire(import.meta.url)('recheck') as { checkSync: CheckSync }).checkSync;
  return checkSync;
}

/** Why `pattern` cannot be used, or undefined when recheck proves it safe. */
export function linearTimeProblem(pattern: LogLinePattern): string | undefined {
  // The automaton checker decides rather than fuzzing (the same proof the test suite runs on built-ins).
  const d = recheck()(pattern.regex, pattern.flags ?? '', { checker: 'automaton', timeout: 10_000 });
  if (d.status === 'safe') return undefined;
  if (d.status === 'vulnerable') {
    return `pattern /${pattern.regex}/ can take ${d.complexity?.summary ?? 'super-linear'} time on hostile log lines; use bounded repetition such as [^\\n]{0,300} instead of .* between literals`;
  }
  return `pattern /${pattern.regex}/ could not be proven linear-time (${d.error?.kind ?? 'unknown'}); simplify it`;
}

/** Every problem of a rule's log patterns, one line each. */
export function ruleLinearTimeProblems(rule: RuleMeta): string[] {
  const out: string[] = [];
  for (const p of rule.log ?? []) {
    for (const [part, pattern] of [['match', p.match], ['after', p.after]] as const) {
      if (!pattern) continue;
      const problem = linearTimeProblem(pattern);
      if (problem) out.push(`log pattern '${p.id}' ${part}: ${problem}`);
    }
  }
  return out;
}
