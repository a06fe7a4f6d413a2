// The parts of GitLab's REST responses ci-medic reads (snake_case, as GitLab sends them).

export type ProjectId = number | string;

export interface GitlabUser {
  id: number;
  username: string;
  name?: string;
  bot?: boolean;
}

export interface DiffRefs {
  base_sha: string;
  start_sha: string;
  head_sha: string;
}

export interface MergeRequest {
  id: number;
  iid: number;
  project_id: number;
  title: string;
  state: string;
  source_branch: string;
  target_branch: string;
  source_project_id: number;
  target_project_id: number;
  sha: string | null;
  updated_at: string;
  web_url: string;
  diff_refs: DiffRefs | null;
  /** Who opened the MR: content of other projects is used only when this user could read it. */
  author?: GitlabUser;
}

export interface MrVersion {
  id: number;
  head_commit_sha: string;
  base_commit_sha: string;
  start_commit_sha: string;
  created_at: string;
  state: string;
}

export interface MrDiff {
  old_path: string;
  new_path: string;
  diff: string;
  new_file: boolean;
  renamed_file: boolean;
  deleted_file: boolean;
  too_large?: boolean;
  collapsed?: boolean;
}

export interface TextPosition {
  position_type: 'text';
  base_sha: string;
  start_sha: string;
  head_sha: string;
  old_path: string;
  new_path: string;
  new_line?: number | null;
  old_line?: number | null;
}

export interface Note {
  id: number;
  type: string | null;
  body: string;
  author: GitlabUser;
  system: boolean;
  created_at: string;
  updated_at: string;
  resolvable?: boolean;
  resolved?: boolean;
  position?: TextPosition;
}

export interface Discussion {
  id: string;
  individual_note: boolean;
  notes: Note[];
}

export interface Pipeline {
  id: number;
  iid?: number;
  project_id: number;
  sha: string;
  ref: string;
  status: string;
  source?: string;
  web_url: string;
  /** Who ran the pipeline (GitLab evaluates `include:project` with this user's rights). */
  user?: GitlabUser;
}

export interface Job {
  id: number;
  name: string;
  stage: string;
  status: string;
  allow_failure: boolean;
  failure_reason?: string;
  web_url: string;
  ref?: string;
  pipeline?: { id: number; sha: string; ref: string; status: string };
}

export interface CommitComment {
  note: string;
  author: GitlabUser;
  created_at?: string;
  path?: string | null;
  line?: number | null;
  line_type?: string | null;
}

export interface TreeItem {
  id: string;
  name: string;
  type: 'tree' | 'blob' | 'commit';
  path: string;
  mode: string;
}

export interface LintResult {
  valid: boolean;
  errors: string[];
  warnings: string[];
  merged_yaml: string | null;
  includes?: unknown[];
  jobs?: unknown[];
}

/** GET /projects/:id, the fields that decide who may read the repository (doc/api/projects.md). */
export interface ProjectInfo {
  id: number;
  path_with_namespace: string;
  web_url: string;
  default_branch?: string;
  visibility?: 'private' | 'internal' | 'public';
  /** `disabled`, `private` (members only) or `enabled` (everyone who can see the project). */
  repository_access_level?: 'disabled' | 'private' | 'enabled';
}

/** GET /projects/:id/members/all/:user_id (doc/api/members.md). */
export interface Member {
  id: number;
  username: string;
  state?: string;
  /** 10 Guest, 20 Reporter, 30 Developer, 40 Maintainer, 50 Owner. */
  access_level: number;
  expires_at?: string | null;
}

/** GET /users/:id; `external` is shown to administrators only. */
export interface UserInfo {
  id: number;
  username: string;
  state?: string;
  external?: boolean;
}
