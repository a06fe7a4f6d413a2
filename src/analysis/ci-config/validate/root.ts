// The whole configuration after includes, extends and !reference: top-level keywords, every job
// through its schema (script job or trigger job), then the checks across jobs.
import type { Finding } from '../../types.js';
import type { PMap } from '../node.js';
import { isMap, isScalar } from '../node.js';
import { problem } from '../problems.js';
import { RESERVED_TOP_LEVEL } from '../keywords.js';
import type { Schema, VCtx } from './schema.js';
import { arrayOf, str } from './schema.js';
import { commands } from './common.js';
import { rootVariables } from './variables.js';
import { workflow } from './workflow.js';
import { image, services } from './image.js';
import { cache } from './cache.js';
import { bridgeJob, defaultSection, scriptJob } from './job.js';
import { crossJobChecks } from './cross.js';
import type { JobToCheck } from './cross.js';

const ROOT_KEYS: Record<string, Schema> = {
  default: defaultSection,
  stages: arrayOf(str, { what: 'an array of strings' }),
  types: arrayOf(str, { what: 'an array of strings' }),
  variables: rootVariables,
  workflow,
  image,
  services,
  cache,
  before_script: commands,
  after_script: commands,
};

function isPipelineOnlyBridge(m: PMap): boolean {
  const needs = m.entries.get('needs')?.value;
  return needs?.kind === 'seq' && needs.items.some((i) => isMap(i) && i.entries.has('pipeline') && !i.entries.has('job'));
}

/**
 * `brokenExtends`: jobs whose extends chain is already reported (their missing keys are a consequence).
 */
export function validateRoot(root: PMap, stages: string[], problems: Finding[], brokenExtends: Set<string>): void {
  const start = problems.length;
  const c: VCtx = { problems };
  for (const [key, s] of Object.entries(ROOT_KEYS)) {
    const e = root.entries.get(key);
    if (e && !(isScalar(e.value) && e.value.value === null)) s.check(e.value, key, c);
  }
  const jobs: JobToCheck[] = [];
  for (const [name, e] of root.entries) {
    if (RESERVED_TOP_LEVEL.has(name)) continue;
    if (name.startsWith('.')) continue;
    const at = `jobs:${name}`;
    if (!isMap(e.value)) {
      problems.push(problem('job-not-hash', `\`${name}\` is not a job mapping (a job needs keys such as \`script:\`).`, e.keyPos, { job: name }));
      continue;
    }
    const m = e.value;
    jobs.push({ name, keyPos: e.keyPos, node: m });
    if (m.entries.has('script') || m.entries.has('run')) {
      scriptJob.check(m, at, c);
      const script = m.entries.get('script')?.value;
      const blank = (script && isScalar(script) && (script.value === null || script.text === '')) || (script?.kind === 'seq' && script.items.length === 0);
      if (script && blank && script.via !== 'reference') {
        problems.push(problem('missing-script', `${at}:script can't be blank`, m.entries.get('script')!.keyPos, { job: name }));
      }
    } else if (m.entries.has('trigger') || isPipelineOnlyBridge(m)) bridgeJob.check(m, at, c);
    else {
      scriptJob.check(m, at, c);
      if (!brokenExtends.has(name)) problems.push(problem('missing-script', `\`${name}\` has no \`script:\` (nor \`run:\` or \`trigger:\`), so GitLab refuses the pipeline: jobs:${name} config should implement the script:, run:, or trigger: keyword.`, e.keyPos, { job: name }));
    }
  }
  crossJobChecks(jobs, stages, problems, root.pos);
  aggregate(problems, start);
}

/**
 * A key written once in a template and inherited by many jobs is one problem on its line, naming
 * the other jobs, not one finding per job.
 */
function aggregate(problems: Finding[], start: number): void {
  const fresh = problems.splice(start);
  const groups = new Map<string, { first: Finding; jobs: string[] }>();
  const order: Finding[] = [];
  for (const f of fresh) {
    const key = typeof f.evidence?.key === 'string' ? f.evidence.key : undefined;
    const job = key?.startsWith('jobs:') ? key.split(':')[1] : undefined;
    if (!key || job === undefined || !f.location) {
      order.push(f);
      continue;
    }
    const tail = f.message.slice(`jobs:${job}`.length);
    const id = `${f.location.path}:${f.location.line}:${String(f.evidence?.code)}:${tail}`;
    const g = groups.get(id);
    if (g) g.jobs.push(job);
    else {
      const entry = { first: f, jobs: [job] };
      groups.set(id, entry);
      order.push(f);
    }
  }
  for (const f of order) {
    const g = [...groups.values()].find((x) => x.first === f);
    if (g && g.jobs.length > 1) {
      const others = g.jobs.slice(1);
      const shown = others.slice(0, 5).map((j) => `\`${j}\``).join(', ') + (others.length > 5 ? ` and ${others.length - 5} more` : '');
      problems.push({ ...f, message: `${f.message} (the same applies to ${others.length} other job${others.length > 1 ? 's' : ''}: ${shown})`, evidence: { ...(f.evidence ?? {}), jobs: g.jobs } });
    } else problems.push(f);
  }
}
