// Run the static checks over a context: filter, dedupe and order the findings.
import type { Finding } from '../types.js';
import type { CheckContext, StaticCheck } from './types.js';
import { allChecks } from './checks/index.js';
import { code } from '../../report/markdown/safe.js';

export interface RunOptions {
  /** Only these rules. */
  ruleIds?: string[];
  /** Only what this job does (its config and the Dockerfiles it builds). */
  jobName?: string;
  /** Rules switched off (per-project settings). */
  disabled?: string[];
  /** Checks to run instead of the registry (tests). */
  checks?: StaticCheck[];
}

/** Narrow a context to one job: its config and the Dockerfiles it builds. */
export function contextForJob(ctx: CheckContext, jobName: string): CheckContext {
  const builds = ctx.builds.filter((b) => b.job.name === jobName);
  const paths = new Set(builds.map((b) => b.dockerfilePath));
  const dockerfiles = new Map([...ctx.dockerfiles].filter(([p]) => paths.has(p)));
  const narrowed: CheckContext = { ...ctx, builds, dockerfiles };
  if (ctx.ci) narrowed.ci = { ...ctx.ci, jobs: ctx.ci.jobs.filter((j) => j.name === jobName), problems: [] };
  return narrowed;
}

function compareFindings(a: Finding, b: Finding): number {
  const pa = a.location?.path ?? '';
  const pb = b.location?.path ?? '';
  if (pa !== pb) return pa < pb ? -1 : 1;
  const la = a.location?.line ?? 0;
  const lb = b.location?.line ?? 0;
  if (la !== lb) return la - lb;
  return a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0;
}

function keyOf(f: Finding): string {
  return `${f.ruleId}\u0000${f.location?.path ?? ''}\u0000${f.location?.line ?? 0}\u0000${f.message}`;
}

/**
 * One finding per place: a template line shared by several jobs (extends, anchors, default:)
 * yields the same finding for each job; keep the first and list the jobs in evidence.
 */
function mergeAcrossJobs(findings: Finding[]): Finding[] {
  const byPlace = new Map<string, Finding>();
  const out: Finding[] = [];
  for (const f of findings) {
    const job = f.evidence?.['job'];
    if (typeof job !== 'string' || !f.location) {
      out.push(f);
      continue;
    }
    const key = `${f.ruleId}\u0000${f.location.path}\u0000${f.location.line}\u0000${JSON.stringify(f.fix ?? null)}\u0000${JSON.stringify(f.evidence?.['variable'] ?? f.evidence?.['buildArg'] ?? '')}`;
    const first = byPlace.get(key);
    if (!first) {
      const copy: Finding = { ...f, evidence: { ...f.evidence, jobs: [job] } };
      byPlace.set(key, copy);
      out.push(copy);
      continue;
    }
    const jobs = first.evidence!['jobs'] as string[];
    if (!jobs.includes(job)) jobs.push(job);
  }
  for (const f of byPlace.values()) {
    const jobs = f.evidence!['jobs'] as string[];
    if (jobs.length > 1) f.message += ` The same applies to ${jobs.length - 1} other job${jobs.length > 2 ? 's' : ''} (${jobs.slice(1, 4).map(code).join(', ')}${jobs.length > 4 ? ', ...' : ''}).`;
  }
  return out;
}

export function runStaticChecks(ctx: CheckContext, opts: RunOptions = {}): Finding[] {
  const only = opts.ruleIds ? new Set(opts.ruleIds) : undefined;
  const disabled = new Set(opts.disabled ?? []);
  const scoped = opts.jobName !== undefined ? contextForJob(ctx, opts.jobName) : ctx;
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const check of opts.checks ?? allChecks) {
    if (disabled.has(check.ruleId)) continue;
    let found: Finding[];
    try {
      found = check.run(scoped);
    } catch (err) {
      throw new Error(`check ${check.ruleId} failed: ${(err as Error).message}`, { cause: err });
    }
    for (const f of found) {
      if (disabled.has(f.ruleId) || (only && !only.has(f.ruleId))) continue;
      const k = keyOf(f);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(f);
    }
  }
  return mergeAcrossJobs(out).sort(compareFindings);
}
