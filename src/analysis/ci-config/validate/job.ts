// The job keyword table (GitLab's Job and Bridge entries plus Processable's shared keys) and `default:`.
// A GitLab release that adds a job keyword adds one line here (and its family module, if new).
import { isMap, isScalar } from '../node.js';
import type { PMap } from '../node.js';
import { where } from './schema.js';
import type { Schema, VCtx } from './schema.js';
import { any, arrayOf, bool, custom, enumOf, fail, map, str, strWhere, strings } from './schema.js';
import { JOB_WHEN, allowFailure, commands, duration, inherit } from './common.js';
import { jobRules, policy } from './rules.js';
import { jobVariables } from './variables.js';
import { image, services } from './image.js';
import { cache } from './cache.js';
import { artifacts } from './artifacts.js';
import { retry } from './retry.js';
import { needs } from './needs.js';
import { parallel, bridgeParallel } from './parallel.js';
import { environment } from './environment.js';
import { release } from './release.js';
import { identity, idTokens, secrets } from './secrets.js';
import { trigger } from './trigger.js';
import { jobInputs } from './inputs.js';

/** GitLab refuses 50 tags or more. */
const MAX_TAGS = 49;

const tags = arrayOf(str, { what: 'an array of strings', max: MAX_TAGS });
const coverage = strWhere('a regular expression', (s) => s.length >= 2 && s.startsWith('/') && s.endsWith('/'));
const hooks = map({ keys: { pre_get_sources_script: commands } });
const pages = custom('a boolean value or a hash', (n, at, c) => {
  if (isScalar(n) && typeof n.value === 'boolean') return;
  map({ keys: { path_prefix: str, expire_in: duration(undefined, undefined, ['never']), publish: str } }).check(n, at, c);
});
const dastConfiguration = map({ keys: { site_profile: str, scanner_profile: str } });

/** Keys every processable (script job or trigger job) accepts. */
const processable: Record<string, Schema> = {
  extends: custom('a string or an array of strings', (n, at, c) => {
    const ok = (isScalar(n) && typeof n.value === 'string') || (n.kind === 'seq' && n.items.every((i) => isScalar(i) && typeof i.value === 'string'));
    if (!ok) fail(c, 'invalid-type', at, 'config should be a string or an array of strings', where(n, c));
  }),
  stage: str,
  only: policy,
  except: policy,
  rules: jobRules,
  variables: jobVariables,
  inherit,
  allow_failure: allowFailure,
  when: enumOf(JOB_WHEN),
  needs,
  resource_group: str,
  environment,
  interruptible: bool,
};

export const JOB_KEYS: Record<string, Schema> = {
  ...processable,
  tags,
  script: commands,
  run: arrayOf(any, { what: 'an array of steps' }),
  type: str,
  image,
  services,
  start_in: duration(7 * 86400, '1 week'),
  artifacts,
  cache,
  dependencies: strings,
  before_script: commands,
  after_script: commands,
  hooks,
  coverage,
  retry,
  parallel,
  timeout: duration(),
  release,
  id_tokens: idTokens,
  publish: str,
  pages,
  manual_confirmation: str,
  secrets,
  dast_configuration: dastConfiguration,
  identity,
  inputs: jobInputs,
};

export const BRIDGE_KEYS: Record<string, Schema> = {
  ...processable,
  trigger,
  parallel: bridgeParallel,
  when: enumOf(['on_success', 'on_failure', 'always', 'manual']),
  allow_failure: bool,
  inputs: jobInputs,
};

function checkJobRules(m: PMap, at: string, c: VCtx): void {
  const rules = m.entries.get('rules');
  if (rules && !(isScalar(rules.value) && rules.value.value === null)) {
    for (const k of ['only', 'except', 'start_in']) {
      const e = m.entries.get(k);
      if (e && !(isScalar(e.value) && e.value.value === null)) fail(c, 'exclusive-keys', at, `config key may not be used with \`rules\`: ${k}`, e.keyPos, { keys: ['rules', k] });
    }
  }
  const when = m.entries.get('when');
  const start = m.entries.get('start_in');
  const delayed = isScalar(when?.value) && when!.value.text === 'delayed';
  if (delayed && !start && !rules) fail(c, 'missing-key', at, 'config start_in should be set when `when: delayed` is used', when!.keyPos);
  if (start && !delayed && !rules) fail(c, 'invalid-value', at, 'config start_in should be blank unless `when: delayed` is used', start.keyPos);
  const deps = m.entries.get('dependencies')?.value;
  const ns = m.entries.get('needs')?.value;
  if (deps && n(deps) && ns && n(ns) && deps.kind === 'seq' && ns.kind === 'seq') {
    const needed = new Set(ns.items.map((i) => (isScalar(i) ? i.text : isMap(i) && isScalar(i.entries.get('job')?.value) ? (i.entries.get('job')!.value as { text: string }).text : '')));
    const missing = deps.items.filter((d) => isScalar(d) && !needed.has(d.text)).map((d) => (d as { text: string }).text);
    if (missing.length > 0) fail(c, 'invalid-value', at, `dependencies the ${missing.join(', ')} should be part of needs`, deps.pos);
  }
}

const n = (x: { kind: string }): boolean => x.kind !== 'ref';

export const scriptJob: Schema = map({ keys: JOB_KEYS, exclusive: [['script', 'trigger'], ['run', 'script']], also: checkJobRules });

export const bridgeJob: Schema = map({
  keys: BRIDGE_KEYS,
  also(m, at, c) {
    checkJobRules(m, at, c);
    const ns = m.entries.get('needs')?.value;
    const pipelineNeeds = ns && ns.kind === 'seq' ? ns.items.filter((i) => isMap(i) && i.entries.has('pipeline') && !i.entries.has('job')).length : 0;
    if (!m.entries.has('trigger') && pipelineNeeds === 0) fail(c, 'missing-script', at, 'config should implement the script:, run:, or trigger: keyword', where(m, c));
    if (pipelineNeeds > 1) fail(c, 'invalid-value', at, 'config should contain at most one bridge need', ns!.pos);
  },
});

export const DEFAULT_SCHEMA: Record<string, Schema> = {
  after_script: commands,
  artifacts,
  before_script: commands,
  cache,
  hooks,
  id_tokens: idTokens,
  identity,
  image,
  interruptible: bool,
  retry,
  services,
  tags,
  timeout: duration(),
};

// Unknown `default:` keys are reported where defaults are read (resolve.ts: default-invalid).
export const defaultSection: Schema = map({ keys: DEFAULT_SCHEMA, values: any });
