// Causes read from the job's `failure_reason` rather than its log: a job that never reached a
// runner has little or no log to scan.
import type { RuleMeta } from '../rules/types.js';
import type { Finding } from '../types.js';

export const RUNNER_UNAVAILABLE = 'runner-unavailable';

/** A stuck job's log is empty or holds only GitLab's own note; a longer log means a timeout while running. */
const MAX_LINES_OF_A_JOB_THAT_NEVER_RAN = 3;

export function eventFindings(
  input: { failureReason?: string; jobName?: string; scan: { totalLines: number } },
  metas: ReadonlyMap<string, RuleMeta>,
): Finding[] {
  const meta = metas.get(RUNNER_UNAVAILABLE);
  const reason = input.failureReason;
  if (!meta || !meta.seenIn.includes('event') || reason === undefined) return [];
  let confidence: number;
  if (reason === 'no_matching_runner') confidence = 95;
  else if (reason === 'stuck_or_timeout_failure' && input.scan.totalLines <= MAX_LINES_OF_A_JOB_THAT_NEVER_RAN) confidence = 80;
  else return [];
  const evidence: Record<string, unknown> = { failureReason: reason, confidence, line: 0, logLines: [] };
  if (input.jobName !== undefined) evidence.job = input.jobName;
  return [
    {
      ruleId: meta.id,
      severity: meta.severity,
      title: meta.title,
      message: `The job never started: GitLab reports failure_reason "${reason}" and no runner ran it.`,
      evidence,
    },
  ];
}
