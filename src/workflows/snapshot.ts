// The repository at one SHA as the analysis needs it: the effective CI config (local and project
// includes read from GitLab at that SHA, remote/template includes filled in from GitLab's lint
// API when it answers) and every Dockerfile the jobs build or the caller asks for.
import { loadCiConfig, matchIncludeGlob, mergeLintResult } from '../analysis/ci-config/index.js';
import type { CiConfig, CiFileSource } from '../analysis/ci-config/types.js';
import { parseDockerfile } from '../analysis/dockerfile/parse.js';
import type { DockerfileModel } from '../analysis/dockerfile/types.js';
import { buildCheckContext } from '../analysis/rules/context.js';
import type { CheckContext, RuleMeta } from '../analysis/rules/types.js';
import type { Limits } from '../config.js';
import type { GitlabClient } from '../gitlab/client.js';
import { GitlabUnavailableError } from '../gitlab/errors.js';
import type { ProjectId } from '../gitlab/types.js';
import type { Logger } from '../logger.js';

export const DEFAULT_CI_PATH = '.gitlab-ci.yml';

export interface RepoSnapshot {
  sha: string;
  ciPath: string;
  /** Undefined when the project has no CI file at this SHA. */
  ci?: CiConfig;
  dockerfiles: Map<string, DockerfileModel>;
  /** Every file read (CI files and Dockerfiles), path -> text: publishers quote lines from it. */
  files: Map<string, string>;
  context: CheckContext;
  /** Files left out because a limit was hit, one sentence each, for the summary note. */
  skipped?: string[];
}

export interface SnapshotOptions {
  client: GitlabClient;
  project: ProjectId;
  sha: string;
  ciPath?: string;
  /** Dockerfiles to read besides the ones the jobs build (e.g. those the MR changed). */
  extraDockerfiles?: readonly string[];
  limits: Pick<Limits, 'maxYamlBytes' | 'maxYamlAliases' | 'maxDockerfileBytes'>;
  rules?: RuleMeta[];
  logger?: Logger;
  /** Ask GitLab's lint API for remote/template includes that cannot be read locally (default true). */
  useLint?: boolean;
}

/**
 * A CI file source over the GitLab API at one SHA. loadCiConfig turns read failures into
 * "unresolved include" findings; a GitLab outage must instead fail the task so the queue
 * retries it, so the first outage is kept and rethrown by the caller.
 */
function gitlabSource(client: GitlabClient, project: ProjectId, sha: string, outage: { error?: unknown }, known: ReadonlyMap<string, string>): CiFileSource {
  const guard = async <T>(f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      if (e instanceof GitlabUnavailableError) outage.error ??= e;
      throw e;
    }
  };
  let tree: Promise<string[]> | undefined;
  return {
    readLocal: (path) => guard(async () => known.get(path.replace(/^\/+/, '')) ?? (await client.rawFile(project, path, sha)) ?? null),
    listLocal: (glob) =>
      guard(async () => {
        tree ??= client.tree(project, { ref: sha, recursive: true }).then((items) => items.filter((i) => i.type === 'blob').map((i) => i.path));
        return matchIncludeGlob(glob, await tree);
      }),
    // GitLab resolves a project include without `ref` to that project's default branch: HEAD.
    readProject: (other, path, ref) => guard(async () => (await client.rawFile(other, path, ref ?? 'HEAD')) ?? null),
  };
}

async function withLint(client: GitlabClient, project: ProjectId, ci: CiConfig, sha: string, logger?: Logger): Promise<CiConfig> {
  const outOfReach = ci.unresolvedIncludes.some((u) => u.kind === 'remote' || u.kind === 'template' || u.kind === 'component');
  if (!outOfReach) return ci;
  try {
    const lint = await client.lint(project, sha, true);
    return mergeLintResult(ci, lint);
  } catch (err) {
    // Lint is a bonus: the review goes on with what could be read locally.
    logger?.warn({ err: (err as Error).message, project, sha }, 'CI lint failed; remote includes stay unresolved');
    return ci;
  }
}

async function readDockerfile(
  client: GitlabClient, project: ProjectId, sha: string, path: string, maxBytes: number, logger?: Logger, skipped?: string[],
): Promise<string | undefined> {
  const text = await client.rawFile(project, path, sha);
  if (text === undefined) return undefined;
  if (Buffer.byteLength(text) > maxBytes) {
    logger?.warn({ project, path, bytes: Buffer.byteLength(text), limit: maxBytes }, 'Dockerfile larger than MAX_DOCKERFILE_BYTES: not analysed');
    skipped?.push(`${path} is ${Buffer.byteLength(text)} bytes, more than MAX_DOCKERFILE_BYTES (${maxBytes}): it was not checked.`);
    return undefined;
  }
  return text;
}

export async function loadSnapshot(opts: SnapshotOptions): Promise<RepoSnapshot> {
  const { client, project, sha, limits, logger } = opts;
  const ciPath = opts.ciPath ?? DEFAULT_CI_PATH;
  const outage: { error?: unknown } = {};
  const files = new Map<string, string>();
  let ci: CiConfig | undefined;
  const entry = await client.rawFile(project, ciPath, sha);
  if (entry !== undefined) {
    ci = await loadCiConfig(ciPath, gitlabSource(client, project, sha, outage, new Map([[ciPath, entry]])), {
      maxFileBytes: limits.maxYamlBytes,
      maxAliasCount: limits.maxYamlAliases,
    });
    if (outage.error) throw outage.error;
    if (opts.useLint !== false) ci = await withLint(client, project, ci, sha, logger);
    for (const [p, text] of ci.files) files.set(p, text);
  }

  // Which Dockerfiles the jobs build is only known once the config is resolved.
  const wanted = new Set<string>(opts.extraDockerfiles ?? []);
  for (const b of buildCheckContext(ci, new Map()).builds) if (b.dockerfilePath) wanted.add(b.dockerfilePath);
  const dockerfiles = new Map<string, DockerfileModel>();
  const skipped: string[] = [];
  for (const path of [...wanted].sort()) {
    const text = await readDockerfile(client, project, sha, path, limits.maxDockerfileBytes, logger, skipped);
    if (text === undefined) continue;
    files.set(path, text);
    dockerfiles.set(path, parseDockerfile(path, text));
  }
  const context = buildCheckContext(ci, dockerfiles, opts.rules ? { rules: opts.rules } : {});
  return { sha, ciPath, ...(ci ? { ci } : {}), dockerfiles, files, context, ...(skipped.length ? { skipped } : {}) };
}

/** The repository paths a snapshot depends on: a later change to any of them needs a new review. */
export function dependencyPaths(s: RepoSnapshot): string[] {
  return [...new Set([s.ciPath, ...(s.ci ? s.ci.files.keys() : []), ...s.dockerfiles.keys(), ...s.context.builds.map((b) => b.dockerfilePath).filter(Boolean)])].sort();
}
