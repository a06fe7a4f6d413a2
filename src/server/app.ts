// The fastify app: one plugin per concern, every refusal answered with a CIM_ERR_* body.
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { createMetrics, type Metrics } from '../metrics.js';
import type { TaskQueue } from '../queue/types.js';
import { HttpError, httpError } from './errors.js';
import { healthPlugin } from './health.js';
import type { TokenStatus } from './token-health.js';
import { metricsPlugin } from './metrics-route.js';
import { webhookPlugin } from './webhook.js';

export interface AppOptions {
  config: Config;
  queue: TaskQueue;
  logger?: Logger;
  /** The bot's user id (its own notes are ignored); a function when learnt after start. */
  botUserId?: number | (() => number | undefined);
  metrics?: Metrics;
  shuttingDown?: () => boolean;
  /** Whether GitLab accepts the bot's token, for /readyz. */
  gitlabToken?: () => Promise<TokenStatus>;
}

export function buildApp(options: AppOptions): FastifyInstance {
  const { config, queue } = options;
  const metrics = options.metrics ?? createMetrics(queue);
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: config.limits.maxBodyBytes,
    // Long enough for a 25 MB body from a slow GitLab, short enough to shed stuck clients.
    requestTimeout: 60_000,
  }) as unknown as FastifyInstance;
  const bot = options.botUserId;
  const botUserId = typeof bot === 'function' ? bot : () => bot ?? config.botUserId;

  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    const refused = toHttpError(error, config.limits.maxBodyBytes);
    if (refused.status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.code(refused.status).send(refused.toBody());
  });
  app.setNotFoundHandler((request, reply) => {
    const err = httpError('CIM_ERR_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]?.slice(0, 100)}`);
    return reply.code(err.status).send(err.toBody());
  });

  app.register(healthPlugin, { queue, shuttingDown: options.shuttingDown, gitlabToken: options.gitlabToken });
  app.register(metricsPlugin, { metrics });
  app.register(webhookPlugin, { config, queue, metrics, botUserId });
  return app;
}

function toHttpError(error: FastifyError | HttpError, maxBodyBytes: number): HttpError {
  if (error instanceof HttpError) return error;
  const status = error.statusCode ?? 500;
  if (status === 413) return httpError('CIM_ERR_BODY_TOO_LARGE', `body is larger than ${maxBodyBytes} bytes (MAX_BODY_BYTES)`);
  if (status === 415) return httpError('CIM_ERR_UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
  if (status >= 400 && status < 500) return httpError('CIM_ERR_INVALID_PAYLOAD', error.message.slice(0, 200));
  return httpError('CIM_ERR_INTERNAL', 'internal error');
}
