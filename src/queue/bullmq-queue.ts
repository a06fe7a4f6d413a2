// The scale-out engine: BullMQ on Redis, for several replicas sharing the work. BullMQ jobs only
// say "look at key K"; the payload and the one-run-per-key rule live in a Redis hash per key
// (redis-state.ts), so the semantics match the SQLite engine. A job that finds its key busy or
// backing off moves itself to BullMQ's delayed set; a crashed replica's job is recovered by
// BullMQ's stalled-job check and re-runs its own entry, counting one crash; at `crashLimit`
// crashes in a row the entry is dead-lettered (BullMQ's own maxStalledCount sits just above).
// Leases (per-MR serialisation across replicas) and project memory live here too (redis-lease.ts).
import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Task } from '../events/types.js';
import { mergeTasks } from '../events/merge.js';
import { crashReason, runAttempt, settlementOf, type AttemptOutcome } from './attempt.js';
import { SettledObservers } from './observers.js';
import { RedisLeases, RedisMemory } from './redis-lease.js';
import { NEXT_FIELDS, RUN_FIELDS, RedisKeys, jobIdFor, num, recordsOf, withKeyState, type KeyState, type Multi } from './redis-state.js';
import {
  DEFAULT_QUEUE_OPTIONS, type EnqueueOptions, type EnqueueResult, type Leases, type MemoryStore, type QueueOptions, type QueueStats,
  type SettledEvent, type TaskFilter, type TaskHandler, type TaskQueue, type TaskRecord,
} from './types.js';

export interface BullmqOptions extends QueueOptions {
  /** Namespace of every Redis key (ours and BullMQ's). */
  prefix: string;
  /** BullMQ lock duration: how soon a crashed replica's job counts as stalled. */
  lockDurationMs: number;
  stalledIntervalMs: number;
}

const QUEUE_NAME = 'tasks';

/**
 * KEYS: delivery id key, task hash, active key set. ARGV: has delivery ('1'/'0'), delivery TTL
 * ms, task key, task JSON, kind, now. Returns {'duplicate'}, {'merge'} (an entry is waiting:
 * the caller merges), or {'queued', gen} with the job generation to add (absent when a job is
 * already on its way).
 */
const ENQUEUE_SCRIPT = `
if ARGV[1] == '1' then
  if not redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[2], 'NX') then return {'duplicate'} end
end
if redis.call('HEXISTS', KEYS[2], 'next') == 1 then return {'merge'} end
redis.call('HSET', KEYS[2], 'next', ARGV[4], 'kind', ARGV[5], 'updatedAt', ARGV[6], 'nextState', 'pending', 'nextAttempts', '0', 'nextCreated', ARGV[6])
redis.call('SADD', KEYS[3], ARGV[3])
if redis.call('HGET', KEYS[2], 'jobPending') == '1' then return {'queued'} end
local gen
if redis.call('HEXISTS', KEYS[2], 'gen') == 1 then gen = redis.call('HINCRBY', KEYS[2], 'gen', 1)
else redis.call('HSET', KEYS[2], 'gen', ARGV[6]); gen = ARGV[6] end
redis.call('HSET', KEYS[2], 'jobPending', '1')
return {'queued', tostring(gen)}
`;

type Claim =
  | { type: 'run'; task: Task; attempts: number; failingSince?: number }
  | { type: 'wait'; until: number }
  | { type: 'poison'; task: Task; attempts: number; reason: string }
  | { type: 'empty' };

interface InFlight {
  key: string;
  jobId: string;
  abort: AbortController;
  cut: () => void;
}

export class BullmqQueue implements TaskQueue {
  readonly engine = 'bullmq' as const;
  private readonly options: BullmqOptions;
  private readonly keys: RedisKeys;
  private readonly redis: Redis;
  /** WATCH is per connection: transactions get their own connection, one at a time. */
  private readonly txRedis: Redis;
  private txChain: Promise<unknown> = Promise.resolve();
  private readonly queueConnection: Redis;
  private workerConnection?: Redis;
  private readonly queue: Queue;
  private worker?: Worker;
  private readonly observers: SettledObservers;
  private readonly inFlight = new Map<string, InFlight>();
  private closed = false;
  private pruneTimer?: NodeJS.Timeout;
  readonly leases: Leases;
  readonly memory: MemoryStore;

  constructor(redisUrl: string, options: Partial<BullmqOptions> = {}, private readonly logger?: Logger) {
    this.options = { ...DEFAULT_QUEUE_OPTIONS, prefix: 'ci-medic', lockDurationMs: 30_000, stalledIntervalMs: 30_000, ...options };
    this.keys = new RedisKeys(this.options.prefix);
    const connect = (autoPipeline = false): Redis => new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false, enableAutoPipelining: autoPipeline });
    // Commands issued in one event-loop turn (a burst of webhooks) go out as one pipeline.
    this.redis = connect(true);
    this.txRedis = connect();
    this.queueConnection = connect();
    for (const c of [this.redis, this.txRedis, this.queueConnection]) c.on('error', (err) => this.logger?.warn({ err: err.message }, 'redis error'));
    this.queue = new Queue(QUEUE_NAME, { connection: this.queueConnection, prefix: `${this.options.prefix}:bull` });
    this.observers = new SettledObservers(logger);
    this.leases = new RedisLeases(this.redis, this.keys);
    this.memory = new RedisMemory(this.redis, this.keys, (key, body) => this.serialised(() => body(this.txRedis)));
  }

  /** WATCH-based work on the shared transaction connection, one at a time. */
  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const run = this.txChain.then(work);
    this.txChain = run.catch(() => undefined);
    return run;
  }

  private tx<T>(key: string, body: (state: KeyState, multi: Multi) => { value: T; commit: boolean }): Promise<T> {
    return this.serialised(() => withKeyState(this.txRedis, this.keys.task(key), body));
  }

  async enqueue(task: Task, options: EnqueueOptions = {}): Promise<EnqueueResult> {
    const now = Date.now();
    const json = JSON.stringify(task);
    // The common case (no entry waiting for this key) in one script: delivery id, entry and
    // job reservation at once, pipelined with every other webhook of this event-loop turn.
    const [status, gen] = (await this.redis.eval(
      ENQUEUE_SCRIPT, 3,
      options.deliveryId !== undefined ? this.keys.delivery(options.deliveryId) : this.keys.task(task.key), this.keys.task(task.key), this.keys.keys,
      options.deliveryId !== undefined ? '1' : '0', String(this.options.retentionMs), task.key, json, task.kind, String(now),
    )) as [string, string | null | undefined];
    if (status === 'duplicate') return { status: 'duplicate', key: task.key };
    try {
      if (status === 'queued') {
        if (gen) await this.addJob(task.key, Number(gen), 0);
        return { status: 'queued', key: task.key };
      }
      // An entry is waiting: merging payloads is JavaScript (events/merge.ts), under WATCH.
      return await this.store(task);
    } catch (err) {
      // Not stored: a resend of this delivery must not be taken for a duplicate.
      if (options.deliveryId !== undefined) await this.redis.del(this.keys.delivery(options.deliveryId)).catch(() => undefined);
      throw err;
    }
  }

  private async store(task: Task): Promise<EnqueueResult> {
    const now = Date.now();
    const outcome = await this.tx(task.key, (state, multi) => {
      const hash = this.keys.task(task.key);
      const merged = state.next ? mergeTasks(JSON.parse(state.next) as Task, task) : task;
      multi.hset(hash, { next: JSON.stringify(merged), kind: task.kind, updatedAt: now });
      if (!state.next) multi.hset(hash, { nextState: 'pending', nextAttempts: 0, nextCreated: now });
      multi.sadd(this.keys.keys, task.key);
      const gen = this.newJobGen(state, multi, hash);
      return { value: { status: state.next ? 'replaced' as const : 'queued' as const, gen }, commit: true };
    });
    if (outcome.gen !== undefined) await this.addJob(task.key, outcome.gen, 0);
    return { status: outcome.status, key: task.key };
  }

  /** When no job is on its way for this key's waiting entry, reserve the id of a new one. */
  private newJobGen(state: KeyState, multi: Multi, hash: string): number | undefined {
    if (state.jobPending === '1') return undefined;
    // A key's hash is deleted when idle: restart from the clock so a job id is never reused.
    const gen = state.gen ? num(state.gen) + 1 : Date.now();
    multi.hset(hash, { gen, jobPending: '1' });
    return gen;
  }

  private async addJob(key: string, gen: number, delayMs: number): Promise<void> {
    await this.queue.add('run', { key }, { jobId: jobIdFor(key, gen), delay: Math.max(0, delayMs), removeOnComplete: true, removeOnFail: 1000,
      // Only infrastructure errors (Redis hiccups) fail a job; handler failures are ours to count.
      attempts: 20, backoff: { type: 'exponential', delay: 500 } });
  }

  start(handler: TaskHandler): void {
    if (this.closed) throw new Error('queue is closed');
    if (this.worker) throw new Error('queue already started');
    this.workerConnection = new Redis(this.queueConnection.options);
    this.workerConnection.on('error', (err) => this.logger?.warn({ err: err.message }, 'redis error'));
    this.worker = new Worker(QUEUE_NAME, (job, token) => this.process(job, token, handler), {
      connection: this.workerConnection,
      prefix: `${this.options.prefix}:bull`,
      concurrency: this.options.concurrency,
      lockDuration: this.options.lockDurationMs,
      stalledInterval: this.options.stalledIntervalMs,
      // Crashes are counted by us (claim); BullMQ gives up only after we would have.
      maxStalledCount: this.options.crashLimit + 1,
    });
    this.worker.on('error', (err) => this.logger?.warn({ err: err.message }, 'bullmq worker error'));
    this.recover().catch((err: unknown) => this.logger?.error({ err }, 'queue recovery failed'));
    this.prune().catch((err: unknown) => this.logger?.warn({ err }, 'could not prune task history'));
    this.pruneTimer = setInterval(() => {
      this.prune().catch((err: unknown) => this.logger?.warn({ err }, 'could not prune task history'));
    }, this.options.pruneIntervalMs);
    this.pruneTimer.unref();
  }

  /** Bounded history: done and dead records and results by age and by count (delivery ids expire by TTL). */
  async prune(): Promise<void> {
    const before = Date.now() - this.options.retentionMs;
    for (const [hash, index] of [[this.keys.done, this.keys.doneAt], [this.keys.dead, this.keys.deadAt], [this.keys.results, this.keys.resultsAt]] as const) {
      const old = await this.redis.zrangebyscore(index, '-inf', `(${before}`);
      const count = await this.redis.zcard(index);
      const excess = count - old.length - this.options.historyMaxEntries;
      const extra = excess > 0 ? await this.redis.zrange(index, String(old.length), String(old.length + excess - 1)) : [];
      const gone = [...old, ...extra];
      for (let i = 0; i < gone.length; i += 500) {
        const slice = gone.slice(i, i + 500);
        await this.redis.multi().hdel(hash, ...slice).zrem(index, ...slice).exec();
      }
    }
  }

  /** Entries whose job vanished (crash between the hash write and the add, or a dead replica). */
  private async recover(): Promise<void> {
    const keys = await this.redis.smembers(this.keys.keys);
    let recovered = 0;
    for (const key of keys) {
      const state = (await this.redis.hgetall(this.keys.task(key))) as KeyState;
      if (state.run && state.runJob) {
        const job = await this.queue.getJob(state.runJob);
        const jobState = job ? await job.getState() : 'unknown';
        // An active job is either alive elsewhere or will be found stalled by BullMQ.
        if (jobState !== 'active' && jobState !== 'waiting' && jobState !== 'delayed') {
          await this.requeueRun(key, state.runJob, 0, null, 0, 'crash');
          recovered++;
          continue;
        }
      }
      if (state.next) {
        const pendingJob = state.jobPending === '1' ? await this.queue.getJob(jobIdFor(key, num(state.gen))) : undefined;
        if (!pendingJob) {
          const gen = await this.tx(key, (s, multi) => {
            const g = num(s.gen) + 1;
            multi.hset(this.keys.task(key), { gen: g, jobPending: '1' });
            return { value: g, commit: true };
          });
          await this.addJob(key, gen, 0);
          recovered++;
        }
      }
    }
    if (recovered > 0) this.logger?.warn({ count: recovered }, 're-queued tasks interrupted by a restart');
  }

  private async process(job: Job, token: string | undefined, handler: TaskHandler): Promise<void> {
    const key = (job.data as { key: string }).key;
    const jobId = job.id ?? '';
    const claim = await this.claim(key, jobId);
    if (claim.type === 'empty') return;
    if (claim.type === 'poison') {
      this.observers.emit({ key, kind: claim.task.kind, attempt: claim.attempts, outcome: 'dead', durationMs: 0, error: claim.reason });
      await this.promoteWaiting(key);
      return;
    }
    if (claim.type === 'wait') {
      await job.moveToDelayed(claim.until, token);
      throw new DelayedError();
    }
    const abort = new AbortController();
    let cut: () => void = () => undefined;
    const cutShort = new Promise<'cut'>((resolve) => { cut = () => resolve('cut'); });
    this.inFlight.set(jobId, { key, jobId, abort, cut });
    const outcome = await Promise.race([runAttempt(handler, claim.task, claim.attempts, { key, signal: abort.signal }), cutShort]);
    if (outcome === 'cut' || this.inFlight.get(jobId) === undefined) return;
    this.inFlight.delete(jobId);
    await this.finish(key, jobId, claim.task, claim.attempts, outcome, claim.failingSince);
  }

  private claim(key: string, jobId: string): Promise<Claim> {
    const now = Date.now();
    return this.tx<Claim>(key, (state, multi) => {
      const hash = this.keys.task(key);
      if (state.run && state.runJob !== jobId) return { value: { type: 'wait', until: now + this.options.pollIntervalMs }, commit: false };
      if (!state.run && !state.next) {
        // A stray job (its entry was taken by another job): nothing to do.
        return { value: { type: 'empty' }, commit: state.jobPending === '1' ? (multi.hset(hash, { jobPending: '0' }), true) : false };
      }
      if (!state.run && num(state.notBefore) > now) return { value: { type: 'wait', until: num(state.notBefore) }, commit: false };
      // Our own entry after a stall (crashed replica): run it again, folded with anything newer.
      const runTask = state.run ? (JSON.parse(state.run) as Task) : undefined;
      const nextTask = state.next ? (JSON.parse(state.next) as Task) : undefined;
      const task = runTask && nextTask ? mergeTasks(runTask, nextTask) : (nextTask ?? runTask) as Task;
      const attempts = Math.max(num(state.runAttempts), num(state.nextAttempts)) + 1;
      const crashes = num(state.crashes) + (runTask ? 1 : 0);
      if (crashes >= this.options.crashLimit) {
        const reason = crashReason(crashes);
        // The dead letter holds everything that was waiting too: nothing of this key is left to run.
        this.writeDeadOrDone(multi, key, { ...state, next: undefined, jobPending: undefined }, 'dead', { id: jobId, key, kind: task.kind, state: 'dead', attempts: attempts - 1, createdAt: now, updatedAt: now, task, lastError: reason }, now);
        return { value: { type: 'poison', task, attempts: attempts - 1, reason }, commit: true };
      }
      // The attempt is counted (and stored) before it runs.
      multi.hset(hash, { run: JSON.stringify(task), runJob: jobId, runAttempts: attempts, runStarted: now, updatedAt: now, jobPending: '0', crashes });
      multi.hdel(hash, ...NEXT_FIELDS);
      const failingSince = state.failingSince ? num(state.failingSince) : undefined;
      return { value: { type: 'run', task, attempts, ...(failingSince !== undefined ? { failingSince } : {}) }, commit: true };
    });
  }

  private async finish(key: string, jobId: string, task: Task, attempt: number, outcome: AttemptOutcome, failingSince: number | undefined): Promise<void> {
    if (this.closed) return;
    const s = settlementOf(outcome, { key, kind: task.kind, attempt }, this.options, { failingSince, now: Date.now() });
    if (s.outcome === 'retry') await this.requeueRun(key, jobId, s.delayMs, s.error, 0, 'failure');
    else await this.settle(key, jobId, s.outcome, task, attempt, s.outcome === 'dead' ? s.reason : undefined);
    this.observers.emit(s.event);
  }

  /** A run ended for good (done or dead): clear it and keep a record for `list`. */
  private async settle(key: string, jobId: string, state: 'done' | 'dead', task: Task, attempts: number, error: string | undefined): Promise<void> {
    const now = Date.now();
    const record: TaskRecord = { id: jobId, key, kind: task.kind, state, attempts, createdAt: now, updatedAt: now, task };
    if (error !== undefined) record.lastError = error;
    const owned = await this.tx(key, (s, multi) => {
      if (s.runJob !== jobId) return { value: false, commit: false };
      this.writeDeadOrDone(multi, key, s, state, record, now);
      return { value: true, commit: true };
    });
    if (owned) await this.promoteWaiting(key);
  }

  /**
   * End the run of `key` for good: keep its record (time-indexed, so history can be pruned) and,
   * when nothing waits, drop the key's hash and its place in the active set, so walking the
   * active set (stats) costs what is live, not what happened.
   */
  private writeDeadOrDone(multi: Multi, key: string, s: KeyState, state: 'done' | 'dead', record: TaskRecord, now: number): void {
    const hash = this.keys.task(key);
    const [records, index] = state === 'done' ? [this.keys.done, this.keys.doneAt] : [this.keys.dead, this.keys.deadAt];
    multi.hset(records, key, JSON.stringify(record));
    multi.zadd(index, now, key);
    if (state === 'done') multi.hdel(this.keys.dead, key).zrem(this.keys.deadAt, key);
    if (!s.next && s.jobPending !== '1') {
      multi.del(hash);
      multi.srem(this.keys.keys, key);
      return;
    }
    multi.hdel(hash, ...RUN_FIELDS, 'crashes', 'failingSince');
    multi.hset(hash, { updatedAt: now });
  }

  /** Put a run back to wait (retry, shutdown), merged under any newer waiting payload. */
  private async requeueRun(key: string, jobId: string, delayMs: number, error: string | null, attemptsDelta: number, cause: 'failure' | 'crash' | 'shutdown'): Promise<void> {
    const now = Date.now();
    const result = await this.tx(key, (s, multi) => {
      if (!s.run || s.runJob !== jobId) return { value: undefined, commit: false };
      const hash = this.keys.task(key);
      if (cause === 'failure') {
        multi.hset(hash, { crashes: 0 });
        if (!s.failingSince) multi.hset(hash, { failingSince: now });
      } else if (cause === 'crash') {
        multi.hset(hash, { crashes: num(s.crashes) + 1 });
      }
      const run = JSON.parse(s.run) as Task;
      const merged = s.next ? mergeTasks(run, JSON.parse(s.next) as Task) : run;
      const attempts = Math.max(0, num(s.runAttempts) + attemptsDelta);
      multi.hdel(hash, ...RUN_FIELDS);
      multi.hset(hash, {
        next: JSON.stringify(merged),
        nextState: error === null ? (s.nextState ?? 'pending') : 'failed',
        nextAttempts: Math.max(attempts, num(s.nextAttempts)),
        nextCreated: s.nextCreated ?? now,
        notBefore: Math.max(num(s.notBefore), now + delayMs),
        updatedAt: now,
      });
      if (error !== null) multi.hset(hash, { lastError: error });
      return { value: { gen: this.newJobGen(s, multi, hash) }, commit: true };
    });
    if (result?.gen !== undefined) await this.addJob(key, result.gen, delayMs);
    else if (result) await this.promoteWaiting(key);
  }

  /** The next job for this key may be sleeping on a poll interval: wake it now. */
  private async promoteWaiting(key: string): Promise<void> {
    const state = (await this.redis.hgetall(this.keys.task(key))) as KeyState;
    if (state.jobPending !== '1' || num(state.notBefore) > Date.now()) return;
    try {
      const job = await this.queue.getJob(jobIdFor(key, num(state.gen)));
      if (job && (await job.isDelayed())) await job.promote();
    } catch { /* it ran meanwhile */ }
  }

  async stop(timeoutMs: number): Promise<void> {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    const closing = worker.close();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([closing, new Promise((resolve) => { timer = setTimeout(resolve, timeoutMs); })]);
    clearTimeout(timer);
    for (const flight of [...this.inFlight.values()]) {
      this.inFlight.delete(flight.jobId);
      flight.abort.abort(new Error('ci-medic is shutting down'));
      await this.requeueRun(flight.key, flight.jobId, 0, null, -1, 'shutdown');
      flight.cut();
      this.logger?.warn({ key: flight.key }, 'shutdown: re-queued a running task');
    }
    await closing;
    await this.workerConnection?.quit().catch(() => undefined);
  }

  /** Test hook: drop everything as a crash would (no re-queue, locks left to expire). */
  async abandon(): Promise<void> {
    this.closed = true;
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    for (const flight of this.inFlight.values()) flight.cut();
    this.inFlight.clear();
    await this.worker?.close(true).catch(() => undefined);
    this.worker = undefined;
    for (const c of [this.redis, this.txRedis, this.queueConnection, this.workerConnection]) c?.disconnect();
    await this.queue.close().catch(() => undefined);
  }

  async list(filter: TaskFilter = {}): Promise<TaskRecord[]> {
    const keys = filter.key ? [filter.key] : await this.redis.smembers(this.keys.keys);
    const records: TaskRecord[] = [];
    for (const key of keys) {
      records.push(...recordsOf(key, (await this.redis.hgetall(this.keys.task(key))) as KeyState));
    }
    for (const hash of [this.keys.dead, this.keys.done]) {
      const values = filter.key ? [await this.redis.hget(hash, filter.key)] : await this.redis.hvals(hash);
      for (const value of values) if (value) records.push(JSON.parse(value) as TaskRecord);
    }
    return records
      .filter((r) => !filter.state || r.state === filter.state)
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .slice(0, filter.limit ?? 100);
  }

  /** Live entries from the active set (one pipelined round trip), history from HLEN: no walk of the history. */
  async stats(): Promise<QueueStats> {
    const stats: QueueStats = { pending: 0, running: 0, failed: 0, dead: 0, done: 0 };
    const keys = await this.redis.smembers(this.keys.keys);
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.hmget(this.keys.task(key), 'run', 'next', 'nextState');
    pipeline.hlen(this.keys.done).hlen(this.keys.dead);
    const answers = (await pipeline.exec()) ?? [];
    for (let i = 0; i < keys.length; i++) {
      const [run, next, nextState] = (answers[i]?.[1] ?? []) as (string | null)[];
      if (run) stats.running++;
      if (next) stats[nextState === 'failed' ? 'failed' : 'pending']++;
    }
    stats.done = Number(answers[keys.length]?.[1] ?? 0);
    stats.dead = Number(answers[keys.length + 1]?.[1] ?? 0);
    return stats;
  }

  async retryDead(key?: string): Promise<number> {
    const keys = key !== undefined ? [key] : await this.redis.hkeys(this.keys.dead);
    let n = 0;
    for (const k of keys) {
      const raw = await this.redis.hget(this.keys.dead, k);
      if (!raw) continue;
      const dead = (JSON.parse(raw) as TaskRecord).task;
      const now = Date.now();
      const gen = await this.tx(k, (state, multi) => {
        const hash = this.keys.task(k);
        const merged = state.next ? mergeTasks(dead, JSON.parse(state.next) as Task) : dead;
        multi.hset(hash, { next: JSON.stringify(merged), kind: merged.kind, updatedAt: now, notBefore: 0 });
        if (!state.next) multi.hset(hash, { nextState: 'pending', nextAttempts: 0, nextCreated: now });
        multi.sadd(this.keys.keys, k);
        multi.hdel(this.keys.dead, k).zrem(this.keys.deadAt, k);
        return { value: this.newJobGen(state, multi, hash), commit: true };
      });
      if (gen !== undefined) await this.addJob(k, gen, 0);
      else await this.promoteWaiting(k);
      n++;
    }
    return n;
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  private resultField(key: string, ref: string): string {
    return `${key}\n${ref}`;
  }

  async recordResult(key: string, ref: string, outcome: string): Promise<void> {
    const field = this.resultField(key, ref);
    await this.redis.multi().hset(this.keys.results, field, outcome).zadd(this.keys.resultsAt, Date.now(), field).exec();
  }

  async hasResult(key: string, ref: string): Promise<boolean> {
    return (await this.redis.hexists(this.keys.results, this.resultField(key, ref))) === 1;
  }

  async getResult(key: string, ref: string): Promise<string | undefined> {
    return (await this.redis.hget(this.keys.results, this.resultField(key, ref))) ?? undefined;
  }

  observe(listener: (event: SettledEvent) => void): void {
    this.observers.add(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.stop(0);
    this.closed = true;
    await this.queue.close();
    await Promise.all([this.redis, this.txRedis, this.queueConnection].map((c) => c.quit().catch(() => undefined)));
  }
}
