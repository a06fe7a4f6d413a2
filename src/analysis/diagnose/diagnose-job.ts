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
import { redact, redactLines } from '../../text/redact.js';
import { code as inlineCode } from '../../text/markdown.js';
import { echoedCommandText, inferJob, locateCommand } from './job-command.js';
import { eventFindings } from './event.js';
import { causeMatches, jobFacts, type JobFacts } from './facts.js';
import { addressedRepository, LEAD_THRESHOLD, statusOf, weigh, type Hypothesis } from './hypotheses.js';

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
  /** Causes at or above LEAD_THRESHOLD, most likely first: the note leads with the first. */
  findings: Finding[];
  /** Set when no cause is well enough supported: the note says "no known cause". */
  unmatched?: Unmatched;
  /** Every cause considered, with the evidence for and against it (JSON and debugging). */
  hypotheses?: Hypothesis[];
  /** The log says the job succeeded: nothing is named. */
  jobSucceeded?: { line: number };
  /** Only the end of the log was read. */
  truncated?: { keptBytes: number; totalBytes: number };
  /** GitLab Runner stopped collecting the log (its `output_limit`): what failed may be past the cut. */
  runnerLogLimit?: { line: number; limitBytes?: number };
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
  /** The decisive lines in log order; `skippedBefore` counts the lines left out before one. */
  logLines: ExcerptLine[];
  /** The repository or image the failing command addressed. */
  target?: string;
  for: string[];
  against: string[];
}

export interface ExcerptLine {
  number: number;
  text: string;
  skippedBefore?: number;
}

/** Characters kept per quoted line: enough to read, bounded for the comment. */
export const MAX_QUOTED_LINE = 500;

function clip(text: string): string {
  return text.length > MAX_QUOTED_LINE ? `${text.slice(0, MAX_QUOTED_LINE)}…` : text;
}

/** The decisive lines: the failing command, the line naming the target, the build step, the error and its context. */
function evidenceLines(m: LogMatch, target: LogLine | undefined): ExcerptLine[] {
  const byNumber = new Map<number, LogLine>();
  for (const l of [m.command, target, m.afterLine, m.dockerStep, ...m.context]) if (l) byNumber.set(l.number, l);
  const sorted = [...byNumber.values()].sort((a, b) => a.number - b.number);
  return markSkips(redactLines(sorted.map((l) => ({ number: l.number, text: clip(l.text) }))));
}

/** Marks each gap in the numbering, so every output format can say where lines were left out. */
export function markSkips<T extends { number: number }>(lines: readonly T[]): Array<T & { skippedBefore?: number }> {
  return lines.map((l, i) => {
    const prev = lines[i - 1];
    return prev && l.number > prev.number + 1 ? { ...l, skippedBefore: l.number - prev.number - 1 } : { ...l };
  });
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

interface Candidate {
  meta: RuleMeta;
  match: LogMatch;
  hypothesis: Hypothesis;
  /** Why this cause was named instead of the one the matching line suggested. */
  lead?: string;
}

function logFinding(input: DiagnoseInput, c: Candidate, facts: JobFacts): Finding {
  const { meta, match: m, hypothesis: h } = c;
  const command = m.command ? redact(clip(echoedCommandText(m.command.text))) : undefined;
  const dockerStep = m.dockerStep ? redact(clip(m.dockerStep.text.trim())) : undefined;
  const job = input.ci
    ? input.jobName !== undefined
      ? input.ci.jobs.find((j) => j.name === input.jobName)
      : inferJob(input.ci, m.command?.text)
    : undefined;
  const jobName = input.jobName ?? job?.name;
  const target = addressedRepository(m, facts);
  const evidence: LogEvidence = {
    patternId: m.patternId,
    confidence: h.confidence,
    line: m.line.number,
    logLines: evidenceLines(m, target?.line),
    for: [...h.for],
    against: [...h.against],
  };
  if (jobName !== undefined) evidence.job = jobName;
  if (command !== undefined) evidence.command = command;
  if (dockerStep !== undefined) evidence.dockerStep = dockerStep;
  if (m.line.section !== undefined) evidence.section = m.line.section;
  if (target) evidence.target = redact(clip(target.repo));

  const finding: Finding = {
    ruleId: meta.id,
    severity: meta.severity,
    title: meta.title,
    message: (c.lead ? `${c.lead} ` : '') + describe(m, command, dockerStep),
    confidence: h.confidence,
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

function hypothesisOf(m: LogMatch, j: ReturnType<typeof weigh>): Hypothesis {
  return {
    ruleId: m.ruleId,
    confidence: j.confidence,
    base: m.confidence,
    patternId: m.patternId,
    line: m.line.number,
    for: j.for,
    against: j.against,
    status: statusOf(j.confidence),
  };
}

const byStrength = (a: Candidate, b: Candidate): number =>
  b.hypothesis.confidence - a.hypothesis.confidence || a.match.line.number - b.match.line.number || a.meta.id.localeCompare(b.meta.id);

/** Every match weighed; per rule the best-supported one; causes the evidence pointed to added. */
function candidates(input: DiagnoseInput, metas: ReadonlyMap<string, RuleMeta>, facts: JobFacts): Candidate[] {
  const matches = causeMatches(input.scan);
  const best = new Map<string, Candidate>();
  const keep = (c: Candidate): void => {
    const cur = best.get(c.meta.id);
    if (!cur || byStrength(c, cur) < 0) best.set(c.meta.id, c);
  };
  const alternatives: Candidate[] = [];
  for (const m of matches) {
    const meta = metas.get(m.ruleId);
    if (!meta) continue;
    const j = weigh(m, facts, matches);
    const h = hypothesisOf(m, j);
    keep({ meta, match: m, hypothesis: h });
    const alt = j.alternative;
    const altMeta = alt ? metas.get(alt.ruleId) : undefined;
    if (alt && altMeta) {
      h.replacedBy = alt.ruleId;
      alternatives.push({
        meta: altMeta,
        match: { ...m, ruleId: alt.ruleId, confidence: alt.confidence },
        hypothesis: { ...h, ruleId: alt.ruleId, confidence: alt.confidence, base: alt.confidence, for: [alt.reason], against: [], status: statusOf(alt.confidence) },
        lead: alt.reason,
      });
    }
  }
  for (const alt of alternatives) {
    const own = best.get(alt.meta.id);
    // The rule matched on its own too: the evidence strengthens it rather than duplicating it.
    if (own) {
      own.hypothesis.for.push(...alt.hypothesis.for);
      if (alt.hypothesis.confidence > own.hypothesis.confidence) {
        own.hypothesis.confidence = alt.hypothesis.confidence;
        own.hypothesis.status = statusOf(own.hypothesis.confidence);
      }
      own.lead ??= alt.lead;
    } else keep(alt);
  }
  return [...best.values()].sort(byStrength);
}

export function diagnoseJob(input: DiagnoseInput): Diagnosis {
  const metas = new Map(input.rules.map((r) => [r.id, r]));
  const facts = jobFacts(input.scan);
  const all = candidates(input, metas, facts);
  const leading = all.filter((c) => c.hypothesis.confidence >= LEAD_THRESHOLD);
  const findings = leading.map((c) => logFinding(input, c, facts));
  const hypotheses = all.map((c) => c.hypothesis);
  if (!facts.jobSucceeded) {
    for (const f of eventFindings(input, metas)) {
      if (findings.some((x) => x.ruleId === f.ruleId)) continue;
      const confidence = typeof f.evidence?.confidence === 'number' ? f.evidence.confidence : 0;
      f.confidence = confidence;
      hypotheses.push({ ruleId: f.ruleId, confidence, base: confidence, patternId: 'failure-reason', line: 0, for: [f.message], against: [], status: statusOf(confidence) });
      if (confidence >= LEAD_THRESHOLD) findings.push(f);
    }
  }
  findings.sort((a, b) => (b.confidence ?? 0) - (a.confidence ?? 0));
  const lead = findings[0];
  if (lead) {
    const h = hypotheses.find((x) => x.ruleId === lead.ruleId);
    if (h) h.status = 'lead';
  }
  hypotheses.sort((a, b) => b.confidence - a.confidence || a.line - b.line);
  const result: Diagnosis = { findings, hypotheses };
  const truncated = truncationOf(input.scan);
  if (truncated) result.truncated = truncated;
  const cut = runnerLogLimit(input.scan);
  if (cut) result.runnerLogLimit = cut;
  if (facts.jobSucceeded) {
    result.jobSucceeded = { line: facts.jobSucceeded.number };
    return result;
  }
  if (findings.length > 0) return result;
  const unmatched: Unmatched = {
    errorLines: redactLines(input.scan.errorLines.map((l) => ({ ...l, text: clip(l.text) }))),
    tail: redactLines(input.scan.tail.map((l) => ({ ...l, text: clip(l.text) }))),
  };
  if (input.failureReason !== undefined) unmatched.failureReason = input.failureReason;
  result.unmatched = unmatched;
  return result;
}

/**
 * What the scanner says it left out. The scanner reports either a flag (it stopped at the byte
 * limit) or, keeping the log's end, how much it kept of how much: both read the same here.
 */
export function truncationOf(scan: LogScanResult): { keptBytes: number; totalBytes: number } | undefined {
  const t: unknown = (scan as { truncated?: unknown }).truncated;
  if (t && typeof t === 'object') {
    const o = t as { keptBytes?: unknown; totalBytes?: unknown };
    if (typeof o.keptBytes === 'number' && typeof o.totalBytes === 'number') return { keptBytes: o.keptBytes, totalBytes: o.totalBytes };
  }
  if (t === true) return { keptBytes: scan.totalBytes, totalBytes: scan.totalBytes };
  return undefined;
}

const RUNNER_LIMIT = "Job's log exceeded limit of ";

/**
 * GitLab Runner's own cut (`Job's log exceeded limit of 4194304 bytes.`, written when a job's
 * output passes the runner's `output_limit`): nothing the job printed after it was kept, so the
 * line that explains the failure may be missing. Found among the last lines, where the cut is.
 */
function runnerLogLimit(scan: LogScanResult): { line: number; limitBytes?: number } | undefined {
  for (const l of [...scan.tail, ...scan.errorLines]) {
    const at = l.text.indexOf(RUNNER_LIMIT);
    if (at < 0) continue;
    let end = at + RUNNER_LIMIT.length;
    const start = end;
    while (end < l.text.length && end - start < 15 && l.text[end]! >= '0' && l.text[end]! <= '9') end++;
    return { line: l.number, ...(end > start ? { limitBytes: Number(l.text.slice(start, end)) } : {}) };
  }
  return undefined;
}
