// Run the static checks over a context: filter, dedupe and order the findings.
import type { Finding } from '../types.js';
import type { CheckContext, StaticCheck } from './types.js';
import { allChecks, ciChecks } from './checks/index.js';
import { jobBuilds } from './context.js';
import { code } from '../../text/markdown.js';

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

/** The message with the job's name taken out, so the same problem in two jobs reads the same. */
function shapeOf(f: Finding, job: string): string {
  const variable = JSON.stringify(f.evidence?.['variable'] ?? f.evidence?.['buildArg'] ?? '');
  return `${f.ruleId}\u0000${f.message.split(code(job)).join('`<job>`')}\u0000${variable}`;
}

function placeOf(f: Finding): string {
  return `${f.location!.path}:${f.location!.line}`;
}

/** Every fix of the group as one: edits deduplicated; overlapping edits keep the first fix only. */
function mergedFix(group: Finding[]): Finding['fix'] {
  const fixes = group.map((f) => f.fix).filter((x): x is NonNullable<Finding['fix']> => x !== undefined);
  if (fixes.length <= 1) return fixes[0];
  const edits: NonNullable<Finding['fix']>['edits'] = [];
  const seen = new Set<string>();
  for (const e of fixes.flatMap((x) => x.edits)) {
    const k = JSON.stringify(e);
    if (seen.has(k)) continue;
    if (edits.some((o) => o.path === e.path && e.startLine <= Math.max(o.endLine, o.startLine) && o.startLine <= Math.max(e.endLine, e.startLine))) return fixes[0];
    seen.add(k);
    edits.push(e);
  }
  return { description: fixes.length > 1 ? `${fixes[0]!.description} (in ${fixes.length} places)` : fixes[0]!.description, edits };
}

/**
 * One finding per problem: the same problem in several jobs (a template line shared through
 * extends, anchors or default:, or the same mistake copied into every job) is reported once, at
 * its first place, naming the other jobs and where they are; its fix fixes every place.
 */
function mergeAcrossJobs(findings: Finding[]): Finding[] {
  const groups = new Map<string, Finding[]>();
  const out: Array<Finding | Finding[]> = [];
  for (const f of findings) {
    const job = f.evidence?.['job'];
    if (typeof job !== 'string' || !f.location) {
      out.push(f);
      continue;
    }
    const key = shapeOf(f, job);
    const group = groups.get(key);
    if (group) group.push(f);
    else {
      const g = [f];
      groups.set(key, g);
      out.push(g);
    }
  }
  return out.map((g) => (Array.isArray(g) ? mergeGroup(g) : g));
}

function mergeGroup(group: Finding[]): Finding {
  const first = group[0]!;
  const jobs: string[] = [];
  const where = new Map<string, string>();
  const locations: Array<{ path: string; line: number }> = [];
  for (const f of group) {
    const job = f.evidence!['job'] as string;
    if (!jobs.includes(job)) {
      jobs.push(job);
      where.set(job, placeOf(f));
    }
    if (!locations.some((l) => l.path === f.location!.path && l.line === f.location!.line)) locations.push({ path: f.location!.path, line: f.location!.line });
  }
  const merged: Finding = { ...first, evidence: { ...first.evidence, jobs, ...(locations.length > 1 ? { locations } : {}) } };
  const fix = mergedFix(group);
  if (fix) merged.fix = fix;
  else delete merged.fix;
  if (jobs.length > 1) {
    const others = jobs.slice(1);
    const shown = others.slice(0, 8).map((j) => {
      const at = where.get(j)!;
      return at === placeOf(first) ? code(j) : `${code(j)} (${at.startsWith(`${first.location!.path}:`) ? `line ${at.slice(first.location!.path.length + 1)}` : at})`;
    });
    merged.message += ` The same applies to ${others.length} other job${others.length > 1 ? 's' : ''}: ${shown.join(', ')}${others.length > 8 ? `, and ${others.length - 8} more` : ''}.`;
  }
  return merged;
}

/**
 * Rules whose verdict depends on the rest of the pipeline (a root's `default:` login, image,
 * services or variables): a hidden template or a fragment seen alone cannot be judged on them.
 */
export const CONTEXT_RULES: ReadonlySet<string> = new Set([
  'registry-login-missing', 'registry-login-failed', 'registry-push-target-mismatch', 'ci-variable-empty',
  'docker-cli-missing', 'dind-unreachable', 'dind-tls-mismatch', 'cache-from-not-pulled', 'pages-public-missing',
]);

/** Problem codes a fragment cannot be judged on alone: what it names may be defined by the file including it. */
const ELSEWHERE_CODES = new Set(['unknown-stage', 'needs-missing', 'extends-missing', 'reference-missing', 'missing-script']);

/**
 * A CI file seen alone, included by no pipeline found: keep what the file itself can be wrong about;
 * "stage/needs/parent not defined here" becomes information.
 */
export function asFragment(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => !CONTEXT_RULES.has(f.ruleId)).map((f) => {
    if (f.ruleId !== 'ci-config-invalid' || !ELSEWHERE_CODES.has(String(f.evidence?.['code']))) return f;
    return { ...f, severity: 'info', message: `${f.message} This file is included by no pipeline found, so the file that includes it may define it.` };
  });
}

/**
 * Hidden jobs (`.docker-build:`) that no job of this pipeline extends: checked as a job that
 * extends them would see them, for what does not depend on the extending job.
 */
function unextendedTemplates(ctx: CheckContext): CheckContext | undefined {
  const ci = ctx.ci;
  if (!ci || ci.hiddenJobs.length === 0) return undefined;
  const used = new Set(ci.jobs.flatMap((j) => j.extends));
  const templates = ci.hiddenJobs.filter((h) => !used.has(h.name));
  if (templates.length === 0) return undefined;
  const builds = templates.flatMap((job) => jobBuilds(job, ctx.dockerfiles));
  return { ...ctx, ci: { ...ci, jobs: templates, problems: [] }, builds };
}

export function runStaticChecks(ctx: CheckContext, opts: RunOptions = {}): Finding[] {
  const only = opts.ruleIds ? new Set(opts.ruleIds) : undefined;
  const disabled = new Set(opts.disabled ?? []);
  const scoped = opts.jobName !== undefined ? contextForJob(ctx, opts.jobName) : ctx;
  const seen = new Set<string>();
  const out: Finding[] = [];
  const templates = opts.jobName === undefined ? unextendedTemplates(ctx) : undefined;
  for (const check of opts.checks ?? allChecks) {
    if (disabled.has(check.ruleId)) continue;
    let found: Finding[];
    try {
      found = check.run(scoped);
      // Templates only for job rules that do not depend on the extending job (Dockerfiles are checked once, above).
      if (templates && ciChecks.includes(check) && !CONTEXT_RULES.has(check.ruleId) && check.ruleId !== 'ci-config-invalid') {
        const viaTemplates = check.run(templates).filter((f) => typeof f.evidence?.['job'] === 'string');
        found = [...found, ...viaTemplates.map((f) => ({ ...f, evidence: { ...f.evidence, template: true } }))];
      }
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
