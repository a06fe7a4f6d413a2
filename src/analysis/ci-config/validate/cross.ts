// Checks GitLab makes across jobs: stages exist, needs/dependencies name jobs of this pipeline in
// allowed stages, job name length, at least one visible job.
import type { PMap, PNode } from '../node.js';
import { get, isMap, isScalar, isSeq, textOf } from '../node.js';
import type { Finding } from '../../types.js';
import { problem } from '../problems.js';

export const MAX_JOB_NAME = 255;

const UNREADABLE = new Set(['yaml-syntax', 'file-too-large', 'alias-limit', 'nesting-too-deep', 'include-missing', 'internal']);

export interface JobToCheck {
  name: string;
  keyPos: PNode['pos'];
  node: PMap;
}

function stageOf(node: PMap): string {
  return textOf(get(node, 'stage')) ?? textOf(get(node, 'type')) ?? 'test';
}

/** Names a `needs:` list asks for in this pipeline (cross-project and parent-pipeline needs excluded). */
function neededJobs(n: PNode | undefined): { name: string; node: PNode; optional: boolean }[] {
  if (isScalar(n) && typeof n.value === 'string') return [{ name: n.text, node: n, optional: false }];
  if (!isSeq(n)) return [];
  const out: { name: string; node: PNode; optional: boolean }[] = [];
  for (const i of n.items) {
    if (isScalar(i) && typeof i.value === 'string') out.push({ name: i.text, node: i, optional: false });
    else if (isMap(i) && !i.entries.has('pipeline') && !i.entries.has('project')) {
      const job = textOf(get(i, 'job'));
      const optional = get(i, 'optional');
      if (job !== undefined) out.push({ name: job, node: i, optional: isScalar(optional) && optional.value === true });
    }
  }
  return out;
}

export function crossJobChecks(jobs: JobToCheck[], stages: string[], problems: Finding[], rootPos: PNode['pos']): void {
  const byName = new Map(jobs.map((j) => [j.name, j]));
  const stageIndex = new Map(stages.map((s, i) => [s, i]));
  // A configuration that could not be read at all is already reported; "no job" would only repeat it.
  const unreadable = problems.some((p) => UNREADABLE.has(String(p.evidence?.code)));
  if (jobs.length === 0 && !unreadable) problems.push(problem('no-visible-job', 'jobs config should contain at least one visible job', { path: rootPos.path, line: 1 }));
  for (const { name, keyPos, node } of jobs) {
    if (name.length > MAX_JOB_NAME) problems.push(problem('job-name-too-long', `jobs:${name.slice(0, 40)}… name is too long (maximum is ${MAX_JOB_NAME} characters)`, keyPos, { job: name }));
    const stageEntry = node.entries.get('stage') ?? node.entries.get('type');
    const stage = stageOf(node);
    const mine = stageIndex.get(stage);
    if (stageEntry && isScalar(stageEntry.value) && typeof stageEntry.value.value === 'string' && mine === undefined) {
      problems.push(problem('unknown-stage', `\`${name}\` uses stage \`${stage}\`, which is not in \`stages:\` (${stages.join(', ')}).`, stageEntry.value.pos, { job: name, stage, stages }));
    }
    const ruleNeeds: PNode[] = [];
    const rules = get(node, 'rules');
    if (isSeq(rules)) for (const r of rules.items) if (isMap(r) && r.entries.has('needs')) ruleNeeds.push(get(r, 'needs')!);
    for (const source of [get(node, 'needs'), ...ruleNeeds]) {
      for (const need of neededJobs(source)) {
        const target = byName.get(need.name);
        if (!target) {
          if (!need.optional) problems.push(problem('needs-missing', `\`${name}\` needs \`${need.name}\`, which is not a job of this pipeline.`, need.node.pos, { job: name, needs: need.name }));
          continue;
        }
        const theirs = stageIndex.get(stageOf(target.node));
        if (mine !== undefined && theirs !== undefined && theirs > mine) {
          problems.push(problem('needs-later-stage', `\`${name}\` needs \`${need.name}\`, which is in a later stage (${stageOf(target.node)}): a job can only need jobs of its own or earlier stages.`, need.node.pos, { job: name, needs: need.name }));
        }
      }
    }
    const env = get(node, 'environment');
    const onStop = isMap(env) ? get(env, 'on_stop') : undefined;
    const stopName = textOf(onStop);
    if (onStop && stopName !== undefined) {
      const stop = byName.get(stopName);
      const stopEnv = stop ? get(stop.node, 'environment') : undefined;
      const action = isMap(stopEnv) ? textOf(get(stopEnv, 'action')) : undefined;
      const why = !stop ? 'is not defined' : stopEnv === undefined ? 'does not have environment defined' : action !== 'stop' ? 'needs to have action stop defined' : undefined;
      if (why) problems.push(problem('on-stop-invalid', `\`${name}\`: environment on_stop job \`${stopName}\` ${why}.`, onStop.pos, { job: name, onStop: stopName }));
    }
    const deps = get(node, 'dependencies');
    if (isSeq(deps)) {
      for (const d of deps.items) {
        const dep = textOf(d);
        if (dep === undefined) continue;
        const target = byName.get(dep);
        if (!target) {
          problems.push(problem('dependency-missing', `\`${name}\`: undefined dependency \`${dep}\` (no such job in this pipeline).`, d.pos, { job: name, dependency: dep }));
          continue;
        }
        const theirs = stageIndex.get(stageOf(target.node));
        if (mine !== undefined && theirs !== undefined && theirs > mine) {
          problems.push(problem('dependency-later-stage', `\`${name}\`: dependency \`${dep}\` is not defined in current or prior stages.`, d.pos, { job: name, dependency: dep }));
        }
      }
    }
  }
}
