// Opening the configured engine: SQLite under DATA_DIR by default, BullMQ when REDIS_URL is set.
import type { Logger } from 'pino';
import { queueDbPath, type Config } from '../config.js';
import { BullmqQueue, type BullmqOptions } from './bullmq-queue.js';
import { SqliteQueue } from './sqlite-queue.js';
import { DEFAULT_QUEUE_OPTIONS, type QueueOptions, type TaskQueue } from './types.js';

export * from './types.js';
export { SqliteQueue } from './sqlite-queue.js';
export { BullmqQueue, type BullmqOptions } from './bullmq-queue.js';
export { retryDelayMs, decideAfterFailure, describeFailure } from './attempt.js';

export function queueOptionsFrom(config: Pick<Config, 'maxAttempts' | 'concurrency' | 'retryBaseMs'>): Partial<QueueOptions> {
  const options: Partial<QueueOptions> = { maxAttempts: config.maxAttempts, concurrency: config.concurrency };
  if (config.retryBaseMs !== undefined) options.backoff = { baseMs: config.retryBaseMs, maxMs: Math.max(config.retryBaseMs, DEFAULT_QUEUE_OPTIONS.backoff.maxMs) };
  return options;
}

export function openQueue(
  config: Pick<Config, 'dataDir' | 'redisUrl' | 'maxAttempts' | 'concurrency' | 'retryBaseMs'> & Partial<Pick<Config, 'redisPrefix'>>,
  options: { logger?: Logger; overrides?: Partial<BullmqOptions> } = {},
): TaskQueue {
  const settings = { ...queueOptionsFrom(config), ...options.overrides };
  return config.redisUrl
    ? new BullmqQueue(config.redisUrl, { ...(config.redisPrefix ? { prefix: config.redisPrefix } : {}), ...settings }, options.logger)
    : new SqliteQueue(queueDbPath(config), settings, options.logger);
}
