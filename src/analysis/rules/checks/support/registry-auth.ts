// What a job does with registries, in run order: logins (and other ways of providing
// credentials), pushes and pulls. Shared by the login/push rules so they agree on what counts.
import type { EffectiveJob } from '../../../ci-config/types.js';
import type { DockerInvocation, DockerLogin } from '../../../shell/types.js';
import {
  jobCommands, toInvocation, parseDockerLogin, pushTargets, pullTargets, hasInlineCredentials,
  imageRegistryHost, loginRegistryHost,
} from '../../../shell/index.js';

export type RegistryEvent =
  | { kind: 'login'; host: string; login: DockerLogin; inv: DockerInvocation }
  /** Credentials written some other way (config.json, credential helpers, cloud CLIs): any registry. */
  | { kind: 'auth-setup'; text: string }
  | { kind: 'push'; ref: string; host: string; inv: DockerInvocation }
  | { kind: 'build'; inv: DockerInvocation }
  | { kind: 'pull'; ref: string; host: string; inv: DockerInvocation; tolerated: boolean };

// Commands that put registry credentials in place without `docker login`.
const AUTH_SETUP = [
  /config\.json/, /\.docker\/config/, /docker-credential-/, /\bcrane auth login\b/, /\bskopeo login\b/,
  /\bgcloud auth configure-docker\b/, /\baz acr login\b/, /\bregctl registry login\b/, /\bDOCKER_AUTH_CONFIG\b/,
  /\bREGISTRY_AUTH_FILE\b/, /\bget-login\b/, /\bimg login\b/,
];

export function registryEvents(job: EffectiveJob): RegistryEvent[] {
  const out: RegistryEvent[] = [];
  if (job.variables['REGISTRY_AUTH_FILE'] || job.variables['DOCKER_CONFIG']) out.push({ kind: 'auth-setup', text: 'variables' });
  for (const jc of jobCommands(job)) {
    if (jc.source.section === 'after_script') continue;
    const inv = toInvocation(jc);
    if (!inv) {
      if (AUTH_SETUP.some((re) => re.test(jc.cmd.text))) out.push({ kind: 'auth-setup', text: jc.cmd.text });
      continue;
    }
    if (inv.verb === 'login') {
      const login = parseDockerLogin(inv)!;
      out.push({ kind: 'login', host: loginRegistryHost(login.registry), login, inv });
      continue;
    }
    if (hasInlineCredentials(inv)) out.push({ kind: 'auth-setup', text: jc.cmd.text });
    if (inv.verb === 'build') out.push({ kind: 'build', inv });
    for (const ref of pushTargets(inv)) out.push({ kind: 'push', ref, host: imageRegistryHost(ref), inv });
    for (const ref of pullTargets(inv)) out.push({ kind: 'pull', ref, host: imageRegistryHost(ref), inv, tolerated: inv.next === '||' });
  }
  return out;
}

/** Hosts that only serve pulls of cached public images, never pushes of the project's images. */
export function isDependencyProxy(host: string): boolean {
  return host.startsWith('$CI_DEPENDENCY_PROXY');
}

/** A login meant for GitLab's registry even though no registry was named (GitLab credentials). */
export function usesGitlabCredentials(login: DockerLogin): boolean {
  const creds = `${login.username ?? ''} ${login.passwordArgv ?? ''} ${login.invocation.source.command}`;
  return /gitlab-ci-token|CI_REGISTRY_USER|CI_REGISTRY_PASSWORD|CI_JOB_TOKEN|CI_DEPLOY_USER|CI_DEPLOY_PASSWORD/.test(creds);
}

export interface AuthState {
  logins: Array<Extract<RegistryEvent, { kind: 'login' }>>;
  otherAuth: boolean;
}

/** Credentials in place before event `index`. */
export function authBefore(events: RegistryEvent[], index: number): AuthState {
  const state: AuthState = { logins: [], otherAuth: false };
  for (let i = 0; i < index; i++) {
    const e = events[i]!;
    if (e.kind === 'login') state.logins.push(e);
    else if (e.kind === 'auth-setup') state.otherAuth = true;
  }
  return state;
}

/**
 * Whether credentials for `host` may be in place: a login to that host, to an unknown
 * variable host or (for GitLab's registry, written as variables) to any literal non-Hub host
 * that could be the same server, or credentials set up some other way.
 */
export function mayBeAuthenticated(state: AuthState, host: string): boolean {
  if (state.otherAuth) return true;
  return state.logins.some((l) => {
    if (l.host === host) return true;
    if (l.host.startsWith('$') && !isDependencyProxy(l.host) && l.host !== '$CI_REGISTRY') return true;
    if (host === '$CI_REGISTRY') return !l.host.startsWith('$') && l.host !== 'docker.io';
    return host.startsWith('$') && !isDependencyProxy(host);
  });
}

/** Same command of the same script entry (invocations are rebuilt per reader, so compare places). */
export function sameInvocation(a: DockerInvocation, b: DockerInvocation): boolean {
  return a.source === b.source && a.indexInLine === b.indexInLine;
}
