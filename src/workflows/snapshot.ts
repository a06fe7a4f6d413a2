// The repository at one SHA as the analysis needs it: the effective CI config (local and project
// includes read from GitLab at that SHA, remote/template includes filled in from GitLab's lint
// API when it answers) and every Dockerfile the jobs build or the caller asks for.
//
// Other projects' files are read only when the MR author (or the pipeline's user) could read
// them (AuthorAccess); otherwise the include is unresolved and only its name, which the author
// wrote, is ever shown. The lint API resolves includes with the bot's token, so its merged YAML
// is used only when every file it included passes the same test. What is read is bounded: file
// sizes while downloading, the number of files and of Dockerfiles per task.
import { trimTrailing } from '../text/linear.js';
import { loadCiConfig, matchIncludeGlob, mergeLintResult } from '../analysis/ci-config/index.js';
import type { CiConfig, CiFileSource } from '../analysis/ci-config/types.js';
import { parseDockerfile } from '../analysis/dockerfile/parse.js';
import type { DockerfileModel } from '../analysis/dockerfile/types.js';
import { buildCheckContext } from '../analysis/rules/context.js';
import type { CheckContext, RuleMeta } from '../analysis/rules/types.js';
import type { Limits } from '../config.js';
import type { AuthorAccess } from '../gitlab/access.js';
import type { GitlabClient } from '../gitlab/client.js';
import { GitlabUnavailableError } from '../gitlab/errors.js';
import { RequestAbortedError } from '../gitlab/http.js';
import type { LintResult, ProjectId } from '../gitlab/types.js';
import type { Logger } from '../logger.js';

export const DEFAULT_CI_PATH = '.gitlab-ci.yml';

/** Shown for an include the author cannot read; names nothing but what the author wrote. */
export const UNREADABLE_REASON = "the merge request author cannot read that project, so ci-medic did not use it";

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
  /** Includes of projects the author cannot read (`project:file@ref`, as written in the CI file). */
  unreadable?: string[];
  /** Web URL of each file of another project that was read (key as in `files`), for links. */
  fileUrls?: Map<string, string>;
}

type SnapshotLimits = Pick<Limits, 'maxYamlBytes' | 'maxYamlAliases' | 'maxDockerfileBytes'> & Partial<Pick<Limits, 'maxFilesPerReview' | 'maxDockerfilesPerReview'>>;

export interface SnapshotOptions {
  client: GitlabClient;
  project: ProjectId;
  sha: string;
  ciPath?: string;
  /** Dockerfiles to read besides the ones the jobs build (e.g. those the MR changed). */
  extraDockerfiles?: readonly string[];
  limits: SnapshotLimits;
  rules?: RuleMeta[];
  logger?: Logger;
  /** Ask GitLab's lint API for remote/template includes that cannot be read locally (default true). */
  useLint?: boolean;
  /** Whose rights decide whether other projects' files are used; without it none are. */
  access?: AuthorAccess;
}

/** MAX_FILES_PER_REVIEW was reached: the include stays unresolved, the summary says so. */
class FileBudgetExceeded extends Error {
  constructor(limit: number) {
    super(`MAX_FILES_PER_REVIEW (${limit}) files were already read`);
  }
}

/** What one task may still read, and what it had to leave out. */
class ReadState {
  used = 0;
  readonly skipped: string[] = [];
  readonly denied = new Set<string>();
  readonly fileUrls = new Map<string, string>();
  private budgetReported = false;
  constructor(readonly maxFiles: number) {}

  take(): void {
    if (this.used >= this.maxFiles) {
      if (!this.budgetReported) this.skipped.push(`More files are needed than MAX_FILES_PER_REVIEW (${this.maxFiles}); the rest were not read or checked.`);
      this.budgetReported = true;
      throw new FileBudgetExceeded(this.maxFiles);
    }
    this.used++;
  }
}

const projectKey = (project: string, path: string, ref?: string) => `${project}:${path}${ref ? `@${ref}` : ''}`;

/** `<project web url>/-/blob/<ref>/<path>`: a finding in another project's file links there. */
function blobUrlIn(webUrl: string, ref: string, path: string): string {
  const enc = (p: string) => p.split('/').map(encodeURIComponent).join('/');
  return `${trimTrailing(webUrl, '/')}/-/blob/${enc(ref)}/${enc(path)}`;
}

/**
 * A CI file source over the GitLab API at one SHA. loadCiConfig turns read failures into
 * "unresolved include" findings; a GitLab outage must instead fail the task so the queue
 * retries it, so the first outage is kept and rethrown by the caller.
 */
function gitlabSource(opts: SnapshotOptions, state: ReadState, outage: { error?: unknown }, known: ReadonlyMap<string, string>): CiFileSource {
  const { client, project, sha, limits, access } = opts;
  const guard = async <T>(f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      if (e instanceof GitlabUnavailableError) outage.error ??= e;
      throw e;
    }
  };
  // One byte more than the limit: loadCiConfig reports a longer file as too large.
  const read = async (p: ProjectId, path: string, ref: string) => {
    state.take();
    return (await client.readFile(p, path, ref, limits.maxYamlBytes + 1))?.text ?? null;
  };
  let tree: Promise<string[]> | undefined;
  return {
    readLocal: (path) => guard(async () => known.get(path.replace(/^\/+/, '')) ?? (await read(project, path, sha))),
    listLocal: (glob) =>
      guard(async () => {
        tree ??= client.tree(project, { ref: sha, recursive: true }).then((items) => items.filter((i) => i.type === 'blob').map((i) => i.path));
        return matchIncludeGlob(glob, await tree);
      }),
    readProject: (other, path, ref) =>
      guard(async () => {
        const answer = access ? await access.check(other) : { readable: false };
        if (!answer.readable) {
          state.denied.add(other);
          return null;
        }
        // GitLab resolves a project include without `ref` to that project's default branch: HEAD.
        const text = await read(other, path, ref ?? 'HEAD');
        if (text !== null && answer.project?.web_url) {
          state.fileUrls.set(projectKey(other, path, ref), blobUrlIn(answer.project.web_url, ref ?? answer.project.default_branch ?? 'HEAD', path));
        }
        return text;
      }),
  };
}

/** The project a lint `includes` entry was read from (GitLab's include metadata), if known. */
function includeProjects(inc: Record<string, unknown>): Array<string | undefined> | 'public' {
  const extra = (inc.extra && typeof inc.extra === 'object' ? inc.extra : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  switch (inc.type) {
    // Templates ship with GitLab; remote files are fetched by GitLab without credentials.
    case 'template':
    case 'remote':
      return 'public';
    case 'local':
      return [str(inc.context_project)];
    case 'file':
      return [str(extra.project), str(inc.context_project)];
    case 'component': {
      // `<host>/<project path>/<component>@<version>`
      const location = withoutVersion(str(inc.location))?.split('/');
      return [str(extra.project) ?? (location && location.length >= 3 ? location.slice(1, -1).join('/') : undefined)];
    }
    default:
      return [undefined];
  }
}

/** Every file GitLab's lint included is one the author could read (fails closed when unknown). */
async function lintReadable(lint: LintResult, access: AuthorAccess | undefined): Promise<boolean> {
  if (!Array.isArray(lint.includes)) return false;
  for (const inc of lint.includes) {
    if (!inc || typeof inc !== 'object') return false;
    const projects = includeProjects(inc as Record<string, unknown>);
    if (projects === 'public') continue;
    for (const p of projects) {
      if (p === undefined || !access || !(await access.canRead(p))) return false;
    }
  }
  return true;
}

async function withLint(opts: SnapshotOptions, ci: CiConfig, state: ReadState): Promise<CiConfig> {
  const { client, project, sha, logger } = opts;
  const outOfReach = ci.unresolvedIncludes.some((u) => u.kind === 'remote' || u.kind === 'template' || u.kind === 'component');
  if (!outOfReach) return ci;
  // GitLab's lint reads every include with the bot's token: its answer would carry the files
  // the author cannot read.
  if (state.denied.size > 0) return ci;
  try {
    const lint = await client.lint(project, sha, true);
    if (!(await lintReadable(lint, opts.access))) {
      state.skipped.push("GitLab's CI lint result was not used: it includes files the merge request author cannot read.");
      return ci;
    }
    return mergeLintResult(ci, lint);
  } catch (err) {
    if (err instanceof RequestAbortedError) throw err;
    // Lint is a bonus: the review goes on with what could be read locally.
    logger?.warn({ err: (err as Error).message, project, sha }, 'CI lint failed; remote includes stay unresolved');
    return ci;
  }
}

async function readDockerfile(opts: SnapshotOptions, path: string, state: ReadState): Promise<string | undefined> {
  const { client, project, sha, logger } = opts;
  const maxBytes = opts.limits.maxDockerfileBytes;
  state.take();
  const read = await client.readFile(project, path, sha, maxBytes);
  if (read === undefined) return undefined;
  if (read.truncated) {
    logger?.warn({ project, path, limit: maxBytes }, 'Dockerfile larger than MAX_DOCKERFILE_BYTES: not analysed');
    state.skipped.push(`${path} is larger than MAX_DOCKERFILE_BYTES (${maxBytes} bytes): it was not checked.`);
    return undefined;
  }
  return read.text;
}

export async function loadSnapshot(opts: SnapshotOptions): Promise<RepoSnapshot> {
  const { client, project, sha, limits } = opts;
  const ciPath = opts.ciPath ?? DEFAULT_CI_PATH;
  const outage: { error?: unknown } = {};
  const state = new ReadState(limits.maxFilesPerReview ?? 200);
  const files = new Map<string, string>();
  let ci: CiConfig | undefined;
  state.take();
  const entry = (await client.readFile(project, ciPath, sha, limits.maxYamlBytes + 1))?.text;
  if (entry !== undefined) {
    ci = await loadCiConfig(ciPath, gitlabSource(opts, state, outage, new Map([[ciPath, entry]])), {
      maxFileBytes: limits.maxYamlBytes,
      maxAliasCount: limits.maxYamlAliases,
    });
    if (outage.error) throw outage.error;
    for (const u of ci.unresolvedIncludes) {
      if (u.kind === 'project' && [...state.denied].some((p) => u.target.startsWith(`${p}:`))) u.reason = UNREADABLE_REASON;
    }
    if (opts.useLint !== false) ci = await withLint(opts, ci, state);
    for (const [p, text] of ci.files) files.set(p, text);
  }

  // Which Dockerfiles the jobs build is only known once the config is resolved.
  const wanted = new Set<string>(opts.extraDockerfiles ?? []);
  for (const b of buildCheckContext(ci, new Map()).builds) if (b.dockerfilePath) wanted.add(b.dockerfilePath);
  const dockerfiles = new Map<string, DockerfileModel>();
  const maxDockerfiles = limits.maxDockerfilesPerReview ?? 20;
  const paths = [...wanted].sort();
  if (paths.length > maxDockerfiles) {
    state.skipped.push(`${paths.length - maxDockerfiles} of ${paths.length} Dockerfiles were not read (MAX_DOCKERFILES_PER_REVIEW is ${maxDockerfiles}).`);
  }
  for (const path of paths.slice(0, maxDockerfiles)) {
    let text: string | undefined;
    try {
      text = await readDockerfile(opts, path, state);
    } catch (e) {
      if (e instanceof FileBudgetExceeded) break;
      throw e;
    }
    if (text === undefined) continue;
    files.set(path, text);
    dockerfiles.set(path, parseDockerfile(path, text));
  }
  const context = buildCheckContext(ci, dockerfiles, opts.rules ? { rules: opts.rules } : {});
  const unreadable = ci?.unresolvedIncludes.filter((u) => u.reason === UNREADABLE_REASON).map((u) => u.target) ?? [];
  return {
    sha, ciPath, ...(ci ? { ci } : {}), dockerfiles, files, context,
    ...(state.skipped.length ? { skipped: state.skipped } : {}),
    ...(unreadable.length ? { unreadable } : {}),
    ...(state.fileUrls.size ? { fileUrls: state.fileUrls } : {}),
  };
}

/** One-line notes for the reader: what could not be read or was left out, never what it holds. */
export function snapshotNotes(s: RepoSnapshot): string[] {
  const notes: string[] = [];
  const unreadable = s.unreadable?.length ?? 0;
  const other = (s.ci?.unresolvedIncludes.length ?? 0) - unreadable;
  if (unreadable > 0) {
    const what = unreadable === 1 ? 'An included file from another project' : `${unreadable} included files from other projects`;
    notes.push(`${what} could not be read with the merge request author's rights; ci-medic did not use ${unreadable === 1 ? 'it' : 'them'}, and jobs defined there were not checked.`);
  }
  if (other > 0) notes.push(`${other} include(s) could not be read; jobs they define were not checked.`);
  notes.push(...(s.skipped ?? []));
  return notes;
}

/** The repository paths a snapshot depends on: a later change to any of them needs a new review. */
export function dependencyPaths(s: RepoSnapshot): string[] {
  return [...new Set([s.ciPath, ...(s.ci ? s.ci.files.keys() : []), ...s.dockerfiles.keys(), ...s.context.builds.map((b) => b.dockerfilePath).filter(Boolean)])].sort();
}

/** `host/group/project/component@1.0` -> `host/group/project/component` (the last `@` with no `/` after it). */
function withoutVersion(location: string | undefined): string | undefined {
  if (location === undefined) return undefined;
  const at = location.lastIndexOf('@');
  return at >= 0 && !location.includes('/', at) ? location.slice(0, at) : location;
}
