// Catch-up: GitLab drops events while a hook fails or is paused, and never sends a project the
// pipelines that ran in a fork. At start and on an interval, list the open MRs updated since the
// last look in the projects the bot serves, and queue a review for every head SHA without a
// result and a diagnosis for every failed head pipeline without one.
import { diagnosePipelineKey, reviewMrKey, type DiagnosePipelineTask, type ReviewMrTask } from '../events/types.js';
import type { GitlabClient } from '../gitlab/client.js';
import type { MergeRequest } from '../gitlab/types.js';
import type { Logger } from '../logger.js';
import type { TaskQueue } from '../queue/types.js';
import { DIAGNOSED_REF } from './diagnose-pipeline.js';
import { knownProjects, lastReconcile, recordReconcile } from './memory.js';

export interface ReconcileArgs {
  client: GitlabClient;
  queue: TaskQueue;
  /** Project ids or paths (`acme/app`); group prefixes (`acme/`) are skipped: only known projects are listed. */
  projects: ReadonlyArray<number | string>;
  /** ISO time: only MRs updated after it. Undefined: every open MR. */
  since?: string;
  logger?: Logger;
}

export interface ReconcileResult {
  projects: number;
  mergeRequests: number;
  reviews: number;
  diagnoses: number;
  errors: number;
}

interface HeadPipeline {
  id: number;
  sha: string;
  ref: string;
  status: string;
  project_id?: number;
}

async function headPipeline(client: GitlabClient, mr: MergeRequest): Promise<HeadPipeline | undefined> {
  // The list endpoint has no head pipeline; the single MR view has it (null when there is none).
  const full = (await client.mergeRequest(mr.project_id, mr.iid)) as MergeRequest & { head_pipeline?: HeadPipeline | null };
  return full.head_pipeline ?? undefined;
}

async function reconcileMr(args: ReconcileArgs, mr: MergeRequest, result: ReconcileResult): Promise<void> {
  const { queue, client } = args;
  const key = reviewMrKey(mr.project_id, mr.iid);
  if (mr.sha && !(await queue.hasResult(key, mr.sha))) {
    const task: ReviewMrTask = {
      kind: 'review-mr', key, projectId: mr.project_id, mrIid: mr.iid, headSha: mr.sha, trigger: 'reconcile',
      sourceProjectId: mr.source_project_id, sourceBranch: mr.source_branch, targetBranch: mr.target_branch,
    };
    await queue.enqueue(task);
    result.reviews++;
  }
  const pipeline = await headPipeline(client, mr);
  if (pipeline?.status !== 'failed') return;
  // A fork MR's pipeline runs in the source project; its hooks never reach this project.
  const pipelineProject = pipeline.project_id ?? mr.project_id;
  const dkey = diagnosePipelineKey(pipelineProject, pipeline.id);
  if (await queue.hasResult(dkey, DIAGNOSED_REF)) return;
  const task: DiagnosePipelineTask = {
    kind: 'diagnose-pipeline', key: dkey, projectId: pipelineProject, pipelineId: pipeline.id, sha: pipeline.sha, ref: pipeline.ref,
    mergeRequestIid: mr.iid, failedJobs: [], trigger: 'reconcile',
  };
  if (pipelineProject !== mr.project_id) task.mergeRequestProjectId = mr.project_id;
  await queue.enqueue(task);
  result.diagnoses++;
}

/** One pass. Errors for one project or MR are logged and counted; the pass goes on. */
export async function reconcile(args: ReconcileArgs): Promise<ReconcileResult> {
  const result: ReconcileResult = { projects: 0, mergeRequests: 0, reviews: 0, diagnoses: 0, errors: 0 };
  for (const project of args.projects) {
    if (typeof project === 'string' && project.endsWith('/')) continue;
    let mrs: MergeRequest[];
    try {
      mrs = await args.client.listOpenMergeRequests(project, args.since);
    } catch (err) {
      result.errors++;
      args.logger?.warn({ project, err: (err as Error).message }, 'reconcile: listing merge requests failed');
      continue;
    }
    result.projects++;
    for (const mr of mrs) {
      result.mergeRequests++;
      try {
        await reconcileMr(args, mr, result);
      } catch (err) {
        result.errors++;
        args.logger?.warn({ project, mr: mr.iid, err: (err as Error).message }, 'reconcile: merge request skipped');
      }
    }
  }
  return result;
}

export interface ReconcilerOptions {
  client: GitlabClient;
  queue: TaskQueue;
  /** ALLOWED_PROJECTS entries; empty = the projects seen in past events. */
  allowedProjects: readonly string[];
  intervalSeconds: number;
  logger?: Logger;
  /** How far back the very first pass looks (default 24 h): installing the bot must not flood old MRs. */
  initialLookbackMs?: number;
  now?: () => number;
}

export interface Reconciler {
  /** Runs one pass now (also what the timer calls); passes never overlap. */
  runOnce(): Promise<ReconcileResult | undefined>;
  stop(): Promise<void>;
}

/** Runs a pass at once and then every `intervalSeconds` (0 = only at start). */
export function startReconciler(opts: ReconcilerOptions): Reconciler {
  const now = opts.now ?? Date.now;
  let running: Promise<ReconcileResult | undefined> | undefined;
  let stopped = false;

  const pass = async (): Promise<ReconcileResult | undefined> => {
    const startedAt = new Date(now()).toISOString();
    const since = (await lastReconcile(opts.queue)) ?? new Date(now() - (opts.initialLookbackMs ?? 24 * 3600_000)).toISOString();
    const projects = opts.allowedProjects.length > 0
      ? opts.allowedProjects.map((p) => (/^\d+$/.test(p) ? Number(p) : p))
      : await knownProjects(opts.queue);
    const result = await reconcile({ client: opts.client, queue: opts.queue, projects, since, ...(opts.logger ? { logger: opts.logger } : {}) });
    if (result.errors === 0) await recordReconcile(opts.queue, startedAt);
    opts.logger?.info({ ...result, since }, 'reconcile pass done');
    return result;
  };
  const runOnce = () => {
    if (stopped) return Promise.resolve(undefined);
    running ??= pass()
      .catch((err: unknown) => {
        opts.logger?.warn({ err: (err as Error).message }, 'reconcile pass failed');
        return undefined;
      })
      .finally(() => { running = undefined; });
    return running;
  };
  void runOnce();
  const timer = opts.intervalSeconds > 0 ? setInterval(() => void runOnce(), opts.intervalSeconds * 1000) : undefined;
  timer?.unref();
  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running;
    },
  };
}

