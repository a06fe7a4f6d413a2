// `docker login` runs but cannot give the job access to the registry it pushes to: it logs in
// to Docker Hub with GitLab credentials (no registry argument), or with a token GitLab no longer has.
import type { Finding, TextEdit } from '../../types.js';
import type { StaticCheck } from '../types.js';
import { GITLAB_REGISTRY } from '../../shell/index.js';
import { makeFinding, locateInvocation, fileLines } from '../finding.js';
import { registryEvents, usesGitlabCredentials, authBefore, mayBeAuthenticated } from './support/registry-auth.js';
import { firstPerKey } from './support/first-per-key.js';
import { code } from '../../../text/markdown.js';

export const RULE_ID = 'registry-login-failed';

const REMOVED_TOKEN = /\$\{?CI_BUILD_TOKEN\}?/;

export const check: StaticCheck = {
  ruleId: RULE_ID,
  run(ctx) {
    const out: Finding[] = [];
    const isFirst = firstPerKey();
    const push = (f: Finding): void => {
      if (isFirst(`${String(f.evidence?.['job'])}@${f.location?.path}:${f.location?.line}`)) out.push(f);
    };
    for (const job of ctx.ci?.jobs ?? []) {
      const events = registryEvents(job);
      for (let i = 0; i < events.length; i++) {
        const e = events[i]!;
        if (e.kind === 'login' && REMOVED_TOKEN.test(`${e.login.passwordArgv ?? ''} ${e.inv.source.command}`)) {
          push(makeFinding(ctx, RULE_ID, {
            message: `Job ${code(job.name)} logs in with \`$CI_BUILD_TOKEN\`, which GitLab no longer sets: the password is empty and the login fails. Use \`$CI_JOB_TOKEN\` (user \`gitlab-ci-token\`) or \`$CI_REGISTRY_PASSWORD\`.`,
            location: locateInvocation(ctx.ci, e.inv),
            evidence: { job: job.name },
          }));
        }
        if (e.kind !== 'push' || e.host !== GITLAB_REGISTRY) continue;
        const state = authBefore(events, i);
        if (mayBeAuthenticated(state, e.host)) continue;
        const hubLogin = state.logins.find((l) => l.host === 'docker.io' && usesGitlabCredentials(l.login));
        if (!hubLogin) continue;
        const loc = locateInvocation(ctx.ci, hubLogin.inv);
        const text = fileLines(ctx.ci, loc.path)[loc.line - 1];
        let edit: TextEdit | undefined;
        if (text !== undefined && hubLogin.inv.next === 'end' && !/\s#/.test(text) && (hubLogin.inv.source.pos.endLine ?? loc.line) === loc.line) {
          edit = { path: loc.path, startLine: loc.line, endLine: loc.line, newLines: [`${text.trimEnd()} "$CI_REGISTRY"`] };
          if (/^\s*- ["']/.test(text)) edit = undefined;
        }
        push(makeFinding(ctx, RULE_ID, {
          message: `Job ${code(job.name)} runs \`docker login\` with GitLab credentials but names no registry, so it logs in to Docker Hub; the push of ${code(e.ref)} to \`$CI_REGISTRY\` is then denied. Add \`"$CI_REGISTRY"\` to the login.`,
          location: loc,
          evidence: { job: job.name, image: e.ref },
          ...(edit ? { fix: { description: 'Log in to `$CI_REGISTRY` instead of Docker Hub', edits: [edit] } } : {}),
        }));
      }
    }
    return out;
  },
};
