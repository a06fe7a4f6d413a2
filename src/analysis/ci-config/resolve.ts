// The merged configuration tree (all includes applied) -> the effective model: extends, then
// !reference (GitLab's order), then default/globals, jobs and the job-level checks.
import type { Finding } from '../types.js';
import type { CiConfig, EffectiveJob, VariableDef } from './types.js';
import type { PEntry, PMap } from './node.js';
import { get, isMap, isSeq, textOf } from './node.js';
import { problem } from './problems.js';
import type { Budget } from './problems.js';
import { resolveExtends } from './extends.js';
import { resolveReferences } from './reference.js';
import { buildJob } from './jobs.js';
import type { JobEnv } from './jobs.js';
import { DEFAULT_KEYS, DEFAULT_STAGES, LEGACY_GLOBAL_KEYS, RESERVED_TOP_LEVEL } from './keywords.js';
import { readVariables } from './variables.js';
import { code } from '../../text/markdown.js';
import { validateRoot } from './validate/index.js';

export type ResolvedModel = Pick<CiConfig, 'jobs' | 'hiddenJobs' | 'stages' | 'globalVariables' | 'defaultPos' | 'defaultBeforeScriptPos' | 'topLevelBeforeScriptPos'>;

function readStages(root: PMap): string[] {
  const n = get(root, 'stages') ?? get(root, 'types');
  if (!isSeq(n)) return [...DEFAULT_STAGES];
  const named = n.items.map((i) => textOf(i)).filter((s): s is string => s !== undefined);
  return ['.pre', ...named.filter((s) => s !== '.pre' && s !== '.post'), '.post'];
}

function defaultsOf(root: PMap, problems: Finding[]): Map<string, PEntry> {
  const out = new Map<string, PEntry>();
  for (const key of LEGACY_GLOBAL_KEYS) {
    const e = root.entries.get(key);
    if (e) out.set(key, e);
  }
  const def = root.entries.get('default');
  if (def && isMap(def.value)) {
    for (const [key, e] of def.value.entries) {
      if (!DEFAULT_KEYS.has(key)) {
        problems.push(problem('default-invalid', `\`default:\` does not support ${code(key)}.`, e.keyPos, { key }));
        continue;
      }
      if (out.has(key)) problems.push(problem('default-duplicate', `${code(key)} is defined both at the top level and in \`default:\`.`, e.keyPos, { key }));
      out.set(key, e);
    }
  }
  return out;
}

export function resolveModel(merged: PMap, problems: Finding[], budget: Budget): ResolvedModel {
  const ext = resolveExtends(merged, problems, budget);
  const root = resolveReferences(ext.root, problems, budget);
  const stages = readStages(root);
  const defaults = defaultsOf(root, problems);
  const globalVariables: Record<string, VariableDef> = readVariables(get(root, 'variables'), 'global');
  const env: JobEnv = { defaults, globalVars: globalVariables, chains: ext.chains, problems, budget };

  const jobs: EffectiveJob[] = [];
  const hiddenJobs: EffectiveJob[] = [];
  for (const [name, e] of root.entries) {
    if (RESERVED_TOP_LEVEL.has(name)) continue;
    const hidden = name.startsWith('.');
    if (!isMap(e.value)) continue;
    // GitLab never validates a hidden job itself: what is wrong in it shows in the jobs that use it.
    const job = buildJob(name, e.keyPos, e.value, hidden ? { ...env, problems: [] } : env);
    (hidden ? hiddenJobs : jobs).push(job);
  }
  validateRoot(root, stages, problems, ext.broken);

  const model: ResolvedModel = { jobs, hiddenJobs, stages, globalVariables };
  const def = root.entries.get('default');
  if (def) model.defaultPos = def.keyPos;
  const defBefore = isMap(def?.value) ? def.value.entries.get('before_script') : undefined;
  if (defBefore) model.defaultBeforeScriptPos = defBefore.keyPos;
  const topBefore = root.entries.get('before_script');
  if (topBefore) model.topLevelBeforeScriptPos = topBefore.keyPos;
  return model;
}

export function emptyModel(): ResolvedModel {
  return { jobs: [], hiddenJobs: [], stages: [...DEFAULT_STAGES], globalVariables: {} };
}

