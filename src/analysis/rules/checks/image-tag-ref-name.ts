// `$CI_COMMIT_REF_NAME` / `$CI_COMMIT_BRANCH` in an image reference: `feature/x` or `Fix-1`
// is not a valid tag or repository name. `$CI_COMMIT_REF_SLUG` is made for this.
import type { Finding } from '../../types.js';
import type { StaticCheck } from '../types.js';
import { makeFinding } from '../finding.js';
import { jobImageRefs, whereWritten, replaceInImageWords } from './support/image-refs.js';
import { runsOnlyForSafeRefNames } from './support/refs-run-on.js';
import { code } from '../../../report/markdown/safe.js';

export const RULE_ID = 'image-tag-ref-name';

// `${CI_COMMIT_REF_NAME//\//-}` style substitutions already sanitise the value: not matched.
const REF_VAR_SIMPLE = /\$CI_COMMIT_(REF_NAME|BRANCH)(?![A-Za-z0-9_])|\$\{CI_COMMIT_(REF_NAME|BRANCH)\}/;

export const check: StaticCheck = {
  ruleId: RULE_ID,
  run(ctx) {
    const out: Finding[] = [];
    for (const job of ctx.ci?.jobs ?? []) {
      if (runsOnlyForSafeRefNames(job)) continue;
      const use = jobImageRefs(job).find((u) => u.role !== 'cache-from' && u.role !== 'pull' && REF_VAR_SIMPLE.test(u.ref));
      if (!use) continue;
      const variable = REF_VAR_SIMPLE.exec(use.ref)![0].replace(/[${}]/g, '');
      const loc = whereWritten(ctx.ci, job, use.inv, REF_VAR_SIMPLE);
      const edit = replaceInImageWords(ctx.ci, loc, /\$(\{?)CI_COMMIT_(REF_NAME|BRANCH)(?![A-Za-z0-9_])/g, '$$$1CI_COMMIT_REF_SLUG');
      out.push(makeFinding(ctx, RULE_ID, {
        message: `Job ${code(job.name)} names the image ${code(use.ref)} after ${code(`$${variable}`)}, which can hold \`/\` or upper-case letters (\`feature/Login\`) that are invalid in an image reference; use \`$CI_COMMIT_REF_SLUG\`.`,
        location: loc,
        evidence: { job: job.name, image: use.ref, variable },
        ...(edit ? { fix: { description: `Use \`$CI_COMMIT_REF_SLUG\` instead of ${code(`$${variable}`)}`, edits: [edit] } } : {}),
      }));
    }
    return out;
  },
};
