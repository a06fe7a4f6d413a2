// Job-level checks GitLab's linter makes: unknown keywords, no script, unknown stage, needs to a missing job.
import type { Finding } from '../types.js';
import type { PEntry, PMap } from './node.js';
import { get, isMap, isScalar, isSeq, textOf } from './node.js';
import { problem } from './problems.js';
import { JOB_KEYWORDS } from './keywords.js';
import { code } from '../../report/markdown/safe.js';

export interface JobToCheck {
  name: string;
  entry: PEntry;
  node: PMap;
}

/** `brokenExtends`: jobs whose extends chain is already reported; their missing script is a consequence. */
export function validateJobs(jobs: JobToCheck[], stages: string[], problems: Finding[], brokenExtends: Set<string>): void {
  const names = new Set(jobs.map((j) => j.name));
  const stageSet = new Set(stages);
  for (const { name, entry, node } of jobs) {
    const unknown = [...node.entries.values()].filter((e) => !JOB_KEYWORDS.has(e.key));
    if (unknown.length > 0) {
      const keys = unknown.map((e) => e.key);
      problems.push(problem('unknown-keyword', `${code(name)} uses unknown keyword${keys.length > 1 ? 's' : ''}: ${keys.map(code).join(', ')}.`, unknown[0]!.keyPos, { job: name, keys }));
    }
    if (!node.entries.has('script') && !node.entries.has('run') && !node.entries.has('trigger') && !brokenExtends.has(name)) {
      problems.push(problem('missing-script', `${code(name)} has no \`script:\` (nor \`run:\` or \`trigger:\`), so GitLab refuses the pipeline.`, entry.keyPos, { job: name }));
    }
    const stage = node.entries.get('stage');
    const stageName = textOf(stage?.value);
    if (stage && stageName !== undefined && !stageSet.has(stageName)) {
      problems.push(problem('unknown-stage', `${code(name)} uses stage ${code(stageName)}, which is not in \`stages:\` (${stages.map(code).join(', ')}).`, stage.value.pos, { job: name, stage: stageName, stages }));
    }
    const needs = get(node, 'needs');
    if (isSeq(needs)) {
      for (const n of needs.items) {
        let target: string | undefined;
        if (isScalar(n)) target = textOf(n);
        else if (isMap(n) && !n.entries.has('pipeline') && !n.entries.has('project')) {
          const optional = get(n, 'optional');
          if (isScalar(optional) && optional.value === true) continue;
          target = textOf(get(n, 'job'));
        }
        if (target !== undefined && !names.has(target)) {
          problems.push(problem('needs-missing', `${code(name)} needs ${code(target)}, which is not a job of this pipeline.`, n.pos, { job: name, needs: target }));
        }
      }
    }
  }
}
