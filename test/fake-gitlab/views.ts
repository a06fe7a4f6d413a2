// JSON views of the fake's objects, with the fields GitLab's REST docs list.
import type { FakeMember, FakeMr, FakeNote, FakeDiscussion, FakePipeline, FakeJob, FakeProject, FakeUser, FakeVersion } from './state.js';

export const userView = (u: FakeUser) => ({
  id: u.id,
  username: u.username,
  name: u.name,
  state: u.state,
  avatar_url: u.avatar_url,
  web_url: u.web_url,
});

export const currentUserView = (u: FakeUser) => ({ ...userView(u), bot: u.bot ?? false });

export const projectView = (p: FakeProject) => ({
  id: p.id,
  name: p.name,
  path: p.path_with_namespace.split('/').pop(),
  path_with_namespace: p.path_with_namespace,
  default_branch: p.default_branch,
  web_url: p.web_url,
  ci_config_path: null,
  visibility: p.visibility,
  repository_access_level: p.repository_access_level,
});

/** Entities::Member (doc/api/members.md "Get a member of a group or project, including inherited and invited members"). */
export const memberView = (m: FakeMember) => ({
  ...userView(m.user),
  access_level: m.access_level,
  created_at: m.created_at,
  expires_at: m.expires_at,
  membership_state: 'active',
});

/** GET /users/:id: `external` and `is_admin` only when an administrator asks (doc/api/users.md). */
export const userByIdView = (u: FakeUser, asker: FakeUser) =>
  asker.is_admin ? { ...userView(u), external: u.external ?? false, is_admin: u.is_admin ?? false } : userView(u);

/** Entities::MergeRequestBasic: what list endpoints (project MRs, MRs of a commit) return. */
export function mrBasicView(p: FakeProject, mr: FakeMr) {
  const latest = mr.versions[mr.versions.length - 1];
  const refs = mr.diffRefsReady && latest;
  return {
    id: mr.id,
    iid: mr.iid,
    project_id: p.id,
    title: mr.title,
    description: mr.description,
    state: mr.state,
    created_at: mr.created_at,
    updated_at: mr.updated_at,
    merged_by: null,
    merged_at: null,
    closed_by: null,
    closed_at: null,
    target_branch: mr.target_branch,
    source_branch: mr.source_branch,
    user_notes_count: mr.discussions.reduce((n, d) => n + d.notes.length, 0),
    author: userView(mr.author),
    assignees: [],
    assignee: null,
    reviewers: [],
    source_project_id: mr.source_project_id,
    target_project_id: mr.target_project_id,
    labels: [],
    draft: false,
    work_in_progress: false,
    merge_status: refs ? 'can_be_merged' : 'unchecked',
    detailed_merge_status: refs ? 'mergeable' : 'checking',
    sha: latest?.head_commit_sha ?? null,
    merge_commit_sha: null,
    squash_commit_sha: null,
    reference: `!${mr.iid}`,
    references: { short: `!${mr.iid}`, relative: `!${mr.iid}`, full: `${p.path_with_namespace}!${mr.iid}` },
    web_url: `${p.web_url}/-/merge_requests/${mr.iid}`,
    has_conflicts: false,
    blocking_discussions_resolved: mr.discussions.every((d) => d.notes.every((n) => !n.resolvable || n.resolved)),
  };
}

/** Entities::MergeRequest (single-MR GET): the basic fields plus the diff and pipeline details. */
export function mrView(p: FakeProject, mr: FakeMr) {
  const latest = mr.versions[mr.versions.length - 1];
  const refs = mr.diffRefsReady && latest;
  return {
    ...mrBasicView(p, mr),
    // Empty right after creation, filled asynchronously (doc/api/merge_requests.md).
    changes_count: refs ? String(latest.diffs.length) : null,
    diff_refs: refs ? { base_sha: latest.base_commit_sha, head_sha: latest.head_commit_sha, start_sha: latest.start_commit_sha } : null,
    // GitLab's single-MR view carries the newest pipeline of the head commit (null without one).
    head_pipeline: headPipelineOf(p, latest?.head_commit_sha),
    first_contribution: false,
  };
}

export const versionView = (v: FakeVersion) => ({
  id: v.id,
  head_commit_sha: v.head_commit_sha,
  base_commit_sha: v.base_commit_sha,
  start_commit_sha: v.start_commit_sha,
  created_at: v.created_at,
  merge_request_id: v.merge_request_id,
  state: v.state,
  real_size: v.real_size,
});

export function noteView(n: FakeNote) {
  const out: Record<string, unknown> = {
    id: n.id,
    type: n.type,
    body: n.body,
    attachment: n.attachment,
    author: userView(n.author),
    created_at: n.created_at,
    updated_at: n.updated_at,
    system: n.system,
    noteable_id: n.noteable_id,
    noteable_type: n.noteable_type,
    project_id: n.project_id,
    noteable_iid: n.noteable_iid,
    resolvable: n.resolvable,
    confidential: n.confidential,
    internal: n.internal,
  };
  if (n.resolvable) {
    out.resolved = n.resolved;
    out.resolved_by = n.resolved_by ? userView(n.resolved_by) : null;
    out.resolved_at = n.resolved_at;
  }
  if (n.type === 'DiffNote') {
    out.commit_id = n.commit_id;
    out.position = n.position;
    out.suggestions = n.suggestions ?? [];
  }
  return out;
}

export const discussionView = (d: FakeDiscussion) => ({ id: d.id, individual_note: d.individual_note, notes: d.notes.map(noteView) });

export const pipelineView = (p: FakeProject, pl: FakePipeline) => ({
  id: pl.id,
  iid: pl.iid,
  project_id: pl.project_id,
  sha: pl.sha,
  ref: pl.ref,
  status: pl.status,
  source: pl.source,
  before_sha: pl.before_sha,
  tag: pl.tag,
  created_at: pl.created_at,
  updated_at: pl.updated_at,
  web_url: `${p.web_url}/-/pipelines/${pl.id}`,
  user: userView(pl.user),
});

export const jobView = (p: FakeProject, pl: FakePipeline, j: FakeJob) => ({
  id: j.id,
  status: j.status,
  stage: j.stage,
  name: j.name,
  ref: pl.ref,
  tag: pl.tag,
  coverage: null,
  allow_failure: j.allow_failure,
  created_at: j.created_at ?? pl.created_at,
  started_at: j.started_at ?? pl.created_at,
  finished_at: j.finished_at ?? pl.updated_at,
  duration: j.duration ?? null,
  queued_duration: j.queued_duration ?? null,
  failure_reason: j.status === 'failed' ? (j.failure_reason ?? 'script_failure') : undefined,
  pipeline: { id: pl.id, project_id: pl.project_id, ref: pl.ref, sha: pl.sha, status: pl.status },
  web_url: `${p.web_url}/-/jobs/${j.id}`,
});

function headPipelineOf(p: FakeProject, sha: string | undefined) {
  if (!sha) return null;
  const candidates = [...p.pipelines.values()].filter((pl) => pl.sha === sha).sort((a, b) => b.id - a.id);
  return candidates[0] ? pipelineView(p, candidates[0]) : null;
}
