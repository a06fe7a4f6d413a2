// The queue contract both engines (SQLite, BullMQ on Redis) implement. Semantics:
// - at-least-once; tasks left running by a crash run again after restart;
// - one waiting entry per task key: a repeated delivery (same delivery id) is a no-op, a newer
//   event for a waiting key replaces/merges its payload (events/merge.ts);
// - never two runs of the same key at once: an event for a running key waits for that run;
// - failures retry with capped exponential backoff + jitter (an error's `retryAfterMs` wins);
//   GitLab-unavailable errors (`transient`) for up to maxRetryAgeMs, others up to maxAttempts; at
//   once for `retryable === false`, the task is dead-lettered, never dropped (attempt.ts);
// - an attempt is counted (and stored) when it starts; an entry that was running when the
//   process died `crashLimit` times in a row is dead-lettered with that reason;
// - done and dead entries, results and delivery ids are kept for `retentionMs` and at most
//   `historyMaxEntries` each; `stats()` costs the same whatever the history holds.
import type { Task, TaskKind } from '../events/types.js';
import type { Backoff as BackoffOptions } from '../backoff.js';

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
  /**
   * `ctx.signal`, one per attempt: aborted when shutdown gives up waiting for this run, or when
   * the run's lease is lost (another replica may take the key). Pass it to every GitLab request.
   */
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
  /** Re-queue dead letters: the one of `key`, or every one when `key` is undefined. Returns how many keys. */
  retryDead(key?: string): Promise<number>;
  /** Named leases shared by every replica on this store (per-MR serialisation). */
  readonly leases: Leases;
  /** Small durable values shared by every replica (project memory), with atomic update. */
  readonly memory: MemoryStore;
  /** Be told of every finished attempt (metrics). */
  observe(listener: (event: SettledEvent) => void): void;
  /** stop(0) if running, then release the store. */
  close(): Promise<void>;
}

export type { Backoff as BackoffOptions } from '../backoff.js';

/**
 * A lease on a name: held by one owner token until released or until it expires (a crashed
 * holder's lease frees itself). Only the owner can renew or release it.
 */
export interface Leases {
  /** True when `owner` now holds `name` for `ttlMs`. */
  tryAcquire(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Extend `owner`'s lease; false when it expired and was lost. */
  renew(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Release `name` if `owner` still holds it (compare-and-delete). */
  release(name: string, owner: string): Promise<void>;
}

export interface MemoryStore {
  get(key: string): Promise<string | undefined>;
  /**
   * Replace the value with `change(current)` atomically across replicas. `change` must be pure:
   * it may run more than once under contention. Returning undefined writes nothing.
   */
  update(key: string, change: (current: string | undefined) => string | undefined): Promise<string | undefined>;
}

export interface QueueOptions {
  maxAttempts: number;
  concurrency: number;
  backoff: BackoffOptions;
  /** Upper bound between checks for due tasks. */
  pollIntervalMs: number;
  /** How long done and dead entries, results and delivery ids are kept (HISTORY_MAX_AGE_HOURS). */
  retentionMs: number;
  /** At most this many done, dead and result entries each are kept (HISTORY_MAX_ENTRIES). */
  historyMaxEntries: number;
  /** How often history is pruned while running. */
  pruneIntervalMs: number;
  /** GitLab-unavailable failures are retried until the entry has failed for this long (RETRY_MAX_AGE_HOURS). */
  maxRetryAgeMs: number;
  /** Dead-letter an entry that was running when the process died this many times in a row (POISON_CRASH_LIMIT). */
  crashLimit: number;
}

export const DEFAULT_QUEUE_OPTIONS: QueueOptions = {
  maxAttempts: 8,
  concurrency: 4,
  backoff: { baseMs: 2_000, maxMs: 10 * 60_000 },
  pollIntervalMs: 1_000,
  retentionMs: 7 * 24 * 3600_000,
  historyMaxEntries: 10_000,
  pruneIntervalMs: 10 * 60_000,
  maxRetryAgeMs: 24 * 3600_000,
  crashLimit: 3,
};
