// An image name built from project path variables: `My-Group/App` is not a valid repository
// name (`repository name must be lowercase`). `$CI_REGISTRY_IMAGE` is already lower-case.
import type { Finding } from '../../types.js';
import type { StaticCheck } from '../types.js';
import { makeFinding } from '../finding.js';
import { imageRegistryHost, GITLAB_REGISTRY } from '../../shell/index.js';
import { jobImageRefs, whereWritten, replaceInImageWords } from './support/image-refs.js';
import { splitImageRef } from './support/jobs.js';
import { code } from '../../../text/markdown.js';

export const RULE_ID = 'image-name-uppercase';

const PATH_VAR = /\$\{?(CI_PROJECT_PATH|CI_PROJECT_NAME|CI_PROJECT_NAMESPACE|CI_PROJECT_ROOT_NAMESPACE|GITLAB_USER_LOGIN|CI_PROJECT_TITLE)\}?(?![A-Za-z0-9_])/;
const REGISTRY_SLASH_PATH = /\$(\{CI_REGISTRY\}|CI_REGISTRY(?![A-Za-z0-9_]))\/\$(\{CI_PROJECT_PATH\}|CI_PROJECT_PATH(?![A-Za-z0-9_]))/g;

export const check: StaticCheck = {
  ruleId: RULE_ID,
  run(ctx) {
    const out: Finding[] = [];
    for (const job of ctx.ci?.jobs ?? []) {
      // Only GitLab registry names: there `$CI_REGISTRY_IMAGE` is the drop-in, lower-cased replacement.
      const use = jobImageRefs(job).find((u) => imageRegistryHost(u.ref) === GITLAB_REGISTRY && PATH_VAR.test(splitImageRef(u.ref).repo));
      if (!use) continue;
      const variable = PATH_VAR.exec(splitImageRef(use.ref).repo)![1]!;
      const loc = whereWritten(ctx.ci, job, use.inv, PATH_VAR);
      const edit = replaceInImageWords(ctx.ci, loc, REGISTRY_SLASH_PATH, '$$CI_REGISTRY_IMAGE');
      out.push(makeFinding(ctx, RULE_ID, {
        message: `Job ${code(job.name)} builds the image name ${code(use.ref)} from ${code(`$${variable}`)}, which keeps the project's upper-case letters; Docker rejects upper-case repository names. Use \`$CI_REGISTRY_IMAGE\` (always lower-case).`,
        location: loc,
        evidence: { job: job.name, image: use.ref, variable },
        ...(edit ? { fix: { description: 'Use `$CI_REGISTRY_IMAGE` for the image name', edits: [edit] } } : {}),
      }));
    }
    return out;
  },
};
