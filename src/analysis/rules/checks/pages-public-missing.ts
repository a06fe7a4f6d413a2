// A GitLab Pages job whose site is not in the artifact GitLab deploys (`public/`, or the
// directory named by `pages.publish` / `publish`): the job passes and nothing is published.
import { trimTrailing } from '../../../text/linear.js';
import type { Finding, TextEdit } from '../../types.js';
import type { EffectiveJob } from '../../ci-config/types.js';
import type { StaticCheck } from '../types.js';
import { makeFinding, fileLines } from '../finding.js';
import { addKeyToJob } from './support/yaml-edits.js';
import { completeJobs } from './support/completeness.js';
import { code } from '../../../text/markdown.js';

export const RULE_ID = 'pages-public-missing';

function isPagesJob(job: EffectiveJob): boolean {
  const pages = job.raw['pages'];
  return job.name === 'pages' || pages === true || (typeof pages === 'object' && pages !== null);
}

function publishDir(job: EffectiveJob): string {
  const pages = job.raw['pages'];
  if (pages && typeof pages === 'object' && typeof (pages as { publish?: unknown }).publish === 'string') return (pages as { publish: string }).publish;
  if (typeof job.raw['publish'] === 'string') return job.raw['publish'] as string;
  return 'public';
}

function norm(p: string): string {
  return trimTrailing(p.replace(/^\.\//, ''), '/').replace(/\/\*\*?$/, '');
}

export const check: StaticCheck = {
  ruleId: RULE_ID,
  run(ctx) {
    const out: Finding[] = [];
    for (const job of completeJobs(ctx.ci)) {
      if (!isPagesJob(job) || job.raw['trigger'] !== undefined) continue;
      const dir = norm(publishDir(job));
      if (dir.includes('$')) continue;
      const artifacts = job.raw['artifacts'] as { paths?: unknown } | undefined;
      const paths = Array.isArray(artifacts?.paths) ? (artifacts!.paths as unknown[]).filter((p): p is string => typeof p === 'string') : [];
      // Since GitLab 17.x the publish directory is added to the artifacts automatically when pages.publish is set.
      if (paths.some((p) => norm(p) === dir || norm(p) === '.' || p.includes('$'))) continue;
      let edit: TextEdit | undefined;
      if (!artifacts) edit = addKeyToJob(ctx.ci, job, 'artifacts', ['  paths:', `    - ${dir}`]);
      else if (paths.length > 0) {
        const lines = fileLines(ctx.ci, job.pos.path);
        for (let n = job.pos.line + 1; n <= lines.length; n++) {
          const m = /^(\s*)paths:\s*$/.exec(lines[n - 1]!);
          if (!m) continue;
          const item = /^(\s*)- /.exec(lines[n] ?? '');
          if (item) edit = { path: job.pos.path, startLine: n + 1, endLine: n, newLines: [`${item[1]}- ${dir}`] };
          break;
        }
      }
      out.push(makeFinding(ctx, RULE_ID, {
        message: `Pages job ${code(job.name)} does not keep ${code(`${dir}/`)} as an artifact${paths.length ? ` (it keeps ${paths.map(code).join(', ')})` : ''}, so GitLab has nothing to deploy. Write the site to ${code(`${dir}/`)} and list it under \`artifacts: paths:\`.`,
        location: { path: job.pos.path, line: job.pos.line },
        evidence: { job: job.name, artifacts: paths },
        ...(edit ? { fix: { description: `Keep ${code(`${dir}/`)} as the job's artifact`, edits: [edit] } } : {}),
      }));
    }
    return out;
  },
};
