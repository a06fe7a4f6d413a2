// Tasks: the typed unit of work the ingress stores and the workflows run. A task's `key` names
// the thing it is about (one MR, one pipeline), so events about the same thing collapse.

export interface ReviewMrTask {
  kind: 'review-mr';
  /** `review-mr:<project id>:<mr iid>` */
  key: string;
  /** The MR's (target) project. */
  projectId: number;
  projectPath?: string;
  mrIid: number;
  /** `object_attributes.last_commit.id`: the head SHA to review. */
  headSha: string;
  /** Previous head SHA (present on `update` with new commits). */
  oldrev?: string;
  /** What caused it: the MR action, or `reconcile`. */
  trigger: string;
  sourceProjectId?: number;
  sourceBranch?: string;
  targetBranch?: string;
}

export interface FailedJobRef {
  id: number;
  name?: string;
  stage?: string;
  failureReason?: string;
}

export interface DiagnosePipelineTask {
  kind: 'diagnose-pipeline';
  /** `diagnose-pipeline:<project id>:<pipeline id>` */
  key: string;
  /** The project the pipeline ran in. */
  projectId: number;
  projectPath?: string;
  pipelineId: number;
  sha: string;
  ref: string;
  /** The MR of an MR pipeline (`merge_request.iid` of the Pipeline Hook). */
  mergeRequestIid?: number;
  /** Set when that MR lives in another project than the pipeline (fork MR pipelines). */
  mergeRequestProjectId?: number;
  /** Failed jobs known so far (status failed, allow_failure false); merged across events. */
  failedJobs: FailedJobRef[];
  trigger: string;
}

export type Task = ReviewMrTask | DiagnosePipelineTask;
export type TaskKind = Task['kind'];

export type Classification =
  | { type: 'task'; task: Task }
  | { type: 'ignored'; reason: string }
  | { type: 'invalid'; reason: string };

export function reviewMrKey(projectId: number, mrIid: number): string {
  return `review-mr:${projectId}:${mrIid}`;
}

export function diagnosePipelineKey(projectId: number, pipelineId: number): string {
  return `diagnose-pipeline:${projectId}:${pipelineId}`;
}
