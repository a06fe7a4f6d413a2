// The default engine: one SQLite file (WAL) under DATA_DIR, for a single service instance.
// A timer-driven dispatcher claims due entries, at most `concurrency` at a time and never two of
// one key (the store's unique index and claim query guarantee it). Webhook enqueues are group
// committed (group-commit.ts): one fsynced transaction per burst, each 202 after its batch.
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Task } from '../events/types.js';
import { crashReason, runAttempt, settlementOf, type AttemptOutcome } from './attempt.js';
import { GroupCommit } from './group-commit.js';
import { SettledObservers } from './observers.js';
import { SqliteStore, type ClaimedRow, type EnqueueItem, type Synchronous } from './sqlite-store.js';
import {
  DEFAULT_QUEUE_OPTIONS, type EnqueueOptions, type EnqueueResult, type Leases, type MemoryStore, type QueueOptions, type QueueStats,
  type SettledEvent, type TaskFilter, type TaskHandler, type TaskQueue, type TaskRecord,
} from './types.js';

export interface SqliteOptions extends QueueOptions {
  /** SQLITE_SYNCHRONOUS: FULL (default) survives power loss; NORMAL only a process crash. */
  synchronous: Synchronous;
  /** Most enqueues written in one transaction. */
  maxBatch: number;
}

interface InFlight {
  row: ClaimedRow;
  abort: AbortController;
  done: Promise<void>;
}

export class SqliteQueue implements TaskQueue {
  readonly engine = 'sqlite' as const;
  private readonly store: SqliteStore;
  private readonly options: SqliteOptions;
  private readonly observers: SettledObservers;
  private readonly ingest: GroupCommit<EnqueueItem, EnqueueResult>;
  private pruneTimer?: NodeJS.Timeout;
  readonly leases: Leases;
  readonly memory: MemoryStore;
  private handler?: TaskHandler;
  private running = false;
  private closed = false;
  private timer?: NodeJS.Timeout;
  private readonly inFlight = new Map<number, InFlight>();

  constructor(file: string, options: Partial<SqliteOptions> = {}, private readonly logger?: Logger) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    this.options = { ...DEFAULT_QUEUE_OPTIONS, synchronous: 'FULL', maxBatch: 256, ...options };
    this.store = new SqliteStore(file, this.options.synchronous);
    this.observers = new SettledObservers(logger);
    this.ingest = new GroupCommit((items) => this.store.enqueueMany(items, Date.now()), { maxBatch: this.options.maxBatch });
    const store = this.store;
    this.leases = {
      tryAcquire: async (name, owner, ttlMs) => store.tryAcquire(name, owner, ttlMs, Date.now()),
      renew: async (name, owner, ttlMs) => store.renew(name, owner, ttlMs, Date.now()),
      release: async (name, owner) => store.release(name, owner),
    };
    this.memory = {
      get: async (key) => store.getMemory(key),
      update: async (key, change) => store.updateMemory(key, change, Date.now()),
    };
  }

  async enqueue(task: Task, options: EnqueueOptions = {}): Promise<EnqueueResult> {
    if (this.closed) throw new Error('queue is closed');
    const result = await this.ingest.submit({ task, deliveryId: options.deliveryId });
    if (result.status !== 'duplicate') this.wake(0);
    return result;
  }

  async retryDead(key?: string): Promise<number> {
    const n = this.store.retryDead(key, Date.now());
    if (n > 0) this.wake(0);
    return n;
  }

  start(handler: TaskHandler): void {
    if (this.closed) throw new Error('queue is closed');
    if (this.running) throw new Error('queue already started');
    this.handler = handler;
    this.running = true;
    const now = Date.now();
    // Entries still marked running were interrupted (crash, kill): they run again, unless they
    // were running at each of the last `crashLimit` deaths (a poison task).
    const { requeued, dead } = this.store.recoverInterrupted(now, this.options.crashLimit, crashReason);
    if (requeued > 0) this.logger?.warn({ count: requeued }, 're-queued tasks interrupted by a restart');
    for (const d of dead) this.observers.emit({ key: d.key, kind: d.kind, attempt: d.attempts, outcome: 'dead', durationMs: 0, error: d.reason });
    this.store.clearLeases();
    this.prune();
    this.pruneTimer = setInterval(() => this.prune(), this.options.pruneIntervalMs);
    this.pruneTimer.unref();
    this.wake(0);
  }

  private prune(): void {
    try {
      this.store.prune(Date.now() - this.options.retentionMs, this.options.historyMaxEntries);
    } catch (err) {
      this.logger?.warn({ err }, 'could not prune task history');
    }
  }

  async stop(timeoutMs: number): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    const pending = [...this.inFlight.values()];
    if (pending.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled(pending.map((f) => f.done)),
      new Promise((resolve) => { timer = setTimeout(resolve, timeoutMs); }),
    ]);
    clearTimeout(timer);
    const now = Date.now();
    for (const [id, flight] of this.inFlight) {
      // Not the handler's fault: the attempt does not count.
      this.inFlight.delete(id);
      flight.abort.abort(new Error('ci-medic is shutting down'));
      this.store.requeue(id, { runAt: now, state: 'pending', lastError: null, attemptsDelta: -1, cause: 'shutdown' }, now);
      this.logger?.warn({ key: flight.row.task.key }, 'shutdown: re-queued a running task');
    }
  }

  async list(filter?: TaskFilter): Promise<TaskRecord[]> {
    return this.store.list(filter);
  }

  async stats(): Promise<QueueStats> {
    return this.store.stats();
  }

  async ping(): Promise<boolean> {
    if (this.closed) return false;
    try {
      this.store.db.prepare('SELECT 1').get();
      return true;
    } catch {
      return false;
    }
  }

  async recordResult(key: string, ref: string, outcome: string): Promise<void> {
    this.store.recordResult(key, ref, outcome, Date.now());
  }

  async hasResult(key: string, ref: string): Promise<boolean> {
    return this.store.getResult(key, ref) !== undefined;
  }

  async getResult(key: string, ref: string): Promise<string | undefined> {
    return this.store.getResult(key, ref);
  }

  observe(listener: (event: SettledEvent) => void): void {
    this.observers.add(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.stop(0);
    this.ingest.flush();
    this.closed = true;
    this.store.close();
  }

  private wake(delayMs: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.pump(), Math.max(0, delayMs));
  }

  private pump(): void {
    this.timer = undefined;
    if (!this.running || !this.handler) return;
    const now = Date.now();
    while (this.inFlight.size < this.options.concurrency) {
      const row = this.store.claim(now);
      if (!row) break;
      this.launch(row, this.handler);
    }
    if (this.inFlight.size < this.options.concurrency) {
      const due = this.store.nextDue();
      this.wake(due === undefined ? this.options.pollIntervalMs : Math.min(this.options.pollIntervalMs, due - Date.now()));
    }
  }

  private launch(row: ClaimedRow, handler: TaskHandler): void {
    const abort = new AbortController();
    const flight: InFlight = { row, abort, done: Promise.resolve() };
    flight.done = runAttempt(handler, row.task, row.attempts, { key: row.task.key, signal: abort.signal }).then((outcome) => {
      // Shutdown may have given up on this run and re-queued it already.
      if (this.inFlight.get(row.id) !== flight || this.closed) return;
      this.inFlight.delete(row.id);
      try {
        this.settle(row, outcome);
      } catch (err) {
        // The entry stays 'running' in the store and is re-queued at the next start.
        this.logger?.error({ err, key: row.task.key }, 'could not record a task outcome');
      }
      this.wake(0);
    });
    this.inFlight.set(row.id, flight);
  }

  private settle(row: ClaimedRow, outcome: AttemptOutcome): void {
    const now = Date.now();
    const s = settlementOf(outcome, { key: row.task.key, kind: row.task.kind, attempt: row.attempts }, this.options, { failingSince: row.failingSince, now });
    if (s.outcome === 'done') this.store.markDone(row.id, now);
    else if (s.outcome === 'dead') this.store.markDead(row.id, s.reason, now);
    else this.store.requeue(row.id, { runAt: now + s.delayMs, state: 'failed', lastError: s.error, attemptsDelta: 0, cause: 'failure' }, now);
    this.observers.emit(s.event);
  }

  /** Test hook: release the store as a crash would, leaving running entries marked running. */
  abandon(): void {
    this.running = false;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.inFlight.clear();
    this.store.close();
  }
}
