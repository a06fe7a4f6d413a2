// The default engine: one SQLite file (WAL) under DATA_DIR, for a single service instance.
// A timer-driven dispatcher claims due entries, at most `concurrency` at a time and never two of
// one key (the store's unique index and claim query guarantee it).
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Task } from '../events/types.js';
import { runAttempt, settlementOf, type AttemptOutcome } from './attempt.js';
import { SettledObservers } from './observers.js';
import { SqliteStore, type ClaimedRow } from './sqlite-store.js';
import {
  DEFAULT_QUEUE_OPTIONS, type EnqueueOptions, type EnqueueResult, type QueueOptions, type QueueStats, type SettledEvent,
  type TaskFilter, type TaskHandler, type TaskQueue, type TaskRecord,
} from './types.js';

interface InFlight {
  row: ClaimedRow;
  abort: AbortController;
  done: Promise<void>;
}

export class SqliteQueue implements TaskQueue {
  readonly engine = 'sqlite' as const;
  private readonly store: SqliteStore;
  private readonly options: QueueOptions;
  private readonly observers: SettledObservers;
  private handler?: TaskHandler;
  private running = false;
  private closed = false;
  private timer?: NodeJS.Timeout;
  private readonly inFlight = new Map<number, InFlight>();

  constructor(file: string, options: Partial<QueueOptions> = {}, private readonly logger?: Logger) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    this.store = new SqliteStore(file);
    this.options = { ...DEFAULT_QUEUE_OPTIONS, ...options };
    this.observers = new SettledObservers(logger);
  }

  async enqueue(task: Task, options: EnqueueOptions = {}): Promise<EnqueueResult> {
    const result = this.store.enqueue(task, options.deliveryId, Date.now());
    if (result.status !== 'duplicate') this.wake(0);
    return result;
  }

  start(handler: TaskHandler): void {
    if (this.closed) throw new Error('queue is closed');
    if (this.running) throw new Error('queue already started');
    this.handler = handler;
    this.running = true;
    const now = Date.now();
    // Entries still marked running were interrupted (crash, kill): they run again.
    const interrupted = this.store.runningIds();
    for (const id of interrupted) this.store.requeue(id, now, 'pending', null, 0, now);
    if (interrupted.length > 0) this.logger?.warn({ count: interrupted.length }, 're-queued tasks interrupted by a restart');
    this.store.prune(now - this.options.retentionMs);
    this.wake(0);
  }

  async stop(timeoutMs: number): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
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
      this.store.requeue(id, now, 'pending', null, -1, now);
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
    const s = settlementOf(outcome, { key: row.task.key, kind: row.task.kind, attempt: row.attempts }, this.options);
    if (s.outcome === 'done') this.store.markDone(row.id, now);
    else if (s.outcome === 'dead') this.store.markDead(row.id, s.reason, now);
    else this.store.requeue(row.id, now + s.delayMs, 'failed', s.error, 0, now);
    this.observers.emit(s.event);
  }

  /** Test hook: release the store as a crash would, leaving running entries marked running. */
  abandon(): void {
    this.running = false;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.inFlight.clear();
    this.store.close();
  }
}
