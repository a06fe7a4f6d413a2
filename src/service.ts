// Wiring: config -> logger -> queue -> HTTP server -> listen, and an orderly stop.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';
import { openQueue, type BullmqOptions, type TaskHandler, type TaskQueue } from './queue/index.js';
import { buildApp } from './server/app.js';
import type { TokenStatus } from './server/token-health.js';

export interface HandlerContext {
  config: Config;
  queue: TaskQueue;
  logger: Logger;
}

export interface ServiceDeps {
  /** The task handler (workflows). */
  handler?: TaskHandler;
  /** Or a factory for it, when it needs the queue (results) or the logger. */
  createHandler?: (ctx: HandlerContext) => TaskHandler | Promise<TaskHandler>;
  logger?: Logger;
  /** Queue engine overrides (tests: fast backoff, Redis prefix). */
  queueOptions?: Partial<BullmqOptions>;
  /** The bot's user id, when learnt after start (e.g. from GET /user). */
  botUserId?: () => number | undefined;
  /** Background work started once tasks run (the reconciler); stopped first on shutdown. */
  background?: (ctx: HandlerContext) => BackgroundJob | undefined;
  /** Whether GitLab accepts the bot's token, for /readyz. */
  gitlabToken?: () => Promise<TokenStatus>;
}

export interface BackgroundJob {
  stop(): Promise<void>;
}

export interface RunningService {
  app: FastifyInstance;
  queue: TaskQueue;
  logger: Logger;
  /** Base URL the server listens on (loopback address when bound to all interfaces). */
  url: string;
  /** Stop accepting, give running tasks up to config.shutdownTimeoutMs, re-queue the rest, close. */
  stop(): Promise<void>;
}

export async function startService(config: Config, deps: ServiceDeps = {}): Promise<RunningService> {
  const logger = deps.logger ?? createLogger({ level: config.logLevel });
  const queue = openQueue(config, { logger, overrides: deps.queueOptions });
  let shuttingDown = false;
  const metrics = createMetrics(queue);
  const app = buildApp({ config, queue, logger, metrics, botUserId: deps.botUserId ?? (() => config.botUserId), shuttingDown: () => shuttingDown, gitlabToken: deps.gitlabToken });
  let background: BackgroundJob | undefined;
  try {
    const handler = deps.handler ?? (deps.createHandler ? await deps.createHandler({ config, queue, logger }) : undefined);
    await app.listen({ port: config.port, host: config.host });
    if (handler) queue.start(handler);
    else logger.warn('no task handler: tasks are stored but not run');
    background = deps.background?.({ config, queue, logger });
  } catch (err) {
    await background?.stop().catch(() => undefined);
    await app.close().catch(() => undefined);
    await queue.close().catch(() => undefined);
    throw err;
  }
  const url = listenUrl(app);
  logger.info({ url, queue: queue.engine, dataDir: config.dataDir }, 'ci-medic is listening');

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      shuttingDown = true;
      await app.close();
      await background?.stop().catch((err: unknown) => logger.warn({ err }, 'background job did not stop cleanly'));
      await queue.stop(config.shutdownTimeoutMs);
      await queue.close();
      logger.info('ci-medic stopped');
    })();
    return stopping;
  };
  return { app, queue, logger, url, stop };
}

function listenUrl(app: FastifyInstance): string {
  const address = app.server.address();
  if (address === null || typeof address === 'string') return String(address);
  const host = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}
