// `$CI_COMMIT_BEFORE_SHA` as an image tag: it is forty zeros on a branch's first push and in
// merge request pipelines, so the image `...:0000000000000000000000000000000000000000` does not exist.
import { varReferencePattern } from '../../../text/linear.js';
import type { Finding, Location } from '../../types.js';
import type { StaticCheck } from '../types.js';
import { makeFinding, lineOfCommand } from '../finding.js';
import { jobImageRefs, whereWritten } from './support/image-refs.js';
import { splitImageRef } from './support/jobs.js';
import { code } from '../../../text/markdown.js';

export const RULE_ID = 'image-tag-before-sha';

const BEFORE_SHA = /\$\{?CI_COMMIT_BEFORE_SHA\}?(?![A-Za-z0-9_])/;

function message(job: string, what: string): string {
  return `Job ${code(job)} uses \`$CI_COMMIT_BEFORE_SHA\` ${what}; it is all zeros on a new branch and in merge request pipelines, so that image does not exist. Tag from \`$CI_COMMIT_SHA\`, or use a moving tag such as \`$CI_DEFAULT_BRANCH\` for the previous image.`;
}

export const check: StaticCheck = {
  ruleId: RULE_ID,
  run(ctx) {
    const out: Finding[] = [];
    for (const job of ctx.ci?.jobs ?? []) {
      // A best-effort cache pull (`|| true`, `--cache-from`) of a missing tag is harmless.
      const use = jobImageRefs(job).find((u) => u.role !== 'cache-from' && !(u.role === 'pull' && u.inv.next === '||')
        && BEFORE_SHA.test(splitImageRef(u.ref).tag ?? ''));
      let loc: Location | undefined;
      let what = '';
      if (use) {
        loc = whereWritten(ctx.ci, job, use.inv, BEFORE_SHA);
        what = `as the tag of ${code(use.ref)}`;
      } else {
        // A build arg carrying it into the Dockerfile's FROM.
        for (const b of ctx.builds) {
          if (b.job !== job || !b.dockerfile) continue;
          const arg = b.build.buildArgs.find((a) => a.value !== undefined && BEFORE_SHA.test(a.value)
            && b.dockerfile!.stages.some((s) => varReferencePattern(a.name, '').test(s.image)));
          if (!arg) continue;
          loc = lineOfCommand(ctx.ci, b.build.invocation.source, b.build.invocation.lineOffset ?? 0, [arg.name]);
          what = `in ${code(`--build-arg ${arg.name}`)}, which ${code(b.dockerfilePath)} uses in \`FROM\``;
          break;
        }
      }
      if (!loc) continue;
      out.push(makeFinding(ctx, RULE_ID, { message: message(job.name, what), location: loc, evidence: { job: job.name } }));
    }
    // The Dockerfile pulling it directly (seed: `FROM $CI_REGISTRY_IMAGE:$CI_COMMIT_BEFORE_SHA`).
    for (const [path, df] of ctx.dockerfiles) {
      for (const s of df.stages) {
        if (!BEFORE_SHA.test(splitImageRef(s.image).tag ?? '')) continue;
        out.push(makeFinding(ctx, RULE_ID, {
          message: `${code(`FROM ${s.image}`)} tags the base image with \`$CI_COMMIT_BEFORE_SHA\`; it is all zeros on a new branch and in merge request pipelines, so that image does not exist. Use a moving tag such as \`latest\` or the default branch's slug.`,
          location: { path, line: s.line },
        }));
      }
    }
    return out;
  },
};
