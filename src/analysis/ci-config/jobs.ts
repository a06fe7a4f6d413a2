// One job mapping (already extended and with !reference resolved) -> EffectiveJob:
// `default:` / legacy globals and `inherit:` applied, variables merged, scripts flattened.
import type { Finding } from '../types.js';
import type { EffectiveJob, ImageSpec, ServiceSpec, VariableDef } from './types.js';
import type { PEntry, PMap, PNode } from './node.js';
import { get, isMap, isScalar, isSeq, textOf } from './node.js';
import type { Budget } from './problems.js';
import { DEFAULT_KEYS } from './keywords.js';
import { readVariables } from './variables.js';
import { scriptLines } from './scripts.js';

export interface JobEnv {
  /** `default:` merged over the legacy top-level globals (key -> where it is written). */
  defaults: Map<string, PEntry>;
  globalVars: Record<string, VariableDef>;
  chains: Map<string, string[]>;
  problems: Finding[];
  budget: Budget;
}

/** `inherit: default|variables:` as a predicate over names: true/absent = all, false = none, list = those. */
function inheritFilter(n: PNode | undefined): (key: string) => boolean {
  if (isScalar(n) && (n.value === false || n.text === 'false')) return () => false;
  if (isSeq(n)) {
    const names = new Set(n.items.map((i) => textOf(i) ?? ''));
    return (k) => names.has(k);
  }
  return () => true;
}

function strings(n: PNode | undefined): string[] | undefined {
  if (isSeq(n)) return n.items.map((i) => textOf(i) ?? '');
  const t = textOf(n);
  return t === undefined ? undefined : [t];
}

export function readImage(n: PNode | undefined): ImageSpec | undefined {
  if (n === undefined) return undefined;
  const name = isMap(n) ? textOf(get(n, 'name')) : textOf(n);
  if (name === undefined) return undefined;
  const image: ImageSpec = { name, pos: n.pos };
  const ep = isMap(n) ? strings(get(n, 'entrypoint')) : undefined;
  if (ep) image.entrypoint = ep;
  return image;
}

export function readServices(n: PNode | undefined): ServiceSpec[] {
  if (!isSeq(n)) return [];
  const out: ServiceSpec[] = [];
  for (const item of n.items) {
    const name = isMap(item) ? textOf(get(item, 'name')) : textOf(item);
    if (name === undefined) continue;
    const svc: ServiceSpec = { name, variables: {}, pos: item.pos };
    if (isMap(item)) {
      const alias = textOf(get(item, 'alias'));
      if (alias !== undefined) svc.alias = alias;
      const command = strings(get(item, 'command'));
      if (command) svc.command = command;
      const entrypoint = strings(get(item, 'entrypoint'));
      if (entrypoint) svc.entrypoint = entrypoint;
      for (const [k, v] of Object.entries(readVariables(get(item, 'variables'), 'service'))) svc.variables[k] = v.value;
    }
    out.push(svc);
  }
  return out;
}

/** Plain JSON of a node (bounded by the budget); `!reference` leftovers become null. */
export function toJSON(n: PNode, budget: Budget): unknown {
  budget.node(n.pos);
  if (n.kind === 'scalar') return n.value;
  if (n.kind === 'seq') return n.items.map((i) => toJSON(i, budget));
  if (n.kind === 'ref') return null;
  return Object.fromEntries([...n.entries].map(([k, e]) => [k, toJSON(e.value, budget)]));
}

function truthy(n: PNode | undefined): boolean | undefined {
  if (n === undefined) return undefined;
  if (isMap(n)) return true; // allow_failure: { exit_codes: [...] }
  return isScalar(n) && (n.value === true || n.text === 'true');
}

export function buildJob(name: string, keyPos: EffectiveJob['pos'], node: PMap, env: JobEnv): EffectiveJob {
  const inherit = get(node, 'inherit');
  const inheritsDefault = inheritFilter(get(inherit, 'default'));
  const inheritsVar = inheritFilter(get(inherit, 'variables'));
  const pick = (key: string): PEntry | undefined =>
    node.entries.get(key) ?? (DEFAULT_KEYS.has(key) && inheritsDefault(key) ? env.defaults.get(key) : undefined);

  const variables: Record<string, VariableDef> = {};
  for (const [k, v] of Object.entries(env.globalVars)) if (inheritsVar(k)) variables[k] = v;
  Object.assign(variables, readVariables(get(node, 'variables'), 'job'));

  const sctx = { jobName: name, vars: variables, problems: env.problems, budget: env.budget, jobPos: keyPos };
  const before = pick('before_script');
  const script = node.entries.get('script');
  const after = pick('after_script');
  const when = textOf(get(node, 'when'));
  const raw = toJSON(node, env.budget) as Record<string, unknown>;
  for (const key of DEFAULT_KEYS) {
    const e = pick(key);
    if (e && !(key in raw)) raw[key] = toJSON(e.value, env.budget);
  }

  const job: EffectiveJob = {
    name,
    pos: keyPos,
    stage: textOf(get(node, 'stage')) ?? 'test',
    services: readServices(pick('services')?.value),
    variables,
    beforeScript: scriptLines(before?.value, 'before_script', sctx),
    script: scriptLines(script?.value, 'script', sctx),
    afterScript: scriptLines(after?.value, 'after_script', sctx),
    allowFailure: truthy(get(node, 'allow_failure')) ?? when === 'manual',
    tags: strings(pick('tags')?.value) ?? [],
    extends: env.chains.get(name) ?? [],
    raw,
    origin: 'local',
  };
  const image = readImage(pick('image')?.value);
  if (image) job.image = image;
  if (before) job.beforeScriptPos = before.keyPos;
  if (script) job.scriptPos = script.keyPos;
  if (when !== undefined) job.when = when;
  return job;
}
