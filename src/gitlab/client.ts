// Every GitLab call ci-medic makes, in one class. Built on @gitbeaker/rest with a requester
// that applies ci-medic's retry policy; a few calls bypass gitbeaker where it falls short.
import { Gitlab } from '@gitbeaker/rest';
import { GitlabHttp, type HttpConfig } from './http.js';
import { isNotFound } from './errors.js';
import { formatQuery, makeRequesterFn } from './requester.js';
import { trimTrailing } from '../text/linear.js';
import type {
  CommitComment, DiffRefs, Discussion, GitlabUser, Job, LintResult, MergeRequest, MrDiff, MrVersion, Note, Pipeline, ProjectId, TextPosition, TreeItem,
} from './types.js';

export type GitlabClientOptions = HttpConfig;

const enc = (v: ProjectId | string | number) => encodeURIComponent(String(v));

/**
 * The next page of a list: `X-Next-Page`, or the `Link: <...page=N...>; rel="next"` header that
 * endpoints with limited pagination headers still send (doc/api/rest/_index.md); 0 at the end.
 */
export function nextPage(headers: Record<string, string>): number {
  const header = Number(headers['x-next-page'] || 0);
  if (header > 0) return header;
  const next = /<([^>]{1,4000})>\s{0,10};\s{0,10}rel="next"/.exec(headers['link'] ?? '');
  if (!next) return 0;
  try {
    return Number(new URL(next[1]!).searchParams.get('page') ?? 0) || 0;
  } catch {
    return 0;
  }
}

export class GitlabClient {
  readonly http: GitlabHttp;
  readonly api: InstanceType<typeof Gitlab>;
  private me?: GitlabUser;

  constructor(opts: GitlabClientOptions) {
    const host = trimTrailing(opts.host, '/');
    this.http = new GitlabHttp({ ...opts, host });
    this.api = new Gitlab({
      host,
      token: opts.token,
      // Timeouts are per attempt in GitlabHttp; gitbeaker's one signal would span all retries.
      queryTimeout: null,
      requesterFn: makeRequesterFn(this.http) as never,
    });
  }

  private async getJson<T>(path: string, query?: Record<string, unknown>): Promise<T> {
    return (await this.http.request({ method: 'GET', path, query: formatQuery(query) })).body as T;
  }

  /** Every page of a list endpoint (follows X-Next-Page). */
  private async getAll<T>(path: string, query: Record<string, unknown> = {}): Promise<T[]> {
    const out: T[] = [];
    for (let page = 1, guard = 0; page && guard < 1000; guard++) {
      const res = await this.http.request({ method: 'GET', path, query: formatQuery({ ...query, page, per_page: 100 }) });
      out.push(...(res.body as T[]));
      page = nextPage(res.headers);
    }
    return out;
  }

  /** The token's user, cached: only notes by this id are ever edited. */
  async currentUser(): Promise<GitlabUser> {
    this.me ??= (await this.api.Users.showCurrentUser()) as unknown as GitlabUser;
    return this.me;
  }

  async project(projectId: ProjectId): Promise<{ id: number; path_with_namespace: string; default_branch: string; web_url: string }> {
    return (await this.api.Projects.show(projectId)) as never;
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
      const mr = await this.getJson<{ changes?: MrDiff[] }>(`projects/${enc(projectId)}/merge_requests/${iid}/changes`);
      return mr.changes ?? [];
    }
  }

  async listOpenMergeRequests(projectId: ProjectId, updatedAfter?: string): Promise<MergeRequest[]> {
    return this.getAll<MergeRequest>(`projects/${enc(projectId)}/merge_requests`, { state: 'opened', updated_after: updatedAfter });
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
   * A diff thread, sent as a raw JSON body: gitbeaker flattens `position` into form keys with
   * qs, which breaks on paths containing `&` or `=`.
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

  /** File text at a ref, or undefined when GitLab answers 404. */
  async rawFile(projectId: ProjectId, path: string, ref: string): Promise<string | undefined> {
    try {
      const res = await this.http.request({
        method: 'GET',
        path: `projects/${enc(projectId)}/repository/files/${enc(path)}/raw`,
        query: formatQuery({ ref }),
      });
      return typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async tree(projectId: ProjectId, opts: { ref: string; path?: string; recursive?: boolean }): Promise<TreeItem[]> {
    return this.getAll<TreeItem>(`projects/${enc(projectId)}/repository/tree`, opts);
  }

  async pipeline(projectId: ProjectId, pipelineId: number): Promise<Pipeline> {
    return (await this.api.Pipelines.show(projectId, pipelineId)) as unknown as Pipeline;
  }

  async failedJobs(projectId: ProjectId, pipelineId: number): Promise<Job[]> {
    return this.getAll<Job>(`projects/${enc(projectId)}/pipelines/${pipelineId}/jobs`, { scope: ['failed'] });
  }

  async job(projectId: ProjectId, jobId: number): Promise<Job> {
    return (await this.api.Jobs.show(projectId, jobId)) as unknown as Job;
  }

  /** The job log as a byte stream; never buffered whole (logs reach 100 MB). */
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
    return this.getAll<MergeRequest>(`projects/${enc(projectId)}/repository/commits/${enc(sha)}/merge_requests`);
  }

  async commitComments(projectId: ProjectId, sha: string): Promise<CommitComment[]> {
    return this.getAll<CommitComment>(`projects/${enc(projectId)}/repository/commits/${enc(sha)}/comments`);
  }

  async createCommitComment(projectId: ProjectId, sha: string, note: string): Promise<CommitComment> {
    const res = await this.http.request({ method: 'POST', path: `projects/${enc(projectId)}/repository/commits/${enc(sha)}/comments`, json: { note } });
    return res.body as CommitComment;
  }

  /** Lints the project's CI config at a SHA with includes resolved (`content_ref`, not `ref`). */
  async lint(projectId: ProjectId, contentRef: string, includeJobs = false): Promise<LintResult> {
    return this.getJson<LintResult>(`projects/${enc(projectId)}/ci/lint`, { content_ref: contentRef, include_jobs: includeJobs });
  }
}
