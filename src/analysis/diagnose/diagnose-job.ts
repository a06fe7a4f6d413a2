// From a scanned job log to findings: one per matched rule, most likely cause first, each naming
// the failing command, quoting redacted log lines, and (when the job's files are known) carrying
// the rule's static-check fix and file location.
import type { CiConfig, EffectiveJob } from '../ci-config/types.js';
import type { DockerfileModel } from '../dockerfile/types.js';
import type { LogLine, LogMatch, LogScanResult } from '../log/types.js';
import { buildCheckContext } from '../rules/context.js';
import { runStaticChecks } from '../rules/run.js';
import type { RuleMeta } from '../rules/types.js';
import type { Finding } from '../types.js';
import { redact, redactLines } from '../../report/redact.js';
import { inlineCode } from '../../report/quote.js';
import { echoedCommandText, inferJob, locateCommand } from './job-command.js';
import { eventFindings } from './event.js';

export interface DiagnoseInput {
  scan: LogScanResult;
  rules: readonly RuleMeta[];
  ci?: CiConfig;
  /** Dockerfiles by repository path (the ones the job builds, at least). */
  dockerfiles?: Map<string, DockerfileModel>;
  jobName?: string;
  /** GitLab's `failure_reason` for the job (`script_failure`, `no_matching_runner`...). */
  failureReason?: string;
}

export interface Unmatched {
  failureReason?: string;
  errorLines: LogLine[];
  tail: LogLine[];
}

export interface Diagnosis {
  findings: Finding[];
  unmatched?: Unmatched;
}

/** Evidence a log finding carries (Finding.evidence is free-form; this is what diagnose puts there). */
export interface LogEvidence {
  job?: string;
  command?: string;
  dockerStep?: string;
  section?: string;
  patternId: string;
  confidence: number;
  /** The line that matched. */
  line: number;
  logLines: Array<{ number: number; text: string }>;
}

/** Characters kept per quoted line: enough to read, bounded for the comment. */
export const MAX_QUOTED_LINE = 500;

function clip(text: string): string {
  return text.length > MAX_QUOTED_LINE ? `${text.slice(0, MAX_QUOTED_LINE)}…` : text;
}

/** The match that best explains a rule: highest confidence, then earliest in the log. */
function bestPerRule(matches: readonly LogMatch[]): LogMatch[] {
  const best = new Map<string, LogMatch>();
  for (const m of matches) {
    const cur = best.get(m.ruleId);
    if (!cur || m.confidence > cur.confidence || (m.confidence === cur.confidence && m.line.number < cur.line.number)) {
      best.set(m.ruleId, m);
    }
  }
  return [...best.values()];
}

/** The lines worth quoting: command, sequence start, build step and the context, in log order. */
function evidenceLines(m: LogMatch): Array<{ number: number; text: string }> {
  const byNumber = new Map<number, LogLine>();
  for (const l of [m.command, m.afterLine, m.dockerStep, ...m.context]) if (l) byNumber.set(l.number, l);
  const sorted = [...byNumber.values()].sort((a, b) => a.number - b.number);
  return redactLines(sorted.map((l) => ({ number: l.number, text: clip(l.text) })));
}

/** Markdown: quoted values sit in code spans (which neutralise mentions and markers). */
function describe(m: LogMatch, command: string | undefined, dockerStep: string | undefined): string {
  const what = inlineCode(redact(clip(m.line.text.trim())));
  // A warning (an unused build arg, an artifact path with no files) is not what failed.
  if (/^\W{0,4}warn(ing)?\b/i.test(m.line.text.trim())) {
    return `${command ? `The command ${inlineCode(command)}` : 'The job'} printed ${what} (log line ${m.line.number}).`;
  }
  const where = dockerStep ? ` at build step ${inlineCode(dockerStep)}` : '';
  const lead = command ? `The command ${inlineCode(command)} failed${where}` : `The job failed${where}`;
  return `${lead} with ${what} (log line ${m.line.number}).`;
}

function staticFinding(input: DiagnoseInput, ruleId: string, job: EffectiveJob | undefined): Finding | undefined {
  if (!input.ci && !input.dockerfiles?.size) return undefined;
  try {
    const ctx = buildCheckContext(input.ci, input.dockerfiles ?? new Map(), { rules: [...input.rules] });
    const found = runStaticChecks(ctx, job ? { ruleIds: [ruleId], jobName: job.name } : { ruleIds: [ruleId] });
    return found.find((f) => f.fix) ?? found[0];
  } catch {
    // A crashing check must not cost the diagnosis itself: the log evidence still stands.
    return undefined;
  }
}

function logFinding(input: DiagnoseInput, meta: RuleMeta, m: LogMatch): Finding {
  const command = m.command ? redact(clip(echoedCommandText(m.command.text))) : undefined;
  const dockerStep = m.dockerStep ? redact(clip(m.dockerStep.text.trim())) : undefined;
  const job = input.ci
    ? input.jobName !== undefined
      ? input.ci.jobs.find((j) => j.name === input.jobName)
      : inferJob(input.ci, m.command?.text)
    : undefined;
  const jobName = input.jobName ?? job?.name;
  const evidence: LogEvidence = {
    patternId: m.patternId,
    confidence: m.confidence,
    line: m.line.number,
    logLines: evidenceLines(m),
  };
  if (jobName !== undefined) evidence.job = jobName;
  if (command !== undefined) evidence.command = command;
  if (dockerStep !== undefined) evidence.dockerStep = dockerStep;
  if (m.line.section !== undefined) evidence.section = m.line.section;

  const finding: Finding = {
    ruleId: meta.id,
    severity: meta.severity,
    title: meta.title,
    message: describe(m, command, dockerStep),
    evidence: { ...evidence },
  };
  if (meta.buildkit) finding.buildkit = meta.buildkit;
  const fromFiles = staticFinding(input, meta.id, job);
  if (fromFiles) {
    finding.message += ` ${fromFiles.message}`;
    if (fromFiles.location) finding.location = fromFiles.location;
    if (fromFiles.fix) finding.fix = fromFiles.fix;
    if (fromFiles.buildkit) finding.buildkit = fromFiles.buildkit;
  }
  if (!finding.location && job && m.command) {
    const at = locateCommand(job, m.command.text);
    if (at) finding.location = at;
  }
  return finding;
}

function confidenceOf(f: Finding): number {
  const c = f.evidence?.confidence;
  return typeof c === 'number' ? c : 0;
}

function lineOf(f: Finding): number {
  const l = f.evidence?.line;
  return typeof l === 'number' ? l : 0;
}

// `until docker info; do sleep 1; done`: errors printed while a job polls for a service that is
// still starting are expected, and say nothing about why the job failed later.
const WAIT_LOOP = /^\$?\s*(until|while|for)\b|\bsleep\b|\bwait-for|--retry\b/;

function inWaitLoop(m: LogMatch): boolean {
  return m.command !== undefined && WAIT_LOOP.test(echoedCommandText(m.command.text));
}

/** Matches from wait loops count only when nothing else explains the failure, and then weakly. */
function withoutTransient(matches: readonly LogMatch[]): LogMatch[] {
  const lasting = matches.filter((m) => !inWaitLoop(m));
  if (lasting.length > 0) return lasting;
  return matches.map((m) => ({ ...m, confidence: Math.max(0, m.confidence - 30) }));
}

export function diagnoseJob(input: DiagnoseInput): Diagnosis {
  const metas = new Map(input.rules.map((r) => [r.id, r]));
  const findings: Finding[] = [];
  for (const m of bestPerRule(withoutTransient(input.scan.matches))) {
    const meta = metas.get(m.ruleId);
    if (meta) findings.push(logFinding(input, meta, m));
  }
  for (const f of eventFindings(input, metas)) {
    if (!findings.some((x) => x.ruleId === f.ruleId)) findings.push(f);
  }
  findings.sort((a, b) => confidenceOf(b) - confidenceOf(a) || lineOf(a) - lineOf(b) || a.ruleId.localeCompare(b.ruleId));
  if (findings.length > 0) return { findings };
  const unmatched: Unmatched = {
    errorLines: redactLines(input.scan.errorLines.map((l) => ({ ...l, text: clip(l.text) }))),
    tail: redactLines(input.scan.tail.map((l) => ({ ...l, text: clip(l.text) }))),
  };
  if (input.failureReason !== undefined) unmatched.failureReason = input.failureReason;
  return { findings, unmatched };
}
