// The queue contract both engines (SQLite, BullMQ on Redis) implement. Semantics:
// - at-least-once; tasks left running by a crash run again after restart;
// - one waiting entry per task key: a repeated delivery (same delivery id) is a no-op, a newer
//   event for a waiting key replaces/merges its payload (events/merge.ts);
// - never two runs of the same key at once: an event for a running key waits for that run;
// - failures retry with exponential backoff + jitter (an error's `retryAfterMs` wins); after
//   maxAttempts, or at once for `retryable === false`, the task is dead-lettered, never dropped.
import type { Task, TaskKind } from '../events/types.js';

export type TaskState = 'pending' | 'running' | 'failed' | 'dead' | 'done';
export const TASK_STATES: readonly TaskState[] = ['pending', 'running', 'failed', 'dead', 'done'];

export interface TaskRecord {
  /** Engine-specific entry id. */
  id: string;
  key: string;
  kind: TaskKind;
  /** pending = waiting for its first run; failed = waiting for a retry; dead = gave up. */
  state: TaskState;
  /** Attempts started so far. */
  attempts: number;
  lastError?: string;
  /** Epoch ms of the next run (pending/failed). */
  nextRunAt?: number;
  createdAt: number;
  updatedAt: number;
  task: Task;
}

export interface EnqueueOptions {
  /** GitLab's Idempotency-Key (kept across retries/resends of one delivery). */
  deliveryId?: string;
}

export interface EnqueueResult {
  /** queued: new entry; replaced: merged into the waiting entry; duplicate: delivery seen before. */
  status: 'queued' | 'replaced' | 'duplicate';
  key: string;
}

export interface TaskContext {
  key: string;
  /** Aborted when shutdown gives up waiting for this run; the task will run again. */
  signal: AbortSignal;
}

/** A workflow. Throw to retry; set `retryable = false` on the error to dead-letter at once, or
 * `retryAfterMs` to wait that long before the next attempt. */
export type TaskHandler = (task: Task, attempt: number, ctx: TaskContext) => Promise<void>;

export interface TaskFilter {
  state?: TaskState;
  key?: string;
  /** Default 100. */
  limit?: number;
}

export type QueueStats = Record<TaskState, number>;

export interface SettledEvent {
  key: string;
  kind: TaskKind;
  attempt: number;
  outcome: 'done' | 'retry' | 'dead';
  durationMs: number;
  error?: string;
}

export interface TaskQueue {
  readonly engine: 'sqlite' | 'bullmq';
  enqueue(task: Task, options?: EnqueueOptions): Promise<EnqueueResult>;
  /** Begin running tasks (recovers runs interrupted by a crash first). */
  start(handler: TaskHandler): void;
  /** Stop taking tasks; wait up to timeoutMs for running ones, re-queue the rest. */
  stop(timeoutMs: number): Promise<void>;
  list(filter?: TaskFilter): Promise<TaskRecord[]>;
  stats(): Promise<QueueStats>;
  /** True when the store answers (readiness). */
  ping(): Promise<boolean>;
  /** Remember that `ref` (a head SHA, a pipeline id) of a task key was handled. */
  recordResult(key: string, ref: string, outcome: string): Promise<void>;
  hasResult(key: string, ref: string): Promise<boolean>;
  getResult(key: string, ref: string): Promise<string | undefined>;
  /** Be told of every finished attempt (metrics). */
  observe(listener: (event: SettledEvent) => void): void;
  /** stop(0) if running, then release the store. */
  close(): Promise<void>;
}

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export interface QueueOptions {
  maxAttempts: number;
  concurrency: number;
  backoff: BackoffOptions;
  /** Upper bound between checks for due tasks. */
  pollIntervalMs: number;
  /** How long done entries and delivery ids are kept. */
  retentionMs: number;
}

export const DEFAULT_QUEUE_OPTIONS: QueueOptions = {
  maxAttempts: 8,
  concurrency: 4,
  backoff: { baseMs: 2_000, maxMs: 10 * 60_000 },
  pollIntervalMs: 1_000,
  retentionMs: 7 * 24 * 3600_000,
};
