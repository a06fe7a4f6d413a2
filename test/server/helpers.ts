// A real server on an ephemeral port over a temporary SQLite queue, for ingress tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../../src/config.js';
import { SqliteQueue, type TaskQueue } from '../../src/queue/index.js';
import { buildApp } from '../../src/server/app.js';

export const SECRET = 'test-webhook-secret';

export interface TestServer {
  app: FastifyInstance;
  queue: TaskQueue;
  config: Config;
  url: string;
  post(body: string | Buffer, headers?: Record<string, string>): Promise<Response>;
}

export async function startTestServer(
  t: { teardown(fn: () => unknown): void },
  env: NodeJS.ProcessEnv = {},
  botUserId?: number,
): Promise<TestServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cim-server-'));
  const config = loadConfig({
    GITLAB_URL: 'https://gitlab.example.test', GITLAB_TOKEN: 'glpat-test', WEBHOOK_SECRET: SECRET, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, ...env,
  });
  const queue = new SqliteQueue(path.join(dir, 'queue.sqlite'), { pollIntervalMs: 20, backoff: { baseMs: 5, maxMs: 10 } });
  const app = buildApp({ config, queue, botUserId });
  await app.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(async () => {
    await app.close();
    await queue.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const address = app.server.address();
  const url = typeof address === 'object' && address ? `http://127.0.0.1:${address.port}` : '';
  const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
    fetch(`${url}/webhooks/gitlab`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-gitlab-token': SECRET, ...headers },
      body,
    });
  return { app, queue, config, url, post };
}
