// The queue's task handler: one workflow per task kind, one log line per run (key, outcome,
// duration). Rules are loaded once at start: a malformed rule file stops start-up.
import { loadAllRules } from '../analysis/rules/load-files.js';
import type { RuleMeta } from '../analysis/rules/types.js';
import { transferOptions, type Config } from '../config.js';
import type { Task } from '../events/types.js';
import { GitlabClient } from '../gitlab/client.js';
import { isNotFound } from '../gitlab/errors.js';
import { withAbortSignal } from '../gitlab/http.js';
import type { Logger } from '../logger.js';
import { withLease } from '../queue/lease.js';
import type { TaskHandler, TaskQueue } from '../queue/types.js';
import { diagnosePipeline } from './diagnose-pipeline.js';
import { reviewMr } from './review-mr.js';
import type { WorkflowContext, WorkflowOutcome } from './types.js';

export { reviewMr, relevantChanges } from './review-mr.js';
export { diagnosePipeline, jobSetRef, DIAGNOSED_REF } from './diagnose-pipeline.js';
export { reconcile, startReconciler, type ReconcileArgs, type ReconcileResult, type Reconciler, type ReconcilerOptions } from './reconcile.js';
export { loadSnapshot, type RepoSnapshot } from './snapshot.js';
export type { WorkflowContext, WorkflowOutcome } from './types.js';

export class RulesLoadError extends Error {
  readonly code = 'CIM_ERR_RULES';
  constructor(readonly problems: Array<{ path: string; reason: string }>) {
    super(`invalid rule file ${problems.map((p) => `${p.path}: ${p.reason}`).join('; ')}`);
    this.name = 'RulesLoadError';
  }
}

/** Built-in rules plus RULES_DIR. Throws RulesLoadError naming each bad file and why. */
export function loadWorkflowRules(config: Pick<Config, 'rulesDir'>): RuleMeta[] {
  const { rules, errors } = loadAllRules(config.rulesDir ? [config.rulesDir] : []);
  if (errors.length > 0) throw new RulesLoadError(errors);
  return rules;
}

export interface TaskHandlerDeps {
  client?: GitlabClient;
  queue: TaskQueue;
  logger: Logger;
  /** Preloaded rules (otherwise loaded here, which throws on a malformed file). */
  rules?: RuleMeta[];
}

async function run(task: Task, ctx: WorkflowContext): Promise<WorkflowOutcome> {
  try {
    switch (task.kind) {
      case 'review-mr':
        return await reviewMr(task, ctx);
      case 'diagnose-pipeline':
        return await diagnosePipeline(task, ctx);
    }
  } catch (err) {
    // The MR or pipeline is gone (deleted, or the bot lost access): nothing to retry.
    if (isNotFound(err)) return { outcome: 'not-found', reason: (err as Error).message };
    throw err;
  }
  const never: never = task;
  return { outcome: 'ignored', reason: `unknown task kind ${(never as Task).kind}` };
}

export function createTaskHandler(config: Config, deps: TaskHandlerDeps): TaskHandler {
  const rules = deps.rules ?? loadWorkflowRules(config);
  const client = deps.client ?? new GitlabClient({ host: config.gitlabUrl, token: config.gitlabToken, ...transferOptions(config.limits) });
  const ctx: WorkflowContext = { config, client, queue: deps.queue, logger: deps.logger, rules };
  return async (task, attempt, taskCtx) => {
    const started = Date.now();
    const log = { key: task.key, kind: task.kind, attempt, trigger: task.trigger };
    try {
      // Every GitLab request of the task ends when the queue aborts it (shutdown, or the MR lease lost).
      const result = await oneAtATime(deps.queue, mrOf(task), taskCtx?.signal, (signal) =>
        withAbortSignal(signal ?? taskCtx?.signal, () => run(task, signal ? { ...ctx, signal } : ctx)));
      deps.logger.info({ ...log, outcome: result.outcome, reason: result.reason, ...result.details, durationMs: Date.now() - started }, 'task finished');
    } catch (err) {
      deps.logger.warn({ ...log, outcome: 'error', err: (err as Error).message, code: (err as { code?: string }).code, durationMs: Date.now() - started }, 'task failed');
      throw err;
    }
  };
}

/** The MR a task writes to, when known up front. */
function mrOf(task: Task): string | undefined {
  if (task.kind === 'review-mr') return `${task.projectId}!${task.mrIid}`;
  return task.mergeRequestIid !== undefined ? `${task.mergeRequestProjectId ?? task.projectId}!${task.mergeRequestIid}` : undefined;
}

/** How long an MR's lease lives without renewal: a crashed holder frees it after this. */
export const MR_LEASE_TTL_MS = 30_000;

/**
 * Runs for one MR one after another, across every replica: a lease in the queue's store. A
 * review and a diagnosis of the same MR have different task keys, so the queue may run them
 * together, and both look for an existing suggestion thread before posting theirs: in parallel
 * each would miss the other's (GITLAB.md §3.13).
 */
function oneAtATime<T>(queue: TaskQueue, mr: string | undefined, signal: AbortSignal | undefined, work: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
  if (mr === undefined) return work(signal);
  return withLease(queue.leases, `mr:${mr}`, { ttlMs: MR_LEASE_TTL_MS, pollMs: 50, signal }, work);
}
