// Reading a job's Docker-in-Docker setup: the dind service, the hostnames it answers to,
// DOCKER_HOST, and whether the service will speak TLS.
import type { EffectiveJob, ServiceSpec } from '../../../ci-config/types.js';
import type { Location } from '../../../types.js';
import { jobCommands } from '../../../shell/index.js';
import { mainInvocations } from './jobs.js';

export function isDindService(s: ServiceSpec): boolean {
  return /dind/.test(s.name);
}

export function dindService(job: EffectiveJob): ServiceSpec | undefined {
  return job.services.find(isDindService);
}

function imageWithoutTag(name: string): string {
  const noDigest = name.split('@')[0]!;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

/** Hostnames a service is reachable at from the job (GitLab: alias, or the image name with `/` -> `__` and `-`). */
export function serviceHostnames(s: ServiceSpec): string[] {
  const base = imageWithoutTag(s.name);
  const names = [base.replace(/\//g, '__'), base.replace(/\//g, '-')];
  if (s.alias) names.push(...s.alias.split(/[\s,]+/).filter(Boolean));
  return names.map((n) => n.toLowerCase());
}

/** The Docker release the retired `stable` tags are frozen at. */
export const STABLE_TAG_VERSION = '19.03';

/** The version in an image tag (`docker:24.0.5-dind` -> '24.0.5'), 'latest' when unpinned. */
export function dockerImageVersion(name: string): string {
  const noDigest = name.split('@')[0]!;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  const tag = colon > slash ? noDigest.slice(colon + 1) : 'latest';
  // `docker:stable` (and `stable-dind`) stopped moving at Docker 19.03 when the tag was retired.
  if (/^stable(-|$)/.test(tag)) return STABLE_TAG_VERSION;
  const m = /^(\d+(\.\d+)*)/.exec(tag);
  return m ? m[1]! : 'latest';
}

/** [major, minor] of a version, undefined for 'latest'. */
export function majorMinor(version: string): [number, number] | undefined {
  const m = /^(\d+)(?:\.(\d+))?/.exec(version);
  return m ? [Number(m[1]), Number(m[2] ?? 0)] : undefined;
}

/** dind images from 19.03 on generate certificates and serve TLS on 2376 unless DOCKER_TLS_CERTDIR is empty. */
export function serviceServesTls(job: EffectiveJob, s: ServiceSpec): boolean {
  const cmd = (s.command ?? []).join(' ');
  if (/--tls=false|--tls false/.test(cmd)) return false;
  if (/--tlsverify|--tls\b/.test(cmd) && !/--tls=false/.test(cmd)) return true;
  const certdir = s.variables['DOCKER_TLS_CERTDIR'] ?? job.variables['DOCKER_TLS_CERTDIR']?.value;
  if (certdir !== undefined) return certdir.trim() !== '';
  const mm = majorMinor(dockerImageVersion(s.name));
  return mm === undefined || mm[0] > 19 || (mm[0] === 19 && mm[1] >= 3);
}

export interface DockerHost {
  raw: string;
  host: string;
  port?: number;
  pos?: Location;
}

/** DOCKER_HOST from the job's variables (tcp://host:port), undefined when unset or not tcp. */
export function dockerHostOf(job: EffectiveJob): DockerHost | undefined {
  const v = job.variables['DOCKER_HOST'];
  if (!v) return undefined;
  const m = /^tcp:\/\/([^:/]+)(?::(\d+))?/.exec(v.value.trim());
  if (!m) return undefined;
  return { raw: v.value, host: m[1]!.toLowerCase(), ...(m[2] ? { port: Number(m[2]) } : {}), ...(v.pos ? { pos: { path: v.pos.path, line: v.pos.line } } : {}) };
}

/** The script changes DOCKER_HOST or the TLS settings itself: static reasoning stops there. */
export function scriptSetsDockerEnv(job: EffectiveJob): boolean {
  return jobCommands(job).some((jc) => /\bDOCKER_(HOST|TLS_CERTDIR|TLS_VERIFY|CERT_PATH)=/.test(jc.cmd.text));
}

/** Commands that need a reachable daemon (`docker login`/`logout` work without one). */
export function daemonCommands(job: EffectiveJob) {
  return mainInvocations(job).filter((i) => (i.tool === 'docker' || i.tool === 'buildx') && i.verb !== 'login' && i.verb !== 'logout'
    && !(i.verb === 'other' && /^(--version|-v|help|context|compose|buildx)$/.test(i.args[0] ?? '')));
}

export function isLocalHost(host: string): boolean {
  return host === 'localhost' || host === '127.0.0.1' || host === '0.0.0.0';
}
