// The fake GitLab's in-memory world: projects, files per ref, merge requests with diff versions,
// notes/discussions, pipelines and jobs. Shapes follow GitLab's REST docs (doc/api/*.md).
import { createHash } from 'node:crypto';
import { hunksToText, unifiedHunks } from '../../src/analysis/fixes/diff.js';

export interface FakeUser {
  id: number;
  username: string;
  name: string;
  state: 'active';
  avatar_url: string | null;
  web_url: string;
  bot?: boolean;
  /** External users see internal projects only where they are members (doc/user/public_access.md). */
  external?: boolean;
  /** Administrators see `external` in GET /users/:id. */
  is_admin?: boolean;
}

/** GitLab's access levels (doc/api/members.md "Roles"). */
export const ACCESS = { guest: 10, reporter: 20, developer: 30, maintainer: 40, owner: 50 } as const;

export interface FakeMember {
  user: FakeUser;
  access_level: number;
  created_at: string;
  expires_at: string | null;
}

export interface DiffItem {
  old_path: string;
  new_path: string;
  a_mode: string;
  b_mode: string;
  diff: string;
  new_file: boolean;
  renamed_file: boolean;
  deleted_file: boolean;
  generated_file: boolean;
  collapsed: boolean;
  too_large: boolean;
}

export interface FakeVersion {
  id: number;
  head_commit_sha: string;
  base_commit_sha: string;
  start_commit_sha: string;
  created_at: string;
  merge_request_id: number;
  state: 'collected';
  real_size: string;
  diffs: DiffItem[];
}

export interface Position {
  base_sha: string;
  start_sha: string;
  head_sha: string;
  old_path: string;
  new_path: string;
  position_type: 'text';
  old_line: number | null;
  new_line: number | null;
  line_range?: unknown;
}

export interface Suggestion {
  id: number;
  from_line: number;
  to_line: number;
  appliable: boolean;
  applied: boolean;
  from_content: string;
  to_content: string;
}

export interface FakeNote {
  id: number;
  type: null | 'DiscussionNote' | 'DiffNote';
  body: string;
  attachment: null;
  author: FakeUser;
  created_at: string;
  updated_at: string;
  system: boolean;
  noteable_id: number;
  noteable_type: 'MergeRequest';
  project_id: number;
  noteable_iid: number;
  resolvable: boolean;
  resolved: boolean;
  resolved_by: FakeUser | null;
  resolved_at: string | null;
  confidential: boolean;
  internal: boolean;
  commit_id?: string;
  position?: Position;
  suggestions?: Suggestion[];
}

export interface FakeDiscussion {
  id: string;
  individual_note: boolean;
  notes: FakeNote[];
}

export interface FakeMr {
  id: number;
  iid: number;
  project_id: number;
  title: string;
  description: string;
  state: 'opened' | 'closed' | 'merged' | 'locked';
  source_branch: string;
  target_branch: string;
  source_project_id: number;
  target_project_id: number;
  author: FakeUser;
  created_at: string;
  updated_at: string;
  /** Oldest first internally; the API answers newest first. */
  versions: FakeVersion[];
  discussions: FakeDiscussion[];
  /** False models the moment right after creation when `diff_refs` is still empty. */
  diffRefsReady: boolean;
}

export interface FakeJob {
  id: number;
  name: string;
  stage: string;
  status: string;
  allow_failure: boolean;
  failure_reason?: string;
  /** Whole log, or a generator streaming a large one chunk by chunk. */
  trace?: string | (() => AsyncIterable<string | Uint8Array>);
  created_at?: string;
  started_at?: string | null;
  finished_at?: string | null;
  duration?: number | null;
  queued_duration?: number | null;
}

export interface FakePipeline {
  id: number;
  iid: number;
  project_id: number;
  sha: string;
  ref: string;
  status: string;
  source: string;
  before_sha: string;
  tag: boolean;
  created_at: string;
  updated_at: string;
  jobs: FakeJob[];
  /** Who ran the pipeline. */
  user: FakeUser;
}

export interface CommitComment {
  note: string;
  path: string | null;
  line: number | null;
  line_type: 'new' | 'old' | null;
  author: FakeUser;
  created_at: string;
}

export interface FakeProject {
  id: number;
  name: string;
  path_with_namespace: string;
  default_branch: string;
  web_url: string;
  /** ref (branch or SHA) -> path -> text */
  files: Map<string, Map<string, string>>;
  mrs: Map<number, FakeMr>;
  pipelines: Map<number, FakePipeline>;
  commitComments: Map<string, CommitComment[]>;
  /** SHA -> MR iids that contain it (for /repository/commits/:sha/merge_requests). */
  commitMrs: Map<string, number[]>;
  lint: Map<string, unknown>;
  visibility: 'private' | 'internal' | 'public';
  /** Project feature access level for the repository (doc/api/projects.md). */
  repository_access_level: 'disabled' | 'private' | 'enabled';
  /** user id -> membership (the fake has no groups: direct members are all members). */
  members: Map<number, FakeMember>;
}

export type ProjectRef = number | string;

export interface FileChange {
  path: string;
  /** Absent for a new file. */
  oldText?: string;
  /** Absent/undefined with `deleted: true` for a removed file. */
  newText?: string;
  deleted?: boolean;
}

export const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

export class FakeState {
  readonly projects = new Map<number, FakeProject>();
  readonly users = new Map<number, FakeUser>();
  private seq = { note: 1000, mr: 500, version: 7000, suggestion: 300, job: 50000, discussion: 0 };
  /** Fixed clock so bodies are deterministic; advanced one second per write. */
  private clock = Date.parse('2025-06-02T10:00:00Z');

  constructor(
    readonly baseUrl: () => string,
    readonly botUser: FakeUser,
  ) {
    this.users.set(botUser.id, botUser);
  }

  now(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString();
  }
  nextNoteId = () => ++this.seq.note;
  nextSuggestionId = () => ++this.seq.suggestion;
  nextDiscussionId = () => sha1(`discussion-${++this.seq.discussion}`);

  user(partial: Partial<FakeUser> & { id: number; username: string }): FakeUser {
    const u: FakeUser = {
      name: partial.username,
      state: 'active',
      avatar_url: null,
      web_url: `https://gitlab.example.com/${partial.username}`,
      ...partial,
    };
    this.users.set(u.id, u);
    return u;
  }

  /**
   * A project; private unless told otherwise. The bot is a Maintainer unless `botAccess` says
   * otherwise (null: not a member, so it sees the project only through its visibility).
   */
  addProject(p: {
    id: number; path: string; defaultBranch?: string;
    visibility?: FakeProject['visibility']; repositoryAccessLevel?: FakeProject['repository_access_level'];
    botAccess?: number | null;
  }): FakeProject {
    const project: FakeProject = {
      id: p.id,
      name: p.path.split('/').pop()!,
      path_with_namespace: p.path,
      default_branch: p.defaultBranch ?? 'main',
      web_url: `https://gitlab.example.com/${p.path}`,
      files: new Map(),
      mrs: new Map(),
      pipelines: new Map(),
      commitComments: new Map(),
      commitMrs: new Map(),
      lint: new Map(),
      visibility: p.visibility ?? 'private',
      repository_access_level: p.repositoryAccessLevel ?? 'enabled',
      members: new Map(),
    };
    this.projects.set(p.id, project);
    const botAccess = p.botAccess === undefined ? ACCESS.maintainer : p.botAccess;
    if (botAccess !== null) this.addMember(p.id, this.botUser, botAccess);
    return project;
  }

  addMember(project: ProjectRef, user: FakeUser, accessLevel: number): FakeMember {
    const m: FakeMember = { user, access_level: accessLevel, created_at: this.now(), expires_at: null };
    this.users.set(user.id, user);
    this.mustProject(project).members.set(user.id, m);
    return m;
  }

  /** GitLab's `read_project`: public to all, internal to non-external users, private to members. */
  canSee(user: FakeUser, p: FakeProject): boolean {
    if (p.visibility === 'public') return true;
    if (p.visibility === 'internal' && !user.external) return true;
    return p.members.has(user.id);
  }

  /**
   * `download_code`: private projects need Reporter (Guests cannot read their code); a repository
   * limited to project members needs membership (ProjectFeature's minimum level, Guest); disabled
   * means nobody (doc/user/permissions.md, app/models/project_feature.rb).
   */
  canReadCode(user: FakeUser, p: FakeProject): boolean {
    if (!this.canSee(user, p) || p.repository_access_level === 'disabled') return false;
    const level = p.members.get(user.id)?.access_level ?? 0;
    if (p.visibility === 'private') return level >= ACCESS.reporter;
    if (p.repository_access_level === 'private') return level >= ACCESS.guest;
    return true;
  }

  project(ref: ProjectRef): FakeProject | undefined {
    if (typeof ref === 'number' || /^\d+$/.test(ref)) return this.projects.get(Number(ref));
    // Routable.find_by_full_path matches paths case-insensitively.
    for (const p of this.projects.values()) if (p.path_with_namespace.toLowerCase() === ref.toLowerCase()) return p;
    return undefined;
  }

  mustProject(ref: ProjectRef): FakeProject {
    const p = this.project(ref);
    if (!p) throw new Error(`fake-gitlab: no project ${ref}`);
    return p;
  }

  setFile(project: ProjectRef, ref: string, path: string, text: string | undefined): void {
    const p = this.mustProject(project);
    const files = p.files.get(ref) ?? new Map<string, string>();
    if (text === undefined) files.delete(path);
    else files.set(path, text);
    p.files.set(ref, files);
  }

  file(project: FakeProject, ref: string, path: string): string | undefined {
    return project.files.get(ref)?.get(path);
  }

  addMergeRequest(o: {
    project: ProjectRef;
    iid: number;
    sourceBranch: string;
    targetBranch?: string;
    headSha: string;
    baseSha: string;
    files: FileChange[];
    title?: string;
    author?: FakeUser;
    diffRefsReady?: boolean;
  }): FakeMr {
    const p = this.mustProject(o.project);
    const created = this.now();
    const mr: FakeMr = {
      id: ++this.seq.mr,
      iid: o.iid,
      project_id: p.id,
      title: o.title ?? `MR !${o.iid}`,
      description: '',
      state: 'opened',
      source_branch: o.sourceBranch,
      target_branch: o.targetBranch ?? p.default_branch,
      source_project_id: p.id,
      target_project_id: p.id,
      author: o.author ?? this.user({ id: 7, username: 'alice', name: 'Alice Example' }),
      created_at: created,
      updated_at: created,
      versions: [],
      discussions: [],
      diffRefsReady: o.diffRefsReady ?? true,
    };
    p.mrs.set(o.iid, mr);
    this.addMrVersion({ project: p.id, iid: o.iid, headSha: o.headSha, baseSha: o.baseSha, files: o.files });
    return mr;
  }

  /** A push to the MR: a new diff version computed against the base, files stored at the head SHA. */
  addMrVersion(o: { project: ProjectRef; iid: number; headSha: string; baseSha?: string; files: FileChange[] }): FakeVersion {
    const p = this.mustProject(o.project);
    const mr = p.mrs.get(o.iid);
    if (!mr) throw new Error(`fake-gitlab: no MR !${o.iid}`);
    const prev = mr.versions[mr.versions.length - 1];
    const baseSha = o.baseSha ?? prev?.base_commit_sha;
    if (!baseSha) throw new Error('fake-gitlab: baseSha required for the first version');
    // The head tree = the base tree + the changes.
    for (const f of o.files) if (f.oldText !== undefined) this.setFile(p.id, baseSha, f.path, f.oldText);
    const headFiles = new Map(p.files.get(baseSha) ?? []);
    const diffs: DiffItem[] = [];
    for (const f of o.files) {
      if (f.oldText !== undefined) this.setFile(p.id, baseSha, f.path, f.oldText);
      // Every version diffs against the base: a later push may omit oldText.
      const oldText = f.oldText ?? this.file(p, baseSha, f.path);
      const newText = f.deleted ? '' : (f.newText ?? '');
      if (f.deleted) headFiles.delete(f.path);
      else headFiles.set(f.path, newText);
      diffs.push({
        old_path: f.path,
        new_path: f.path,
        a_mode: oldText === undefined ? '0' : '100644',
        b_mode: f.deleted ? '0' : '100644',
        diff: hunksToText(unifiedHunks(oldText ?? '', newText)),
        new_file: oldText === undefined,
        renamed_file: false,
        deleted_file: !!f.deleted,
        generated_file: false,
        collapsed: false,
        too_large: false,
      });
    }
    p.files.set(o.headSha, headFiles);
    p.files.set(mr.source_branch, new Map(headFiles));
    const v: FakeVersion = {
      id: ++this.seq.version,
      head_commit_sha: o.headSha,
      base_commit_sha: baseSha,
      start_commit_sha: baseSha,
      created_at: this.now(),
      merge_request_id: mr.id,
      state: 'collected',
      real_size: String(diffs.length),
      diffs,
    };
    mr.versions.push(v);
    mr.updated_at = v.created_at;
    const list = p.commitMrs.get(o.headSha) ?? [];
    if (!list.includes(mr.iid)) list.push(mr.iid);
    p.commitMrs.set(o.headSha, list);
    return v;
  }

  addPipeline(o: {
    project: ProjectRef;
    id: number;
    sha: string;
    ref: string;
    status?: string;
    source?: string;
    jobs: Array<Omit<FakeJob, 'id'> & { id?: number }>;
    user?: FakeUser;
  }): FakePipeline {
    const p = this.mustProject(o.project);
    const at = this.now();
    const pipeline: FakePipeline = {
      id: o.id,
      iid: p.pipelines.size + 1,
      project_id: p.id,
      sha: o.sha,
      ref: o.ref,
      status: o.status ?? 'failed',
      source: o.source ?? 'merge_request_event',
      before_sha: '0000000000000000000000000000000000000000',
      tag: false,
      created_at: at,
      updated_at: at,
      jobs: o.jobs.map((j) => ({ ...j, id: j.id ?? ++this.seq.job })),
      user: o.user ?? this.user({ id: 7, username: 'alice', name: 'Alice Example' }),
    };
    p.pipelines.set(o.id, pipeline);
    return pipeline;
  }

  findJob(project: FakeProject, jobId: number): { pipeline: FakePipeline; job: FakeJob } | undefined {
    for (const pipeline of project.pipelines.values()) {
      const job = pipeline.jobs.find((j) => j.id === jobId);
      if (job) return { pipeline, job };
    }
    return undefined;
  }

  /** A plain comment by someone other than the bot (e.g. a human quoting a marker). */
  addNote(project: ProjectRef, iid: number, author: FakeUser, body: string): FakeNote {
    const p = this.mustProject(project);
    const mr = p.mrs.get(iid);
    if (!mr) throw new Error(`fake-gitlab: no MR !${iid}`);
    const at = this.now();
    const note: FakeNote = {
      id: this.nextNoteId(), type: null, body, attachment: null, author, created_at: at, updated_at: at, system: false,
      noteable_id: mr.id, noteable_type: 'MergeRequest', project_id: p.id, noteable_iid: iid,
      resolvable: false, resolved: false, resolved_by: null, resolved_at: null, confidential: false, internal: false,
    };
    mr.discussions.push({ id: this.nextDiscussionId(), individual_note: true, notes: [note] });
    return note;
  }

  /** All notes of an MR in creation order (the Notes API view). */
  notes(project: ProjectRef, iid: number): FakeNote[] {
    const mr = this.mustProject(project).mrs.get(iid);
    if (!mr) return [];
    return mr.discussions.flatMap((d) => d.notes).sort((a, b) => a.id - b.id);
  }

  discussions(project: ProjectRef, iid: number): FakeDiscussion[] {
    return this.mustProject(project).mrs.get(iid)?.discussions ?? [];
  }
}
