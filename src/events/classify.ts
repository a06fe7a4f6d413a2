// Webhook payload -> Task, or a reason why not. Pure: no I/O, no clock. Unknown or irrelevant
// events are "ignored" (answered 202: GitLab counts 4xx as failures and disables hooks); only a
// relevant event with a broken shape is "invalid" (400).
import { diagnosePipelineKey, reviewMrKey, type Classification, type DiagnosePipelineTask, type FailedJobRef } from './types.js';
import { PayloadError, id, isObject, obj, optId, optObj, optStr, sha, str, type Json } from './fields.js';

export interface ClassifyOptions {
  /** The bot's own user id: its notes are ignored so it cannot loop on itself. */
  botUserId?: number;
}

/** X-Gitlab-Event values and the object_kind each one carries. */
export const EVENT_KINDS: Record<string, string> = {
  'Merge Request Hook': 'merge_request',
  'Pipeline Hook': 'pipeline',
  'Job Hook': 'build',
  'Note Hook': 'note',
  'Confidential Note Hook': 'note',
};

const REVIEWED_ACTIONS = new Set(['open', 'reopen', 'update']);

export function classifyEvent(eventHeader: string | undefined, body: unknown, options: ClassifyOptions = {}): Classification {
  if (!isObject(body)) return { type: 'invalid', reason: 'body must be a JSON object' };
  const kind = body.object_kind;
  if (eventHeader === undefined || eventHeader === '') return ignored('missing X-Gitlab-Event header');
  if (eventHeader === 'System Hook') {
    // System hooks carry MR events (same shape) but never pipeline/job/note events.
    if (kind !== 'merge_request') return ignored(`system hook event ${describe(kind ?? body.event_name)} is not handled`);
  } else {
    const expected = EVENT_KINDS[eventHeader];
    if (expected === undefined) return ignored(`event ${describe(eventHeader)} is not handled`);
    if (kind !== expected) {
      return { type: 'invalid', reason: `object_kind ${describe(kind)} does not match X-Gitlab-Event ${describe(eventHeader)}` };
    }
  }
  try {
    switch (kind) {
      case 'merge_request': return mergeRequest(body);
      case 'pipeline': return pipeline(body);
      case 'build': return job(body);
      case 'note': return note(body, options);
      default: return ignored(`object_kind ${describe(kind)} is not handled`);
    }
  } catch (err) {
    if (err instanceof PayloadError) return { type: 'invalid', reason: err.message };
    throw err;
  }
}

function ignored(reason: string): Classification {
  return { type: 'ignored', reason };
}

function describe(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? 'undefined';
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}...` : text);
}

function mergeRequest(body: Json): Classification {
  const attrs = obj(body, 'object_attributes', '');
  const action = optStr(attrs, 'action');
  if (action === undefined || !REVIEWED_ACTIONS.has(action)) {
    return ignored(`merge request action ${describe(action ?? null)} is not reviewed`);
  }
  const state = optStr(attrs, 'state');
  if (state !== undefined && state !== 'opened') return ignored(`merge request is ${state}, not opened`);
  const oldrev = optStr(attrs, 'oldrev');
  if (action === 'update' && oldrev === undefined) return ignored('merge request update without new commits (no oldrev)');
  const project = optObj(body, 'project');
  const projectId = optId(attrs, 'target_project_id') ?? id(project ?? {}, 'id', 'project.');
  const mrIid = id(attrs, 'iid', 'object_attributes.');
  const lastCommit = obj(attrs, 'last_commit', 'object_attributes.');
  const headSha = sha(lastCommit, 'id', 'object_attributes.last_commit.');
  return {
    type: 'task',
    task: {
      kind: 'review-mr',
      key: reviewMrKey(projectId, mrIid),
      projectId,
      projectPath: project ? optStr(project, 'path_with_namespace') : undefined,
      mrIid,
      headSha,
      oldrev,
      trigger: action,
      sourceProjectId: optId(attrs, 'source_project_id'),
      sourceBranch: optStr(attrs, 'source_branch'),
      targetBranch: optStr(attrs, 'target_branch'),
    },
  };
}

function pipeline(body: Json): Classification {
  const attrs = obj(body, 'object_attributes', '');
  const status = optStr(attrs, 'status');
  if (status !== 'failed') return ignored(`pipeline status ${describe(status ?? null)} is not diagnosed`);
  const project = obj(body, 'project', '');
  const projectId = id(project, 'id', 'project.');
  const pipelineId = id(attrs, 'id', 'object_attributes.');
  const mr = optObj(body, 'merge_request');
  const mrIid = mr ? optId(mr, 'iid') : undefined;
  const mrProject = mr ? optId(mr, 'target_project_id') : undefined;
  const builds = Array.isArray(body.builds) ? body.builds : [];
  const failedJobs: FailedJobRef[] = [];
  for (const build of builds) {
    if (!isObject(build) || build.status !== 'failed' || build.allow_failure === true) continue;
    const jobId = optId(build, 'id');
    if (jobId === undefined) continue;
    failedJobs.push(jobRef(jobId, optStr(build, 'name'), optStr(build, 'stage'), optStr(build, 'failure_reason')));
  }
  return diagnoseTask({
    projectId,
    projectPath: optStr(project, 'path_with_namespace'),
    pipelineId,
    sha: sha(attrs, 'sha', 'object_attributes.'),
    ref: str(attrs, 'ref', 'object_attributes.'),
    mergeRequestIid: mrIid,
    mergeRequestProjectId: mrIid !== undefined && mrProject !== undefined && mrProject !== projectId ? mrProject : undefined,
    failedJobs: failedJobs.sort((a, b) => a.id - b.id),
    trigger: 'pipeline',
  });
}

function job(body: Json): Classification {
  const status = optStr(body, 'build_status');
  if (status !== 'failed') return ignored(`job status ${describe(status ?? null)} is not diagnosed`);
  if (body.build_allow_failure === true) return ignored('failed job is allowed to fail');
  const projectId = id(body, 'project_id', '');
  const pipelineId = id(body, 'pipeline_id', '');
  const jobId = id(body, 'build_id', '');
  const project = optObj(body, 'project');
  return diagnoseTask({
    projectId,
    projectPath: project ? optStr(project, 'path_with_namespace') : undefined,
    pipelineId,
    sha: sha(body, 'sha', ''),
    ref: str(body, 'ref', ''),
    failedJobs: [jobRef(jobId, optStr(body, 'build_name'), optStr(body, 'build_stage'), optStr(body, 'build_failure_reason'))],
    trigger: 'job',
  });
}

/** Pipeline and job events about one pipeline share its key, so the queue merges them. */
function diagnoseTask(fields: Omit<DiagnosePipelineTask, 'kind' | 'key'>): Classification {
  return { type: 'task', task: { kind: 'diagnose-pipeline', key: diagnosePipelineKey(fields.projectId, fields.pipelineId), ...fields } };
}

function jobRef(jobId: number, name?: string, stage?: string, failureReason?: string): FailedJobRef {
  const ref: FailedJobRef = { id: jobId };
  if (name !== undefined) ref.name = name;
  if (stage !== undefined) ref.stage = stage;
  if (failureReason !== undefined) ref.failureReason = failureReason;
  return ref;
}

function note(body: Json, options: ClassifyOptions): Classification {
  const attrs = obj(body, 'object_attributes', '');
  const user = optObj(body, 'user');
  const author = optId(attrs, 'author_id') ?? (user ? optId(user, 'id') : undefined);
  if (options.botUserId !== undefined && author === options.botUserId) return ignored('note written by ci-medic itself');
  return ignored('comments are not acted on');
}

/** The project an event is about, for the allowlist. */
export function eventProject(body: unknown): { id?: number; path?: string } {
  if (!isObject(body)) return {};
  const project = optObj(body, 'project');
  const attrs = optObj(body, 'object_attributes');
  return {
    id: (project && optId(project, 'id')) ?? optId(body, 'project_id') ?? (attrs && optId(attrs, 'target_project_id')),
    path: project ? optStr(project, 'path_with_namespace') : undefined,
  };
}
