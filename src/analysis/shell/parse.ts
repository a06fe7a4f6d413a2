// Read the flags of build, login, push and pull invocations the way each tool reads them.
import type { DockerBuild, DockerBuildArg, DockerInvocation, DockerLogin } from './types.js';
import { dropRedirections } from './docker.js';

// Build flags that take a value (docker, buildx, podman, buildah). Others are treated as booleans.
const BUILD_WITH_VALUE = new Set([
  '-f', '--file', '-t', '--tag', '--build-arg', '--cache-from', '--cache-to', '--target', '--platform', '--label',
  '--network', '--secret', '--ssh', '--iidfile', '-o', '--output', '--progress', '--add-host', '--build-context',
  '--builder', '-m', '--memory', '--memory-swap', '--shm-size', '--ulimit', '--metadata-file', '--attest',
  '--annotation', '--allow', '--cgroup-parent', '--cpu-period', '--cpu-quota', '--cpu-shares', '--cpuset-cpus',
  '--cpuset-mems', '--isolation', '--format', '--authfile', '--creds', '--cert-dir', '--layers', '--jobs',
  '--volume', '-v', '--build-arg-file', '--env', '--arch', '--os', '--variant', '--userns', '--signature-policy',
  '--security-opt', '--dns', '--call', '--check',
]);
const KANIKO_WITH_VALUE = new Set([
  '--context', '-c', '--dockerfile', '-f', '--destination', '-d', '--build-arg', '--cache-repo', '--cache-dir',
  '--target', '--label', '--tar-path', '--digest-file', '--image-name-with-digest-file', '--image-name-tag-with-digest-file',
  '--registry-mirror', '--registry-certificate', '--insecure-registry', '--skip-tls-verify-registry', '--verbosity', '-v',
  '--snapshot-mode', '--custom-platform', '--oci-layout-path', '--kaniko-dir', '--ignore-path', '--cache-ttl',
  '--compressed-caching', '--build-arg-file', '--push-retry', '--image-fs-extract-retry', '--git',
]);

const ALIASES: Record<string, string> = { '-t': '--tag', '-f': '--file', '-o': '--output', '-u': '--username', '-p': '--password' };

interface ParsedFlags {
  /** flag -> values, in order; `--flag=value` and `--flag value` both land here. */
  values: Map<string, string[]>;
  booleans: Set<string>;
  positionals: string[];
}

function parseFlags(words: string[], withValue: Set<string>): ParsedFlags {
  const values = new Map<string, string[]>();
  const booleans = new Set<string>();
  const positionals: string[] = [];
  // Short aliases share one list with their long form so the order of mixed spellings is kept.
  const add = (k: string, v: string): void => {
    const key = ALIASES[k] ?? k;
    values.set(key, [...(values.get(key) ?? []), v]);
  };
  const ws = dropRedirections(words);
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i]!;
    if (w === '--') { positionals.push(...ws.slice(i + 1)); break; }
    if (w.startsWith('--') && w.includes('=')) {
      const eq = w.indexOf('=');
      add(w.slice(0, eq), w.slice(eq + 1));
      continue;
    }
    if (w.startsWith('-') && w !== '-') {
      if (withValue.has(w)) {
        if (i + 1 < ws.length) add(w, ws[++i]!);
        continue;
      }
      // `-tname:tag` / `-fDockerfile` short forms.
      const short = w.slice(0, 2);
      if (!w.startsWith('--') && w.length > 2 && withValue.has(short)) { add(short, w.slice(2)); continue; }
      booleans.add(w);
      continue;
    }
    positionals.push(w);
  }
  return { values, booleans, positionals };
}

function all(f: ParsedFlags, ...names: string[]): string[] {
  return names.flatMap((n) => f.values.get(n) ?? []);
}

function buildArgsOf(raw: string[]): DockerBuildArg[] {
  return raw.map((a) => {
    const eq = a.indexOf('=');
    return eq < 0 ? { name: a } : { name: a.slice(0, eq), value: a.slice(eq + 1) };
  });
}

function isTrue(v: string | undefined): boolean {
  return v === undefined || v === '' || v === 'true' || v === '1';
}

/** Read a build invocation (docker/buildx/podman/buildah/img/kaniko). Undefined for other verbs. */
export function parseDockerBuild(inv: DockerInvocation): DockerBuild | undefined {
  if (inv.verb !== 'build') return undefined;
  if (inv.tool === 'kaniko') return parseKaniko(inv);
  const f = parseFlags(inv.args, BUILD_WITH_VALUE);
  const file = all(f, '--file').at(-1);
  const pushOutput = all(f, '--output').some((o) => /(^|,)push=true/.test(o) || /type=registry/.test(o));
  return {
    ...(file !== undefined ? { file } : {}),
    context: f.positionals[0] ?? '.',
    tags: all(f, '--tag'),
    buildArgs: buildArgsOf(all(f, '--build-arg')),
    cacheFrom: all(f, '--cache-from'),
    push: f.booleans.has('--push') || (f.values.has('--push') && isTrue(f.values.get('--push')!.at(-1))) || pushOutput,
    invocation: inv,
  };
}

function parseKaniko(inv: DockerInvocation): DockerBuild {
  const f = parseFlags(inv.args, KANIKO_WITH_VALUE);
  const context = (all(f, '--context', '-c').at(-1) ?? '.').replace(/^dir:\/\//, '');
  const file = all(f, '--dockerfile', '--file').at(-1);
  const destinations = all(f, '--destination', '-d');
  const noPush = f.booleans.has('--no-push') || (f.values.has('--no-push') && isTrue(f.values.get('--no-push')!.at(-1)));
  return {
    ...(file !== undefined ? { file } : {}),
    context,
    tags: destinations,
    buildArgs: buildArgsOf(all(f, '--build-arg')),
    cacheFrom: all(f, '--cache-repo'),
    push: destinations.length > 0 && !noPush,
    invocation: inv,
  };
}

const LOGIN_WITH_VALUE = new Set(['-u', '--username', '-p', '--password', '--authfile', '--cert-dir', '--tls-verify', '--compat-auth-file', '--secret']);

/** Read a login invocation. Undefined for other verbs. */
export function parseDockerLogin(inv: DockerInvocation): DockerLogin | undefined {
  if (inv.verb !== 'login') return undefined;
  const f = parseFlags(inv.args, LOGIN_WITH_VALUE);
  const username = all(f, '--username').at(-1);
  const password = all(f, '--password').at(-1);
  const registry = f.positionals[0];
  return {
    ...(registry !== undefined ? { registry } : {}),
    ...(username !== undefined ? { username } : {}),
    passwordStdin: f.booleans.has('--password-stdin') || f.values.has('--password-stdin'),
    ...(password !== undefined ? { passwordArgv: password } : {}),
    invocation: inv,
  };
}

const PUSH_WITH_VALUE = new Set(['--platform', '--authfile', '--creds', '--cert-dir', '--format', '-f', '--digestfile', '--sign-by', '--compression-format', '--retry', '--retry-delay', '--encryption-key']);

/** Image references an invocation sends to a registry: push targets, or build tags with `--push`. */
export function pushTargets(inv: DockerInvocation): string[] {
  if (inv.verb === 'push') {
    const f = parseFlags(inv.args, PUSH_WITH_VALUE);
    // podman/buildah: `push IMAGE [DESTINATION]` pushes to DESTINATION when given.
    const target = f.positionals[1] ?? f.positionals[0];
    return target === undefined ? [] : [target.replace(/^docker:\/\//, '')];
  }
  if (inv.verb === 'build') {
    const b = parseDockerBuild(inv);
    return b && b.push ? b.tags : [];
  }
  return [];
}

/** Image references an invocation pulls explicitly (`docker pull X`, `buildah from X`). */
export function pullTargets(inv: DockerInvocation): string[] {
  if (inv.verb !== 'pull') return [];
  const f = parseFlags(inv.args, PUSH_WITH_VALUE);
  return f.positionals.slice(0, 1).map((p) => p.replace(/^docker:\/\//, ''));
}

/** Registry credentials given on the command itself (`buildah push --creds`, `--authfile`). */
export function hasInlineCredentials(inv: DockerInvocation): boolean {
  return inv.args.some((a) => /^--(creds|authfile|registry-username)\b/.test(a));
}
