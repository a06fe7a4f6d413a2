// Liveness (/healthz: the process answers) and readiness (/readyz: the task store answers, GitLab
// accepts the bot's token, and the service is not shutting down).
import type { FastifyInstance } from 'fastify';
import type { TaskQueue } from '../queue/types.js';
import type { TokenStatus } from './token-health.js';

export interface HealthOptions {
  queue: TaskQueue;
  shuttingDown?: () => boolean;
  /** Whether GitLab accepts the bot's token (absent: not checked). */
  gitlabToken?: () => Promise<TokenStatus>;
}

export async function healthPlugin(app: FastifyInstance, options: HealthOptions): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    if (options.shuttingDown?.()) return reply.code(503).send({ status: 'shutting-down' });
    const ok = await options.queue.ping().catch(() => false);
    if (!ok) return reply.code(503).send({ status: 'queue-unavailable', queue: options.queue.engine });
    const token = await options.gitlabToken?.();
    if (token && !token.ok) return reply.code(503).send({ status: 'gitlab-token-rejected', reason: token.reason, queue: options.queue.engine });
    return { status: 'ready', queue: options.queue.engine };
  });
}
