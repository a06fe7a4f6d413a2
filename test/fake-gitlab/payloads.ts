// Webhook payload builders with exactly the fields of ../shared/fixtures/webhooks/*.json
// (GitLab's documented examples), filled in for a given project, MR, pipeline and jobs.

export interface ProjectInfo {
  id: number;
  /** `group/name` */
  path: string;
  defaultBranch?: string;
}

const HOST = 'https://gitlab.example.com';

const alice = {
  id: 7,
  name: 'Alice Example',
  username: 'alice',
  avatar_url: `${HOST}/uploads/-/system/user/avatar/7/avatar.png`,
  email: '[REDACTED]',
};

function projectAttrs(p: ProjectInfo) {
  const name = p.path.split('/').pop()!;
  const ns = p.path.split('/')[0]!;
  return {
    id: p.id,
    name,
    description: 'Demo service built with Docker',
    web_url: `${HOST}/${p.path}`,
    avatar_url: null,
    git_ssh_url: `git@gitlab.example.com:${p.path}.git`,
    git_http_url: `${HOST}/${p.path}.git`,
    namespace: ns.charAt(0).toUpperCase() + ns.slice(1),
    visibility_level: 0,
    path_with_namespace: p.path,
    default_branch: p.defaultBranch ?? 'main',
    ci_config_path: '',
  };
}

function projectLong(p: ProjectInfo) {
  const { ci_config_path: _omit, ...rest } = projectAttrs(p);
  return { ...rest, homepage: `${HOST}/${p.path}`, url: `git@gitlab.example.com:${p.path}.git`, ssh_url: `git@gitlab.example.com:${p.path}.git`, http_url: `${HOST}/${p.path}.git` };
}

function repository(p: ProjectInfo) {
  return { name: p.path.split('/').pop()!, url: `git@gitlab.example.com:${p.path}.git`, description: 'Demo service built with Docker', homepage: `${HOST}/${p.path}` };
}

function commit(p: ProjectInfo, sha: string, message: string) {
  return {
    id: sha,
    message: `${message}\n`,
    title: message,
    timestamp: '2025-06-02T12:02:57+02:00',
    url: `${HOST}/${p.path}/-/commit/${sha}`,
    author: { name: 'Alice Example', email: 'alice@example.com' },
  };
}

export interface MrInfo {
  id?: number;
  iid: number;
  sourceBranch: string;
  targetBranch?: string;
  headSha: string;
  title?: string;
}

export function mergeRequestHook(
  p: ProjectInfo,
  mr: MrInfo,
  o: { action: 'open' | 'reopen' | 'update' | 'close' | 'merge' | 'approved' | (string & {}); oldrev?: string; state?: string; authorId?: number } = { action: 'open' },
) {
  const long = projectLong(p);
  const { id: _id, ...side } = long;
  const title = mr.title ?? 'Build the app image in CI';
  const label = {
    id: 301, title: 'ci', color: '#1f78d1', project_id: p.id, created_at: '2025-01-10T08:00:00Z', updated_at: '2025-01-10T08:00:00Z',
    template: false, description: 'CI/CD configuration', type: 'ProjectLabel', group_id: null,
  };
  const attrs: Record<string, unknown> = {
    id: mr.id ?? 1000 + mr.iid,
    iid: mr.iid,
    target_branch: mr.targetBranch ?? p.defaultBranch ?? 'main',
    source_branch: mr.sourceBranch,
    source_project_id: p.id,
    target_project_id: p.id,
    author_id: o.authorId ?? 7,
    assignee_ids: [],
    assignee_id: null,
    reviewer_ids: [11],
    title,
    description: 'Adds a docker-build job and a multi-stage Dockerfile.',
    created_at: '2025-06-02T09:12:44Z',
    updated_at: '2025-06-02T10:03:18Z',
    last_edited_at: null,
    last_edited_by_id: null,
    milestone_id: null,
    state_id: 1,
    state: o.state ?? 'opened',
    blocking_discussions_resolved: true,
    work_in_progress: false,
    draft: false,
    first_contribution: false,
    merge_status: 'unchecked',
    detailed_merge_status: 'checking',
    head_pipeline_id: null,
    merge_commit_sha: null,
    merge_when_pipeline_succeeds: false,
    prepared_at: '2025-06-02T09:12:51Z',
    time_estimate: 0,
    total_time_spent: 0,
    time_change: 0,
    human_total_time_spent: null,
    human_time_change: null,
    human_time_estimate: null,
    url: `${HOST}/${p.path}/-/merge_requests/${mr.iid}`,
    source: side,
    target: side,
    last_commit: commit(p, mr.headSha, 'ci: build image with docker:dind'),
    labels: [label],
    action: o.action,
  };
  // `oldrev` is present only when code changed (GITLAB.md §2.1).
  if (o.oldrev) attrs.oldrev = o.oldrev;
  return {
    object_kind: 'merge_request',
    event_type: 'merge_request',
    user: alice,
    project: { ...projectAttrs(p), homepage: long.homepage, url: long.url, ssh_url: long.ssh_url, http_url: long.http_url },
    repository: repository(p),
    object_attributes: attrs,
    labels: [label],
    changes: { updated_at: { previous: '2025-06-02 09:40:02 UTC', current: '2025-06-02 10:03:18 UTC' } },
    assignees: [],
    reviewers: [{ id: 11, name: 'Bob Reviewer', username: 'bob', avatar_url: `${HOST}/uploads/-/system/user/avatar/11/avatar.png` }],
  };
}

export interface JobInfo {
  id: number;
  name: string;
  stage: string;
  status: 'failed' | 'success' | 'skipped' | 'canceled' | 'running' | 'pending' | 'created' | 'manual';
  allowFailure?: boolean;
  failureReason?: string | null;
}

const runner = { id: 31, description: 'docker-privileged-runner-01', runner_type: 'instance_type', active: true, is_shared: true, tags: ['docker', 'privileged'] };

export function pipelineHook(
  p: ProjectInfo,
  pl: { id: number; iid?: number; sha: string; ref: string; status: string; source?: string; mr?: MrInfo | null; jobs: JobInfo[] },
) {
  const mr = pl.mr;
  return {
    object_kind: 'pipeline',
    object_attributes: {
      id: pl.id,
      iid: pl.iid ?? 57,
      name: null,
      ref: pl.ref,
      tag: false,
      sha: pl.sha,
      before_sha: '0000000000000000000000000000000000000000',
      source: pl.source ?? (mr ? 'merge_request_event' : 'push'),
      status: pl.status,
      detailed_status: pl.status,
      stages: [...new Set(pl.jobs.map((j) => j.stage))],
      created_at: '2025-06-02 10:03:21 UTC',
      finished_at: '2025-06-02 10:05:02 UTC',
      duration: 95,
      queued_duration: 4,
      protected_ref: false,
      variables: [],
      url: `${HOST}/${p.path}/-/pipelines/${pl.id}`,
    },
    merge_request: mr
      ? {
          id: mr.id ?? 1000 + mr.iid,
          iid: mr.iid,
          title: mr.title ?? 'Build the app image in CI',
          source_branch: mr.sourceBranch,
          source_project_id: p.id,
          target_branch: mr.targetBranch ?? p.defaultBranch ?? 'main',
          target_project_id: p.id,
          state: 'opened',
          merge_status: 'can_be_merged',
          detailed_merge_status: 'mergeable',
          url: `${HOST}/${p.path}/-/merge_requests/${mr.iid}`,
        }
      : null,
    user: alice,
    project: projectAttrs(p),
    commit: commit(p, pl.sha, 'ci: build image with docker:dind'),
    builds: pl.jobs.map((j) => ({
      id: j.id,
      stage: j.stage,
      name: j.name,
      status: j.status,
      created_at: '2025-06-02 10:03:21 UTC',
      started_at: j.status === 'skipped' ? null : '2025-06-02 10:03:33 UTC',
      finished_at: j.status === 'skipped' ? null : '2025-06-02 10:05:01 UTC',
      duration: j.status === 'skipped' ? null : 88.61,
      queued_duration: j.status === 'skipped' ? null : 3.2,
      failure_reason: j.status === 'failed' ? (j.failureReason ?? 'script_failure') : null,
      when: 'on_success',
      manual: false,
      allow_failure: j.allowFailure ?? false,
      user: alice,
      runner: j.status === 'skipped' ? null : runner,
      artifacts_file: { filename: null, size: null },
      environment: null,
    })),
  };
}

export function jobHook(
  p: ProjectInfo,
  j: JobInfo & { pipelineId: number; sha: string; ref: string; pipelineStatus?: string },
) {
  const { id: _i, ...runnerRest } = runner;
  return {
    object_kind: 'build',
    ref: j.ref,
    tag: false,
    before_sha: '0000000000000000000000000000000000000000',
    sha: j.sha,
    build_id: j.id,
    build_name: j.name,
    build_stage: j.stage,
    build_status: j.status,
    build_created_at: '2025-06-02T10:03:21.412Z',
    build_created_at_iso: '2025-06-02T10:03:21Z',
    build_started_at: '2025-06-02T10:03:33.208Z',
    build_started_at_iso: '2025-06-02T10:03:33Z',
    build_finished_at: '2025-06-02T10:05:01.817Z',
    build_finished_at_iso: '2025-06-02T10:05:01Z',
    build_duration: 88.609,
    build_queued_duration: 3.2,
    build_allow_failure: j.allowFailure ?? false,
    build_failure_reason: j.failureReason ?? (j.status === 'failed' ? 'script_failure' : 'unknown_failure'),
    retries_count: 0,
    pipeline_id: j.pipelineId,
    project_id: p.id,
    project_name: `${projectAttrs(p).namespace} / ${projectAttrs(p).name}`,
    user: alice,
    commit: {
      id: j.pipelineId,
      name: null,
      sha: j.sha,
      message: 'ci: build image with docker:dind\n',
      author_name: 'Alice Example',
      author_email: 'alice@example.com',
      author_url: `${HOST}/alice`,
      status: j.pipelineStatus ?? 'running',
      duration: null,
      started_at: '2025-06-02T10:03:25.004Z',
      started_at_iso: '2025-06-02T10:03:25Z',
      finished_at: null,
      finished_at_iso: null,
    },
    repository: {
      ...repository(p),
      git_http_url: `${HOST}/${p.path}.git`,
      git_ssh_url: `git@gitlab.example.com:${p.path}.git`,
      visibility_level: 0,
    },
    project: projectAttrs(p),
    runner: { active: runnerRest.active, runner_type: runnerRest.runner_type, is_shared: runnerRest.is_shared, id: runner.id, description: runnerRest.description, tags: runnerRest.tags },
    environment: null,
  };
}
