// The job logs in to one registry and pushes a tag that names another: an image tagged without
// a registry prefix goes to Docker Hub, where the job has no rights.
import type { Finding } from '../../types.js';
import type { StaticCheck } from '../types.js';
import { makeFinding, locateInvocation } from '../finding.js';
import { registryEvents, authBefore, isDependencyProxy } from './support/registry-auth.js';
import { jobsWithVisibleBeforeScript } from './support/completeness.js';
import { code } from '../../../text/markdown.js';

export const RULE_ID = 'registry-push-target-mismatch';

export const check: StaticCheck = {
  ruleId: RULE_ID,
  run(ctx) {
    const out: Finding[] = [];
    for (const job of jobsWithVisibleBeforeScript(ctx.ci)) {
      const events = registryEvents(job);
      for (let i = 0; i < events.length; i++) {
        const e = events[i]!;
        if (e.kind !== 'push' || e.host.startsWith('$')) continue;
        const state = authBefore(events, i);
        if (state.otherAuth || state.logins.length === 0) continue;
        const hosts = state.logins.map((l) => l.host).filter((h) => !isDependencyProxy(h));
        if (hosts.length === 0 || hosts.includes(e.host)) continue;
        // A login to an unknown variable host may be the pushed one; so may a literal host when $CI_REGISTRY is involved.
        if (hosts.some((h) => h.startsWith('$') && h !== '$CI_REGISTRY')) continue;
        if (e.host !== 'docker.io' && hosts.includes('$CI_REGISTRY')) continue;
        const where = e.host === 'docker.io' ? 'Docker Hub (the tag has no registry prefix)' : `${code(e.host)}`;
        out.push(makeFinding(ctx, RULE_ID, {
          message: `Job ${code(job.name)} logs in to ${hosts.map(code).join(', ')} but pushes ${code(e.ref)}, which goes to ${where}: the push is denied. Tag the image under the registry you logged in to (e.g. \`$CI_REGISTRY_IMAGE\`).`,
          location: locateInvocation(ctx.ci, e.inv),
          evidence: { job: job.name, image: e.ref, loggedIn: hosts },
        }));
        break;
      }
    }
    return out;
  },
};
