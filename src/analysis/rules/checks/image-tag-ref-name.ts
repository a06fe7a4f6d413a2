// `$CI_COMMIT_REF_NAME` / `$CI_COMMIT_BRANCH` in an image reference: `feature/x` or `Fix-1`
// is not a valid tag or repository name. `$CI_COMMIT_REF_SLUG` is made for this.
import type { Finding, Location, TextEdit } from '../../types.js';
import type { StaticCheck } from '../types.js';
import { makeFinding } from '../finding.js';
import { jobImageRefs, whereWritten, replaceInImageWords } from './support/image-refs.js';
import { runsOnlyForSafeRefNames } from './support/refs-run-on.js';
import { code } from '../../../text/markdown.js';

export const RULE_ID = 'image-tag-ref-name';

// `${CI_COMMIT_REF_NAME//\//-}` style substitutions already sanitise the value: not matched.
const REF_VAR_ALL = /\$(\{?)CI_COMMIT_(?:REF_NAME|BRANCH)(?![A-Za-z0-9_])(?=\}|[^A-Za-z0-9_]|$)/g;
const REF_VAR_SIMPLE = /\$CI_COMMIT_(REF_NAME|BRANCH)(?![A-Za-z0-9_])|\$\{CI_COMMIT_(REF_NAME|BRANCH)\}/;

export const check: StaticCheck = {
  ruleId: RULE_ID,
  run(ctx) {
    const out: Finding[] = [];
    for (const job of ctx.ci?.jobs ?? []) {
      if (runsOnlyForSafeRefNames(job)) continue;
      const uses = jobImageRefs(job).filter((u) => u.role !== 'cache-from' && u.role !== 'pull' && REF_VAR_SIMPLE.test(u.ref));
      const use = uses[0];
      if (!use) continue;
      const variable = REF_VAR_SIMPLE.exec(use.ref)![0].replace(/[${}]/g, '');
      const loc = whereWritten(ctx.ci, job, use.inv, REF_VAR_SIMPLE);
      // One finding per job, and its fix rewrites every line where the job names such an image:
      // fixing only the first would leave the next one to be reported.
      const lines = new Map<string, Location>();
      for (const u of uses) {
        const at = whereWritten(ctx.ci, job, u.inv, REF_VAR_SIMPLE);
        lines.set(`${at.path}:${at.line}`, at);
      }
      const viaShell = new Set(uses.flatMap((u) => (u.inv.shellVars ?? []).map((o) => o.name)));
      const edits = [...lines.values()].map((at) => replaceInImageWords(ctx.ci, at, REF_VAR_ALL, '$$$1CI_COMMIT_REF_SLUG', viaShell));
      const complete = edits.every((e) => e !== undefined);
      const refs = [...new Set(uses.map((u) => u.ref))];
      const more = refs.length > 1 ? ` (and ${refs.length - 1} more image reference${refs.length > 2 ? 's' : ''} in this job)` : '';
      out.push(makeFinding(ctx, RULE_ID, {
        message: `Job ${code(job.name)} names the image ${code(use.ref)}${more} after ${code(`$${variable}`)}, the branch name as written: a branch such as \`feature/login\` puts a \`/\` in the tag, which makes the reference invalid; \`$CI_COMMIT_REF_SLUG\` is made for this.`,
        location: loc,
        evidence: { job: job.name, image: use.ref, variable },
        ...(complete && edits.length ? { fix: { description: `Use \`$CI_COMMIT_REF_SLUG\` instead of \`$${variable}\``, edits: edits as TextEdit[] } } : {}),
      }));
    }
    return out;
  },
};
