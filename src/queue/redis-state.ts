// Per-key task state kept in Redis beside BullMQ, so both engines share one set of semantics.
// BullMQ only schedules "look at key K" jobs; the payload, attempts and who runs it live in the
// hash `<prefix>:t:<key>`, changed with optimistic WATCH/MULTI transactions.
import type { Redis } from 'ioredis';
import type { Task } from '../events/types.js';
import type { TaskRecord, TaskState } from './types.js';

/** Fields of the per-key hash. `next*` = the waiting entry, `run*` = the running one. */
export interface KeyState {
  kind?: string;
  next?: string;
  nextState?: 'pending' | 'failed';
  nextAttempts?: string;
  nextCreated?: string;
  notBefore?: string;
  lastError?: string;
  run?: string;
  runJob?: string;
  runAttempts?: string;
  runStarted?: string;
  gen?: string;
  /** '1' while a BullMQ job exists that will consume `next`. */
  jobPending?: string;
  updatedAt?: string;
  /** Process deaths in a row while this key's entry was running. */
  crashes?: string;
  /** Epoch ms of the first failure in the current run of failures. */
  failingSince?: string;
}

export class RedisKeys {
  constructor(readonly prefix: string) {}
  task(key: string): string { return `${this.prefix}:t:${key}`; }
  delivery(id: string): string { return `${this.prefix}:delivery:${id}`; }
  get keys(): string { return `${this.prefix}:keys`; }
  get dead(): string { return `${this.prefix}:dead`; }
  get done(): string { return `${this.prefix}:done`; }
  get results(): string { return `${this.prefix}:results`; }
  /** Sorted sets (score = epoch ms) over the hashes above, for pruning by age and count. */
  get deadAt(): string { return `${this.prefix}:dead:at`; }
  get doneAt(): string { return `${this.prefix}:done:at`; }
  get resultsAt(): string { return `${this.prefix}:results:at`; }
  lease(name: string): string { return `${this.prefix}:lease:${name}`; }
  memory(key: string): string { return `${this.prefix}:mem:${key}`; }
}

export const RUN_FIELDS = ['run', 'runJob', 'runAttempts', 'runStarted'] as const;
export const NEXT_FIELDS = ['next', 'nextState', 'nextAttempts', 'nextCreated', 'notBefore'] as const;

/** BullMQ job ids may not contain ':'. */
export function jobIdFor(key: string, gen: number): string {
  return `${key.replace(/[^A-Za-z0-9_-]/g, '.')}-${gen}`;
}

export function num(value: string | undefined, fallback = 0): number {
  const n = Number(value);
  return value === undefined || !Number.isFinite(n) ? fallback : n;
}

export type Multi = ReturnType<Redis['multi']>;

/**
 * Run `body` inside WATCH/MULTI on one hash, retrying when another client changed it meanwhile.
 * `body` gets the current state and queues writes on the multi; `commit: false` writes nothing.
 */
export async function withKeyState<T>(
  redis: Redis,
  hashKey: string,
  body: (state: KeyState, multi: Multi) => { value: T; commit: boolean },
): Promise<T> {
  for (let tries = 0; tries < 50; tries++) {
    await redis.watch(hashKey);
    const state = (await redis.hgetall(hashKey)) as KeyState;
    const multi = redis.multi();
    const { value, commit } = body(state, multi);
    if (!commit) {
      multi.discard();
      await redis.unwatch();
      return value;
    }
    const exec = await multi.exec();
    if (exec !== null) return value;
  }
  throw new Error(`could not update ${hashKey}: too much contention`);
}

export function recordsOf(key: string, state: KeyState): TaskRecord[] {
  const records: TaskRecord[] = [];
  const updatedAt = num(state.updatedAt);
  if (state.run) {
    const task = JSON.parse(state.run) as Task;
    records.push({
      id: state.runJob ?? key, key, kind: task.kind, state: 'running', attempts: num(state.runAttempts),
      createdAt: num(state.runStarted), updatedAt: num(state.runStarted, updatedAt), task,
    });
  }
  if (state.next) {
    const task = JSON.parse(state.next) as Task;
    const record: TaskRecord = {
      id: `${key}#next`, key, kind: task.kind, state: (state.nextState ?? 'pending') as TaskState, attempts: num(state.nextAttempts),
      createdAt: num(state.nextCreated), updatedAt, nextRunAt: Math.max(num(state.notBefore), num(state.nextCreated)), task,
    };
    if (state.lastError) record.lastError = state.lastError;
    records.push(record);
  }
  return records;
}
