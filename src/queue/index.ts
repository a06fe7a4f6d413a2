// Opening the configured engine: SQLite under DATA_DIR by default, BullMQ when REDIS_URL is set.
import type { Logger } from 'pino';
import { queueDbPath, type Config } from '../config.js';
import { BullmqQueue, type BullmqOptions } from './bullmq-queue.js';
import { SqliteQueue } from './sqlite-queue.js';
import type { QueueOptions, TaskQueue } from './types.js';

export * from './types.js';
export { SqliteQueue } from './sqlite-queue.js';
export { BullmqQueue, type BullmqOptions } from './bullmq-queue.js';
export { retryDelayMs, decideAfterFailure, describeFailure } from './attempt.js';

export function queueOptionsFrom(config: Pick<Config, 'maxAttempts' | 'concurrency'>): Partial<QueueOptions> {
  return { maxAttempts: config.maxAttempts, concurrency: config.concurrency };
}

export function openQueue(
  config: Pick<Config, 'dataDir' | 'redisUrl' | 'maxAttempts' | 'concurrency'>,
  options: { logger?: Logger; overrides?: Partial<BullmqOptions> } = {},
): TaskQueue {
  const settings = { ...queueOptionsFrom(config), ...options.overrides };
  return config.redisUrl
    ? new BullmqQueue(config.redisUrl, settings, options.logger)
    : new SqliteQueue(queueDbPath(config), settings, options.logger);
}
