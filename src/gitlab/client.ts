// Every GitLab call ci-medic makes, in one class. Built on @gitbeaker/rest with a requester
// that applies ci-medic's retry policy. Three calls go straight to GitlabHttp, each saying why
// where it is defined: diff discussions (gitbeaker cuts positions), raw files and job logs
// (bounded while streaming).
import { Gitlab } from '@gitbeaker/rest';
import { GitlabHttp, type HttpConfig } from './http.js';
import { isNotFound } from './errors.js';
import { formatQuery, makeRequesterFn } from './requester.js';
import { trimTrailing } from '../text/linear.js';
import type {
  CommitComment, DiffRefs, Discussion, GitlabUser, Job, LintResult, Member, MergeRequest, MrDiff, MrVersion, Note, Pipeline, ProjectId, ProjectInfo,
  TextPosition, TreeItem, UserInfo,
} from './types.js';

export type GitlabClientOptions = HttpConfig & {
  /** Largest file read by rawFile (MAX_FILE_BYTES); larger files fail with FileTooLargeError. */
  maxFileBytes?: number;
};

export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

/** A file longer than the bound it was read with; only the first bytes were downloaded. */
export class FileTooLargeError extends Error {
  readonly code = 'CIM_ERR_FILE_TOO_LARGE' as const;
  readonly retryable = false;
  constructor(readonly path: string, readonly limitBytes: number) {
    super(`${path} is larger than ${limitBytes} bytes; it was not read`);
    this.name = 'FileTooLargeError';
  }
}

export interface FileRead {
  text: string;
  /** The file is longer than the bound: `text` is its first bytes only. */
  truncated: boolean;
}

const enc = (v: ProjectId | string | number) => encodeURIComponent(String(v));


export class GitlabClient {
  readonly http: GitlabHttp;
  readonly api: InstanceType<typeof Gitlab>;
  readonly maxFileBytes: number;
  private me?: GitlabUser;

  constructor(opts: GitlabClientOptions) {
    const host = trimTrailing(opts.host, '/');
    this.maxFileBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.http = new GitlabHttp({ ...opts, host });
    this.api = new Gitlab({
      host,
      token: opts.token,
      // Timeouts are per attempt in GitlabHttp; gitbeaker's one signal would span all retries.
      queryTimeout: null,
      requesterFn: makeRequesterFn(this.http) as never,
    });
  }

  /** Every page of a list, bounded: gitbeaker follows `Link: rel="next"` until it ends. */
  private static readonly ALL_PAGES = { perPage: 100, maxPages: 1000 } as const;

  /** The token's user, cached: only notes by this id are ever edited. */
  async currentUser(): Promise<GitlabUser> {
    this.me ??= (await this.api.Users.showCurrentUser()) as unknown as GitlabUser;
    return this.me;
  }

  async project(projectId: ProjectId): Promise<ProjectInfo & { default_branch: string }> {
    return (await this.api.Projects.show(projectId)) as never;
  }

  /** A member of the project, direct or inherited, or undefined when the user is none (404). */
  async memberAll(projectId: ProjectId, userId: number): Promise<Member | undefined> {
    try {
      return (await this.api.ProjectMembers.show(projectId, Math.trunc(userId), { includeInherited: true })) as unknown as Member;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async user(userId: number): Promise<UserInfo | undefined> {
    try {
      return (await this.api.Users.show(Math.trunc(userId))) as unknown as UserInfo;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async mergeRequest(projectId: ProjectId, iid: number): Promise<MergeRequest> {
    return (await this.api.MergeRequests.show(projectId, iid)) as unknown as MergeRequest;
  }

  /** Newest first, as GitLab lists them. */
  async mrVersions(projectId: ProjectId, iid: number): Promise<MrVersion[]> {
    return (await this.api.MergeRequests.allDiffVersions(projectId, iid)) as unknown as MrVersion[];
  }

  /**
   * SHAs of the latest diff version (`diff_refs` on the MR can still be empty right after open,
   * so `/versions` comes first; the MR's own `diff_refs` serve where versions are unavailable).
   */
  async latestDiffRefs(projectId: ProjectId, iid: number): Promise<DiffRefs | undefined> {
    let versions: MrVersion[] = [];
    try {
      versions = await this.mrVersions(projectId, iid);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    const v = versions[0];
    if (v) return { base_sha: v.base_commit_sha, start_sha: v.start_commit_sha, head_sha: v.head_commit_sha };
    const refs = (await this.mergeRequest(projectId, iid)).diff_refs;
    return refs?.head_sha && refs.base_sha && refs.start_sha ? refs : undefined;
  }

  /** The MR's file diffs; `/diffs` (GitLab 15.7+) or, on older GitLab, the deprecated `/changes`. */
  async mrDiffs(projectId: ProjectId, iid: number): Promise<MrDiff[]> {
    try {
      return (await this.api.MergeRequests.allDiffs(projectId, iid, { perPage: 100 })) as unknown as MrDiff[];
    } catch (e) {
      if (!isNotFound(e)) throw e;
      // A 404 here is either an unknown MR (changes answers 404 too) or a GitLab without /diffs.
      const mr = (await this.api.MergeRequests.showChanges(projectId, iid)) as unknown as { changes?: MrDiff[] };
      return mr.changes ?? [];
    }
  }

  async listOpenMergeRequests(projectId: ProjectId, updatedAfter?: string): Promise<MergeRequest[]> {
    return (await this.api.MergeRequests.all({ projectId, state: 'opened', ...(updatedAfter ? { updatedAfter } : {}), ...GitlabClient.ALL_PAGES })) as unknown as MergeRequest[];
  }

  async mrNotes(projectId: ProjectId, iid: number): Promise<Note[]> {
    return (await this.api.MergeRequestNotes.all(projectId, iid, { sort: 'asc', orderBy: 'created_at', perPage: 100 })) as unknown as Note[];
  }

  async createMrNote(projectId: ProjectId, iid: number, body: string): Promise<Note> {
    return (await this.api.MergeRequestNotes.create(projectId, iid, body)) as unknown as Note;
  }

  async editMrNote(projectId: ProjectId, iid: number, noteId: number, body: string): Promise<Note> {
    return (await this.api.MergeRequestNotes.edit(projectId, iid, noteId, { body })) as unknown as Note;
  }

  async discussions(projectId: ProjectId, iid: number): Promise<Discussion[]> {
    return (await this.api.MergeRequestDiscussions.all(projectId, iid, { perPage: 100 })) as unknown as Discussion[];
  }

  /**
   * A diff thread, sent as a raw JSON body: gitbeaker's MergeRequestDiscussions.create flattens
   * `position` into form keys with an unencoded qs string split on `&`, so a path containing `&`
   * or `=` arrives cut (reformatObjectOptions in @gitbeaker/core 43.8; no upstream issue found).
   * test/gitlab/gitbeaker-bypass.test.ts shows the bug and fails once gitbeaker fixes it.
   */
  async createDiffDiscussion(projectId: ProjectId, iid: number, body: string, position: TextPosition): Promise<Discussion> {
    const res = await this.http.request({
      method: 'POST',
      path: `projects/${enc(projectId)}/merge_requests/${iid}/discussions`,
      json: { body, position },
    });
    return res.body as Discussion;
  }

  async replyToDiscussion(projectId: ProjectId, iid: number, discussionId: string, body: string): Promise<Note> {
    return (await this.api.MergeRequestDiscussions.addNote(projectId, iid, discussionId, body)) as unknown as Note;
  }

  async resolveDiscussion(projectId: ProjectId, iid: number, discussionId: string, resolved = true): Promise<Discussion> {
    return (await this.api.MergeRequestDiscussions.resolve(projectId, iid, discussionId, resolved)) as unknown as Discussion;
  }

  async editDiscussionNote(projectId: ProjectId, iid: number, discussionId: string, noteId: number, body: string): Promise<Note> {
    return (await this.api.MergeRequestDiscussions.editNote(projectId, iid, discussionId, noteId, { body })) as unknown as Note;
  }

  /**
   * File text at a ref, or undefined when GitLab answers 404. At most `maxBytes` bytes are
   * downloaded (the bound applies while streaming); a longer file throws FileTooLargeError.
   */
  async rawFile(projectId: ProjectId, path: string, ref: string, maxBytes = this.maxFileBytes): Promise<string | undefined> {
    const read = await this.readFile(projectId, path, ref, maxBytes);
    if (read?.truncated) throw new FileTooLargeError(path, maxBytes);
    return read?.text;
  }

  /**
   * The first `maxBytes` bytes of a file at a ref (never more are downloaded), or undefined on
   * 404. Direct, not RepositoryFiles.showRaw: gitbeaker's requester interface carries no byte
   * bound, and the bound must apply while streaming (test/gitlab/transfer-bounds.test.ts).
   */
  async readFile(projectId: ProjectId, path: string, ref: string, maxBytes: number): Promise<FileRead | undefined> {
    try {
      const res = await this.http.request({
        method: 'GET',
        path: `projects/${enc(projectId)}/repository/files/${enc(path)}/raw`,
        query: formatQuery({ ref }),
        maxBytes,
      });
      const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
      return { text, truncated: res.truncated === true };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async tree(projectId: ProjectId, opts: { ref: string; path?: string; recursive?: boolean }): Promise<TreeItem[]> {
    // Keyset pagination: GitLab's offset pages stop at 100 pages for large trees.
    return (await this.api.Repositories.allRepositoryTrees(projectId, { ...opts, pagination: 'keyset', ...GitlabClient.ALL_PAGES })) as unknown as TreeItem[];
  }

  async pipeline(projectId: ProjectId, pipelineId: number): Promise<Pipeline> {
    return (await this.api.Pipelines.show(projectId, pipelineId)) as unknown as Pipeline;
  }

  async failedJobs(projectId: ProjectId, pipelineId: number): Promise<Job[]> {
    return (await this.api.Jobs.all(projectId, { pipelineId, scope: 'failed', ...GitlabClient.ALL_PAGES })) as unknown as Job[];
  }

  async job(projectId: ProjectId, jobId: number): Promise<Job> {
    return (await this.api.Jobs.show(projectId, jobId)) as unknown as Job;
  }

  /**
   * The job log as a byte stream; never buffered whole (logs reach 100 MB). A log that stops
   * arriving fails the iteration with TransferTimeoutError after HTTP_IDLE_TIMEOUT_MS. Direct,
   * not Jobs.showLog: gitbeaker 43's showLog has no asStream option in its types, and the log
   * must never be buffered whole.
   */
  async *streamJobTrace(projectId: ProjectId, jobId: number): AsyncIterable<Uint8Array> {
    const res = await this.http.request({ method: 'GET', path: `projects/${enc(projectId)}/jobs/${jobId}/trace`, stream: true });
    const body = res.body as ReadableStream<Uint8Array> | null;
    if (!body) return;
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        if (value) yield value;
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
  }

  async mergeRequestsForCommit(projectId: ProjectId, sha: string): Promise<MergeRequest[]> {
    return (await this.api.Commits.allMergeRequests(projectId, sha, GitlabClient.ALL_PAGES)) as unknown as MergeRequest[];
  }

  async commitComments(projectId: ProjectId, sha: string): Promise<CommitComment[]> {
    return (await this.api.Commits.allComments(projectId, sha, GitlabClient.ALL_PAGES as never)) as unknown as CommitComment[];
  }

  async createCommitComment(projectId: ProjectId, sha: string, note: string): Promise<CommitComment> {
    return (await this.api.Commits.createComment(projectId, sha, note)) as unknown as CommitComment;
  }

  /** Lints the project's CI config at a SHA with includes resolved (`content_ref`, not `ref`). */
  async lint(projectId: ProjectId, contentRef: string, includeJobs = false): Promise<LintResult> {
    // gitbeaker's types know only `ref` (the dry-run context); its query passes `contentRef` on as `content_ref`.
    return (await this.api.Lint.check(projectId, { contentRef, includeJobs } as never)) as unknown as LintResult;
  }
}
