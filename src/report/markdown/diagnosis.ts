// The diagnosis comment for a failed pipeline: one section per failed job, matched causes with
// their evidence and patch, unmatched jobs marked "no known cause". Starts with a hidden marker
// so the publisher can find and edit it, and stays under GitLab's note size limit.
import type { Diagnosis } from '../../analysis/diagnose/diagnose-job.js';
import type { LogLine } from '../../analysis/log/types.js';
import type { RuleMeta } from '../../analysis/rules/types.js';
import type { Finding, Fix } from '../../analysis/types.js';
import { quoteLog } from '../quote.js';
import { code, plain } from './safe.js';
import type { FileText } from './fix.js';
import { link, renderFinding, safeUrl } from './finding.js';

/** GitLab rejects note bodies over 1,000,000 characters. */
export const NOTE_LIMIT = 1_000_000;

export interface DiagnosisJob {
  name: string;
  id: number;
  webUrl?: string;
  failureReason?: string;
  result: Diagnosis;
}

export interface DiagnosisInput {
  pipeline: { id: number; url?: string; sha: string; ref?: string };
  jobs: DiagnosisJob[];
  /** Rule metadata for each finding's explanation and docs link. */
  rules?: readonly RuleMeta[];
  renderFix?: (fix: Fix, finding?: Finding) => string;
  fileText?: FileText;
  /** Character budget; defaults to GitLab's note limit with a margin. */
  maxChars?: number;
  /** One-line notes for the reader: what was not read (stalled logs, limits, unreadable includes). */
  notes?: readonly string[];
}

export function diagnosisMarker(pipelineId: number): string {
  return `<!-- ci-medic:diagnosis pipeline=${Math.trunc(pipelineId)} -->`;
}

function heading(input: DiagnosisInput): string {
  const p = input.pipeline;
  const short = p.sha.replace(/[^0-9a-f]/gi, '').slice(0, 8);
  const ref = p.ref ? ` on ${code(p.ref)}` : '';
  const commit = short ? ` at commit ${code(short)}` : '';
  return `## ci-medic: pipeline ${link(plain(`#${p.id}`), p.url)} failed${commit}${ref}`;
}

function jobTitle(job: DiagnosisJob, suffix: string): string {
  return `### ${link(code(job.name), job.webUrl)}: ${suffix}`;
}

function unmatchedSection(job: DiagnosisJob, compact: boolean): string {
  const u = job.result.unmatched;
  const reason = u?.failureReason ?? job.failureReason;
  const out = [jobTitle(job, 'no known cause')];
  out.push(`ci-medic found no known cause in this job's log.${reason ? ` GitLab's failure reason: ${code(reason)}.` : ''}`);
  const lines: LogLine[] = u ? (u.errorLines.length ? u.errorLines.slice(-8) : u.tail.slice(-8)) : [];
  if (lines.length > 0 && !compact) {
    const url = safeUrl(job.webUrl);
    out.push(`Last ${u?.errorLines.length ? 'error ' : ''}lines of the log:\n\n${quoteLog(lines, url ? { jobUrl: url } : {})}`);
  }
  return out.join('\n\n');
}

function jobSection(job: DiagnosisJob, input: DiagnosisInput, rules: ReadonlyMap<string, RuleMeta>, compact: boolean): string {
  const findings = job.result.findings;
  if (findings.length === 0) return unmatchedSection(job, compact);
  const [first, ...others] = findings;
  const opts = {
    rules,
    compact,
    ...(job.webUrl ? { jobUrl: job.webUrl } : {}),
    ...(input.renderFix ? { renderFix: input.renderFix } : {}),
    ...(input.fileText ? { fileText: input.fileText } : {}),
  };
  const out = [jobTitle(job, plain(first!.title)), renderFinding(first!, { ...opts, titleInHeading: true })];
  if (others.length > 0) {
    out.push('<details><summary>Other possible causes</summary>\n');
    for (const f of others) out.push(renderFinding(f, { ...opts, maxExcerptLines: 6 }));
    out.push('</details>');
  }
  return out.join('\n\n');
}

export function renderDiagnosis(input: DiagnosisInput): string {
  const budget = Math.min(input.maxChars ?? NOTE_LIMIT - 10_000, NOTE_LIMIT - 1_000);
  const rules = new Map((input.rules ?? []).map((r) => [r.id, r]));
  const head = [heading(input), ...(input.notes ?? []).map((n) => `_${plain(n)}_`)].join('\n\n');
  const parts = [head];
  let size = head.length;
  const footerRoom = 200;
  for (let i = 0; i < input.jobs.length; i++) {
    const job = input.jobs[i]!;
    let section = jobSection(job, input, rules, false);
    if (size + section.length + footerRoom > budget) section = jobSection(job, input, rules, true);
    if (size + section.length + footerRoom > budget) {
      parts.push(`_${input.jobs.length - i} more failed jobs are not shown: the comment reached GitLab's size limit._`);
      break;
    }
    parts.push(section);
    size += section.length + 2;
  }
  if (input.jobs.length === 0) parts.push('No failed jobs to diagnose.');
  // The marker goes last, where the publisher looks for it: a marker quoted earlier in the body
  // (from a log or a file) must never be taken for the bot's own.
  parts.push(diagnosisMarker(input.pipeline.id));
  return parts.join('\n\n') + '\n';
}
