// Fill in what local resolution could not see (remote/template/component includes) from GitLab's
// CI lint `merged_yaml`, keeping local positions wherever the job is known locally.
import type { Finding } from '../types.js';
import type { CiConfig, EffectiveJob, ScriptLine, SourcePos } from './types.js';
import { Budget } from './problems.js';
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

export function mergeLintResult(config: CiConfig, mergedYaml: string): CiConfig {
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
