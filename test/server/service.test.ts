// startService end to end: config -> queue -> HTTP -> handler, and an orderly stop.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import t from 'tap';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { SqliteQueue } from '../../src/queue/index.js';
import { startService } from '../../src/service.js';
import type { Task } from '../../src/events/types.js';
import { payloadText } from '../fixtures/webhooks/load.js';

function env(dir: string): NodeJS.ProcessEnv {
  return { GITLAB_URL: 'https://gitlab.example.test', GITLAB_TOKEN: 'glpat-do-not-log-me', WEBHOOK_SECRET: 's3cret', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, SHUTDOWN_TIMEOUT_SECONDS: '0' };
}

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  return { stream: new Writable({ write(chunk, _enc, cb) { chunks.push(String(chunk)); cb(); } }), text: () => chunks.join('') };
}

t.test('a delivered webhook reaches the handler; stop re-queues an unfinished run', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cim-service-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const log = capture();
  const seen: Task[] = [];
  let release: () => void = () => undefined;
  const service = await startService(loadConfig(env(dir)), {
    logger: createLogger({ level: 'info', destination: log.stream }),
    handler: async (task) => {
      seen.push(task);
      if (task.kind === 'diagnose-pipeline') await new Promise<void>((resolve) => { release = resolve; });
    },
    queueOptions: { pollIntervalMs: 20 },
  });
  let stopped = false;
  t.teardown(async () => { if (!stopped) await service.stop(); release(); });
  t.match(service.url, /^http:\/\/127\.0\.0\.1:\d+$/);

  const post = (event: string, body: string) => fetch(`${service.url}/webhooks/gitlab`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-gitlab-token': 's3cret', 'x-gitlab-event': event }, body,
  });
  t.equal((await post('Merge Request Hook', payloadText('merge-request-open'))).status, 202);
  t.equal((await post('Pipeline Hook', payloadText('pipeline-failed'))).status, 202);
  const deadline = Date.now() + 5000;
  while (seen.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  t.same(seen.map((s) => s.key).sort(), ['diagnose-pipeline:101:777', 'review-mr:101:3']);

  await service.stop();
  stopped = true;
  await t.rejects(fetch(`${service.url}/healthz`), 'no longer accepting');
  const queue = new SqliteQueue(path.join(dir, 'ci-medic.sqlite'));
  t.teardown(() => queue.close());
  const records = await queue.list();
  t.same(records.map((r) => [r.key, r.state]).sort(), [['diagnose-pipeline:101:777', 'pending'], ['review-mr:101:3', 'done']],
    'the run cut short by shutdown waits for the next start');
  t.notMatch(log.text(), /glpat-do-not-log-me|s3cret/, 'secrets never logged');
  t.match(log.text(), /ci-medic is listening/);
});

t.test('start-up fails cleanly when the port is taken', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cim-service-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const logger = createLogger({ level: 'silent' });
  const first = await startService(loadConfig(env(dir)), { logger });
  t.teardown(() => first.stop());
  const port = new URL(first.url).port;
  const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cim-service-'));
  t.teardown(() => fs.rmSync(otherDir, { recursive: true, force: true }));
  await t.rejects(startService(loadConfig({ ...env(otherDir), PORT: port }), { logger }), { code: 'EADDRINUSE' });
});
