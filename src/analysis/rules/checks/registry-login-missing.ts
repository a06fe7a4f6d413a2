// A job pushes to (or pulls from) the project's GitLab registry with no login before it.
import type { Finding } from '../../types.js';
import type { EffectiveJob } from '../../ci-config/types.js';
import type { CheckContext, StaticCheck } from '../types.js';
import type { DockerInvocation } from '../../shell/types.js';
import { imageRegistryHost, GITLAB_REGISTRY } from '../../shell/index.js';
import { makeFinding, locateInvocation } from '../finding.js';
import { registryEvents, authBefore, mayBeAuthenticated, usesGitlabCredentials, sameInvocation, type RegistryEvent } from './support/registry-auth.js';
import { insertBeforeScriptLine } from './support/yaml-edits.js';
import { beforeScriptMayBeHidden } from './support/completeness.js';
import { code } from '../../../text/markdown.js';

export const RULE_ID = 'registry-login-missing';

/** The before_script line that logs the job in with its own token. */
export function loginLineFor(tool: DockerInvocation['tool']): string {
  if (tool === 'kaniko') {
    return `echo "{\\"auths\\":{\\"$CI_REGISTRY\\":{\\"auth\\":\\"$(printf '%s:%s' "$CI_REGISTRY_USER" "$CI_REGISTRY_PASSWORD" | base64 | tr -d '\\n')\\"}}}" > /kaniko/.docker/config.json`;
  }
  const cli = tool === 'podman' || tool === 'buildah' ? tool : 'docker';
  return `echo -n "$CI_JOB_TOKEN" | ${cli} login -u gitlab-ci-token --password-stdin "$CI_REGISTRY"`;
}

/** Logins that could be meant for GitLab's registry but go elsewhere (handled by registry-login-failed). */
export function misdirectedGitlabLogin(events: RegistryEvent[], before: number): boolean {
  return authBefore(events, before).logins.some((l) => l.host === 'docker.io' && usesGitlabCredentials(l.login));
}

/** The first registry access of the job that needs GitLab registry credentials it does not have. */
export function firstUnauthenticatedAccess(job: EffectiveJob, ctx: CheckContext): { inv: DockerInvocation; ref: string; action: string } | undefined {
  const events = registryEvents(job);
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.kind !== 'push' && e.kind !== 'pull') continue;
    if (e.host !== GITLAB_REGISTRY) continue;
    if (e.kind === 'pull' && e.tolerated) continue;
    const state = authBefore(events, i);
    if (mayBeAuthenticated(state, e.host)) continue;
    if (misdirectedGitlabLogin(events, i)) continue;
    return { inv: e.inv, ref: e.ref, action: e.kind };
  }
  // A build whose Dockerfile starts FROM the project's registry pulls from it too.
  for (const b of ctx.builds) {
    if (b.job !== job || !b.dockerfile || b.build.invocation.tool === 'kaniko') continue;
    const passed = new Set(b.build.buildArgs.map((a) => a.name));
    const stage = b.dockerfile.stages.find((s) => {
      const v = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)/.exec(s.image)?.[1];
      return v !== undefined && passed.has(v) && imageRegistryHost(b.build.buildArgs.find((a) => a.name === v)?.value ?? '') === GITLAB_REGISTRY;
    });
    if (!stage) continue;
    const idx = events.findIndex((e) => e.kind === 'build' && sameInvocation(e.inv, b.build.invocation));
    const at = idx < 0 ? events.length : idx;
    if (mayBeAuthenticated(authBefore(events, at), GITLAB_REGISTRY) || misdirectedGitlabLogin(events, at)) continue;
    return { inv: b.build.invocation, ref: stage.image, action: 'base image' };
  }
  return undefined;
}

function checkJob(ctx: CheckContext, job: EffectiveJob): Finding | undefined {
  if (ctx.ci && beforeScriptMayBeHidden(ctx.ci, job)) return undefined;
  const hit = firstUnauthenticatedAccess(job, ctx);
  if (!hit) return undefined;
  const line = loginLineFor(hit.inv.tool);
  const edit = insertBeforeScriptLine(ctx.ci, job, line);
  const verb = hit.action === 'push' ? 'pushes' : hit.action === 'pull' ? 'pulls' : 'builds from';
  const where = hit.action === 'push' ? 'to' : 'from';
  const unlessPublic = hit.action === 'push' ? '' : ' (unless the project is public)';
  const how = hit.inv.tool === 'kaniko' ? 'registry credentials are written' : `${code(`${hit.inv.tool === 'buildx' ? 'docker' : hit.inv.tool} login`)} to \`$CI_REGISTRY\` runs`;
  // Without an image the job may run on a shell executor, whose user can hold a login from
  // earlier jobs (~/.docker/config.json): likely, not certain, so a warning.
  const shellExecutor = job.image === undefined && job.services.length === 0 && hit.inv.tool !== 'kaniko';
  const f = makeFinding(ctx, RULE_ID, {
    message: `Job ${code(job.name)} ${verb} ${code(hit.ref)} ${where} the GitLab registry, but no ${how} before it, so the registry answers \`denied\`${unlessPublic}.${shellExecutor ? ' (The job names no image: on a shell runner whose user is already logged in it would work.)' : ''}`,
    location: locateInvocation(ctx.ci, hit.inv),
    evidence: { job: job.name, command: hit.inv.source.command.trim(), image: hit.ref, action: hit.action },
    ...(edit ? { fix: { description: 'Log in to the GitLab registry with the job token in `before_script`', edits: [edit] } } : {}),
  });
  if (shellExecutor && f.severity === 'error') f.severity = 'warning';
  return f;
}

export const check: StaticCheck = {
  ruleId: RULE_ID,
  run(ctx) {
    const out: Finding[] = [];
    for (const job of ctx.ci?.jobs ?? []) {
      const f = checkJob(ctx, job);
      if (f) out.push(f);
    }
    return out;
  },
};
