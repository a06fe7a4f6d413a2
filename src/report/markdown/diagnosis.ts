// The diagnosis comment for a failed pipeline: one section per failed job, matched causes with
// their evidence and patch, unmatched jobs marked "no known cause". Starts with a hidden marker
// so the publisher can find and edit it, and stays under GitLab's note size limit.
import type { Diagnosis } from '../../analysis/diagnose/diagnose-job.js';
import type { LogLine } from '../../analysis/log/types.js';
import type { RuleMeta } from '../../analysis/rules/types.js';
import type { Finding, Fix } from '../../analysis/types.js';
import { inlineCode, quoteLog, safeMarkdown } from '../quote.js';
import { redact } from '../../text/redact.js';
import { code, plain } from '../../text/markdown.js';
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

function truncationNote(job: DiagnosisJob): string[] {
  const t = job.result.truncated;
  const cut = job.result.runnerLogLimit;
  const runner = cut
    ? [`_GitLab Runner stopped collecting this log at line ${cut.line}${cut.limitBytes ? ` (${cut.limitBytes} bytes, its \`output_limit\`)` : ''}: what failed may be past the cut. Raise \`output_limit\` in the runner's \`config.toml\` or make the job quieter to see it._`]
    : [];
  if (!t) return runner;
  return [...runner,
    t.keptBytes < t.totalBytes
      ? `_The log is ${t.totalBytes} bytes: only its last ${t.keptBytes} bytes were read._`
      : `_The log was longer than the read limit: ${t.keptBytes} bytes were read._`,
  ];
}

function unmatchedSection(job: DiagnosisJob, compact: boolean): string {
  const u = job.result.unmatched;
  const reason = u?.failureReason ?? job.failureReason;
  const out = [jobTitle(job, 'no known cause'), ...truncationNote(job)];
  out.push(`ci-medic found no known cause in this job's log.${reason ? ` GitLab's failure reason: ${code(reason)}.` : ''}`);
  if (u && !compact) {
    const url = safeUrl(job.webUrl);
    const opts = url ? { jobUrl: url } : {};
    const errors: LogLine[] = u.errorLines.slice(-8);
    if (errors.length > 0) out.push(`Lines that look like the error:\n\n${quoteLog(errors, opts)}`);
    const tail: LogLine[] = u.tail.slice(-8);
    if (tail.length > 0) out.push(`Last lines of the log:\n\n${quoteLog(tail, opts)}`);
  }
  return out.join('\n\n');
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Evidence sentences are built from quoted log values (code spans); rendered like the message. */
function evidenceSection(f: Finding): string[] {
  const items = [
    ...strings(f.evidence?.for).map((e) => `- for: ${safeMarkdown(redact(e))}`),
    ...strings(f.evidence?.against).map((e) => `- against: ${safeMarkdown(redact(e))}`),
  ];
  const confidence = typeof f.confidence === 'number' ? ` (confidence ${Math.round(f.confidence)}/100)` : '';
  return items.length || confidence ? [`**Evidence**${confidence}${items.length ? `\n\n${items.join('\n')}` : ''}`] : [];
}

function ruledOut(job: DiagnosisJob): string[] {
  const named = new Set(job.result.findings.map((f) => f.ruleId));
  const out = (job.result.hypotheses ?? [])
    .filter((h) => !named.has(h.ruleId) && h.against.length > 0)
    .map((h) => `- ${inlineCode(h.ruleId)}: ${h.against.map((a) => safeMarkdown(redact(a))).join('; ')}`);
  return out.length ? [`<details><summary>Causes ruled out</summary>\n\n${out.join('\n')}\n\n</details>`] : [];
}

function jobSection(job: DiagnosisJob, input: DiagnosisInput, rules: ReadonlyMap<string, RuleMeta>, compact: boolean): string {
  const findings = job.result.findings;
  if (job.result.jobSucceeded) {
    return [jobTitle(job, 'succeeded'), `The log says the job succeeded (line ${job.result.jobSucceeded.line}): ci-medic names no cause.`].join('\n\n');
  }
  if (findings.length === 0) return unmatchedSection(job, compact);
  const [first, ...others] = findings;
  const opts = {
    rules,
    compact,
    ...(job.webUrl ? { jobUrl: job.webUrl } : {}),
    ...(input.renderFix ? { renderFix: input.renderFix } : {}),
    ...(input.fileText ? { fileText: input.fileText } : {}),
  };
  const out = [jobTitle(job, plain(first!.title)), ...truncationNote(job), renderFinding(first!, { ...opts, titleInHeading: true }), ...evidenceSection(first!)];
  if (others.length > 0) {
    out.push('<details><summary>Other possible causes</summary>\n');
    for (const f of others) out.push(renderFinding(f, { ...opts, maxExcerptLines: 6 }));
    out.push('</details>');
  }
  if (!compact) out.push(...ruledOut(job));
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
