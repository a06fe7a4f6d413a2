// Opening the configured engine: SQLite under DATA_DIR by default, BullMQ when REDIS_URL is set.
import type { Logger } from 'pino';
import { queueDbPath, type Config } from '../config.js';
import { BullmqQueue, type BullmqOptions } from './bullmq-queue.js';
import { SqliteQueue, type SqliteOptions } from './sqlite-queue.js';
import { DEFAULT_QUEUE_OPTIONS, type TaskQueue } from './types.js';

export * from './types.js';
export { SqliteQueue, type SqliteOptions } from './sqlite-queue.js';
export { withLease, type LeaseOptions } from './lease.js';
export { BullmqQueue, type BullmqOptions } from './bullmq-queue.js';
export { retryDelayMs, decideAfterFailure, describeFailure } from './attempt.js';

type QueueSettings = Pick<Config, 'maxAttempts' | 'concurrency'>
  & Partial<Pick<Config, 'retryBaseMs' | 'retryMaxDelayMs' | 'retryMaxAgeMs' | 'crashLimit' | 'historyMaxAgeMs' | 'historyMaxEntries' | 'sqliteSynchronous'>>;

export function queueOptionsFrom(config: QueueSettings): Partial<SqliteOptions> {
  const options: Partial<SqliteOptions> = { maxAttempts: config.maxAttempts, concurrency: config.concurrency };
  if (config.retryBaseMs !== undefined || config.retryMaxDelayMs !== undefined) {
    const baseMs = config.retryBaseMs ?? DEFAULT_QUEUE_OPTIONS.backoff.baseMs;
    options.backoff = { baseMs, maxMs: Math.max(baseMs, config.retryMaxDelayMs ?? DEFAULT_QUEUE_OPTIONS.backoff.maxMs) };
  }
  if (config.retryMaxAgeMs !== undefined) options.maxRetryAgeMs = config.retryMaxAgeMs;
  if (config.crashLimit !== undefined) options.crashLimit = config.crashLimit;
  if (config.historyMaxAgeMs !== undefined) options.retentionMs = config.historyMaxAgeMs;
  if (config.historyMaxEntries !== undefined) options.historyMaxEntries = config.historyMaxEntries;
  if (config.sqliteSynchronous !== undefined) options.synchronous = config.sqliteSynchronous;
  return options;
}

export function openQueue(
  config: QueueSettings & Pick<Config, 'dataDir' | 'redisUrl'> & Partial<Pick<Config, 'redisPrefix'>>,
  options: { logger?: Logger; overrides?: Partial<BullmqOptions & SqliteOptions> } = {},
): TaskQueue {
  const settings = { ...queueOptionsFrom(config), ...options.overrides };
  return config.redisUrl
    ? new BullmqQueue(config.redisUrl, { ...(config.redisPrefix ? { prefix: config.redisPrefix } : {}), ...settings }, options.logger)
    : new SqliteQueue(queueDbPath(config), settings, options.logger);
}
