// Engine factories for the parameterised queue tests: SQLite in a temp dir, BullMQ on the local
// Redis with a unique prefix (skipped with a reason when Redis does not answer).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { BullmqQueue, SqliteQueue, type QueueOptions, type TaskQueue } from '../../src/queue/index.js';
import type { DiagnosePipelineTask, ReviewMrTask } from '../../src/events/types.js';

export const REDIS_URL = process.env.CI_MEDIC_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const FAST: Partial<QueueOptions> = {
  maxAttempts: 3,
  concurrency: 4,
  backoff: { baseMs: 5, maxMs: 20 },
  pollIntervalMs: 20,
};

export interface EngineFactory {
  name: 'sqlite' | 'bullmq';
  /** Opens (or reopens, with the same `place`) a queue. */
  open(place: string, options?: Partial<QueueOptions>): TaskQueue;
  newPlace(): string;
  /** Simulate a crash: release the store without re-queueing running work. */
  crash(queue: TaskQueue): Promise<void>;
  cleanup(place: string): Promise<void>;
}

export const sqliteEngine: EngineFactory = {
  name: 'sqlite',
  open: (place, options) => new SqliteQueue(path.join(place, 'queue.sqlite'), { ...FAST, ...options }),
  newPlace: () => fs.mkdtempSync(path.join(os.tmpdir(), 'cim-queue-')),
  crash: async (queue) => (queue as SqliteQueue).abandon(),
  cleanup: async (place) => fs.rmSync(place, { recursive: true, force: true }),
};

export const bullmqEngine: EngineFactory = {
  name: 'bullmq',
  open: (place, options) =>
    new BullmqQueue(REDIS_URL, { ...FAST, prefix: place, lockDurationMs: 600, stalledIntervalMs: 300, ...options }),
  newPlace: () => `cim-test-${randomUUID()}`,
  crash: async (queue) => (queue as BullmqQueue).abandon(),
  cleanup: async (place) => {
    const client = new Redis(REDIS_URL);
    try {
      let cursor = '0';
      do {
        const [next, found] = await client.scan(cursor, 'MATCH', `${place}:*`, 'COUNT', 500);
        cursor = next;
        if (found.length > 0) await client.del(...found);
      } while (cursor !== '0');
    } finally {
      client.disconnect();
    }
  },
};

/** Why Redis tests are skipped, or undefined when Redis answers. */
export async function redisUnavailable(): Promise<string | undefined> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG' ? undefined : `Redis at ${REDIS_URL} did not answer PONG`;
  } catch (err) {
    return `Redis at ${REDIS_URL} is not answering (${(err as Error).message})`;
  } finally {
    client.disconnect();
  }
}

export function review(iid: number, headSha: string, projectId = 42): ReviewMrTask {
  return { kind: 'review-mr', key: `review-mr:${projectId}:${iid}`, projectId, mrIid: iid, headSha, trigger: 'open' };
}

export function diagnose(pipelineId: number, jobIds: number[], projectId = 42): DiagnosePipelineTask {
  return {
    kind: 'diagnose-pipeline', key: `diagnose-pipeline:${projectId}:${pipelineId}`, projectId, pipelineId,
    sha: 'a'.repeat(40), ref: 'main', failedJobs: jobIds.map((id) => ({ id })), trigger: 'job',
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Poll until `check` is true (bounded, so a broken engine fails instead of hanging). */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** A promise with its resolver outside, to hold a handler mid-run. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => { open = resolve; });
  return { promise, open };
}
