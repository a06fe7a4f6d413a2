// GET /metrics in the Prometheus text format.
import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../metrics.js';

export async function metricsPlugin(app: FastifyInstance, options: { metrics: Metrics }): Promise<void> {
  app.get('/metrics', async (_request, reply) => {
    const body = await options.metrics.registry.metrics();
    return reply.type(options.metrics.registry.contentType).send(body);
  });
}
