// The webhook ingress alone (fastify app + an in-memory SQLite queue that never runs tasks), for
// tests that drive it with app.inject.
import type { FastifyInstance } from 'fastify';
import type { Test } from 'tap';
import { SqliteQueue } from '../../src/queue/index.js';
import { buildApp } from '../../src/server/index.js';
import { createMetrics } from '../../src/metrics.js';
import { testConfig, TEST_SECRET } from './config.js';

export interface Ingress {
  app: FastifyInstance;
  queue: SqliteQueue;
  /** POST /webhooks/gitlab with the right token unless `headers` overrides it. */
  post(event: string | undefined, body: unknown, headers?: Record<string, string>): Promise<{ status: number; json: Record<string, unknown> }>;
}

export async function startIngress(t: Test, env: Record<string, string> = {}, botUserId?: number): Promise<Ingress> {
  const config = testConfig(env);
  const queue = new SqliteQueue(':memory:');
  const metrics = createMetrics(queue, { defaultMetrics: false });
  const app = buildApp({ config, queue, metrics, ...(botUserId !== undefined ? { botUserId } : {}) });
  await app.ready();
  t.teardown(async () => {
    await app.close();
    await queue.close();
  });
  const post: Ingress['post'] = async (event, body, headers = {}) => {
    const h: Record<string, string> = { 'content-type': 'application/json', 'x-gitlab-token': TEST_SECRET, ...headers };
    if (event !== undefined) h['x-gitlab-event'] = event;
    const res = await app.inject({
      method: 'POST', url: '/webhooks/gitlab', headers: h,
      payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
    });
    let json: Record<string, unknown> = {};
    try {
      json = res.json();
    } catch {
      json = { unparsable: res.body };
    }
    return { status: res.statusCode, json };
  };
  return { app, queue, post };
}
