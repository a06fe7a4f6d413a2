// Liveness (/healthz: the process answers) and readiness (/readyz: the task store answers and
// the service is not shutting down).
import type { FastifyInstance } from 'fastify';
import type { TaskQueue } from '../queue/types.js';

export interface HealthOptions {
  queue: TaskQueue;
  shuttingDown?: () => boolean;
}

export async function healthPlugin(app: FastifyInstance, options: HealthOptions): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    if (options.shuttingDown?.()) return reply.code(503).send({ status: 'shutting-down' });
    const ok = await options.queue.ping().catch(() => false);
    return ok ? { status: 'ready', queue: options.queue.engine } : reply.code(503).send({ status: 'queue-unavailable', queue: options.queue.engine });
  });
}
