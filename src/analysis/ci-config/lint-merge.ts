// Fill in what local resolution could not see (remote/template/component includes) from GitLab's
// CI lint `merged_yaml`, keeping local positions wherever the job is known locally.
import type { Finding } from '../types.js';
import type { CiConfig, EffectiveJob, ScriptLine, SourcePos } from './types.js';
import { Budget, problem } from './problems.js';
import { parseCiYaml } from './parse.js';
import { resolveModel } from './resolve.js';
import type { ResolvedModel } from './resolve.js';

function relabel(job: EffectiveJob, at: SourcePos): EffectiveJob {
  const line = (l: ScriptLine): ScriptLine => ({ ...l, pos: at, origin: 'lint' });
  const out: EffectiveJob = {
    ...job,
    pos: at,
    beforeScript: job.beforeScript.map(line),
    script: job.script.map(line),
    afterScript: job.afterScript.map(line),
    services: job.services.map((s) => ({ ...s, pos: at })),
    variables: Object.fromEntries(Object.entries(job.variables).map(([k, v]) => [k, { ...v, pos: at }])),
    origin: 'lint',
  };
  if (job.image) out.image = { ...job.image, pos: at };
  delete out.beforeScriptPos;
  delete out.scriptPos;
  return out;
}

/** A local job whose pieces are missing (e.g. it extends a template) gets them from lint. */
function fillIn(local: EffectiveJob, remote: EffectiveJob): EffectiveJob {
  const out: EffectiveJob = { ...local };
  if (local.beforeScript.length === 0) out.beforeScript = remote.beforeScript;
  if (local.script.length === 0) out.script = remote.script;
  if (local.afterScript.length === 0) out.afterScript = remote.afterScript;
  if (!local.image && remote.image) out.image = remote.image;
  if (local.services.length === 0) out.services = remote.services;
  out.variables = { ...remote.variables, ...local.variables };
  out.raw = { ...remote.raw, ...local.raw };
  return out;
}

function mergeJobs(local: EffectiveJob[], remote: EffectiveJob[], at: SourcePos): EffectiveJob[] {
  const byName = new Map(local.map((j) => [j.name, j]));
  const out = local.map((j) => {
    const r = remote.find((x) => x.name === j.name);
    return r ? fillIn(j, relabel(r, at)) : j;
  });
  for (const r of remote) if (!byName.has(r.name)) out.push(relabel(r, at));
  return out;
}

/** Problems that only existed because a job or parent was out of local reach. */
function stillValid(f: Finding, known: Set<string>): boolean {
  const ev = f.evidence ?? {};
  if (ev.code === 'needs-missing') return !known.has(String(ev.needs));
  if (ev.code === 'extends-missing') return !known.has(String(ev.parent));
  if (ev.code === 'reference-missing' && Array.isArray(ev.reference)) return !known.has(String(ev.reference[0]));
  return true;
}

/** What the project CI lint API returns that the merge uses (GET /projects/:id/ci/lint). */
export interface LintAnswer {
  valid?: boolean;
  errors?: string[];
  merged_yaml?: string | null;
}

/**
 * Merges GitLab's CI lint answer into the local analysis: jobs from includes that could not be read
 * locally (from `merged_yaml`), and GitLab's errors next to the local ones without duplicates.
 * A string is taken as `merged_yaml` alone.
 */
export function mergeLintResult(config: CiConfig, lint: string | LintAnswer): CiConfig {
  const answer: LintAnswer = typeof lint === 'string' ? { merged_yaml: lint } : lint;
  const merged = answer.merged_yaml ? mergeYaml(config, answer.merged_yaml) : config;
  return mergeLintErrors(merged, answer.errors ?? []);
}

function mergeYaml(config: CiConfig, mergedYaml: string): CiConfig {
  const entry = config.files.keys().next().value ?? '.gitlab-ci.yml';
  const at: SourcePos = { path: entry, line: 1 };
  let remote: ResolvedModel;
  try {
    const ignored: Finding[] = [];
    const budget = new Budget(1_000_000, 10_000);
    const parsed = parseCiYaml(`${entry} (merged by GitLab)`, mergedYaml, budget, ignored);
    if (!parsed.tree) return config;
    remote = resolveModel(parsed.tree, ignored, budget);
  } catch {
    return config;
  }
  const known = new Set([...remote.jobs, ...remote.hiddenJobs].map((j) => j.name));
  return {
    ...config,
    jobs: mergeJobs(config.jobs, remote.jobs, at),
    hiddenJobs: mergeJobs(config.hiddenJobs, remote.hiddenJobs, at),
    stages: remote.stages,
    globalVariables: { ...Object.fromEntries(Object.entries(remote.globalVariables).map(([k, v]) => [k, { ...v, pos: at }])), ...config.globalVariables },
    problems: config.problems.filter((f) => stillValid(f, known)),
  };
}

/** Most GitLab errors start with the entry path they are about: "jobs:build:retry config ...". */
function subjectOf(message: string): { key?: string; job?: string } {
  const first = message.split(' ', 1)[0] ?? '';
  if (first.startsWith('jobs:')) {
    const parts = first.split(':');
    return { key: first, job: parts[1] };
  }
  // "build job: chosen stage does not exist", "build job: undefined need: x"
  const jobAt = message.indexOf(' job: ');
  if (jobAt > 0) return { job: message.slice(0, jobAt) };
  return first.includes(':') || ['root', 'include', 'workflow', 'default', 'stages', 'variables'].includes(first) ? { key: first } : {};
}

/** Local problem codes that say the same thing as a GitLab error phrased this way. */
function codesFor(message: string): string[] {
  const m = message.toLowerCase();
  const out: string[] = [];
  const has = (s: string): boolean => m.includes(s);
  if (has('chosen stage') || has('stage does not exist')) out.push('unknown-stage');
  if (has('undefined need') || has('needs:') || has(' need ')) out.push('needs-missing', 'needs-later-stage');
  if (has('dependency') || has('dependencies')) out.push('dependency-missing', 'dependency-later-stage', 'invalid-value');
  if (has('script:, run:, or trigger:') || has('script can\'t be blank')) out.push('missing-script');
  if (has('unknown keys')) out.push('unknown-keyword', 'default-invalid');
  if (has('extends')) out.push('extends-missing', 'extends-cycle', 'extends-too-deep', 'extends-invalid');
  if (has('!reference')) out.push('reference-missing', 'reference-invalid', 'reference-too-deep');
  if (has('at least one visible job')) out.push('no-visible-job');
  if (has('does not exist') || has('not found') || has('include')) out.push('include-missing', 'include-invalid');
  return out;
}

function normalise(s: string): string {
  return s.toLowerCase().split('`').join('').trim();
}

function sameProblem(local: Finding, message: string): boolean {
  if (normalise(local.message) === normalise(message)) return true;
  const ev = local.evidence ?? {};
  const subject = subjectOf(message);
  const codes = codesFor(message);
  const code = String(ev.code);
  if (subject.key !== undefined && ev.key === subject.key) return true;
  const localJob = typeof ev.job === 'string' ? ev.job : typeof ev.key === 'string' && ev.key.startsWith('jobs:') ? ev.key.split(':')[1] : undefined;
  if (subject.job !== undefined && localJob === subject.job) return codes.includes(code);
  if (subject.job === undefined && subject.key === undefined) return codes.includes(code) && codes.length > 0 && ['no-visible-job', 'include-missing'].includes(code);
  return false;
}

/** Where a GitLab error belongs locally: the job it names, else the top of the entry file. */
function locate(config: CiConfig, message: string): SourcePos {
  const entry = config.files.keys().next().value ?? '.gitlab-ci.yml';
  const { job } = subjectOf(message);
  const j = job !== undefined ? [...config.jobs, ...config.hiddenJobs].find((x) => x.name === job && x.origin !== 'lint') : undefined;
  return j ? j.pos : { path: entry, line: 1 };
}

/** GitLab's own errors join the local ones; one GitLab already agrees with is not repeated. */
export function mergeLintErrors(config: CiConfig, errors: string[]): CiConfig {
  if (errors.length === 0) return config;
  const problems = [...config.problems];
  const candidates = [...config.problems, ...(config.uncertainProblems ?? [])];
  const confirmedFrom = new Set<Finding>();
  for (const raw of errors) {
    const message = String(raw).slice(0, 500);
    if (message.trim() === '') continue;
    const twin = candidates.find((p) => sameProblem(p, message));
    if (twin) {
      // GitLab confirms it: the local finding (with its line) stays, and an uncertain one becomes certain.
      const confirmed: Finding = { ...twin, evidence: { ...(twin.evidence ?? {}), gitlab: message } };
      const i = problems.indexOf(twin);
      if (i >= 0) problems[i] = confirmed;
      else problems.push(confirmed);
      confirmedFrom.add(twin);
      candidates[candidates.indexOf(twin)] = confirmed;
      continue;
    }
    problems.push(problem('gitlab-lint', `GitLab's CI lint: ${message}`, locate(config, message), { gitlab: message }));
  }
  const out: CiConfig = { ...config, problems };
  if (config.uncertainProblems) out.uncertainProblems = config.uncertainProblems.filter((p) => !confirmedFrom.has(p));
  return out;
}
