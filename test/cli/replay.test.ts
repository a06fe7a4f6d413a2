// `ci-medic replay` delivers a saved payload to the running service's real HTTP port, as GitLab
// would: the event header from the payload (or the logged delivery), the secret from
// WEBHOOK_SECRET, a fresh Idempotency-Key unless --same-key.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { replay } from '../../src/cli/replay.js';
import { createMetrics } from '../../src/metrics.js';
import { SqliteQueue } from '../../src/queue/index.js';
import { buildApp } from '../../src/server/index.js';
import { runCommand } from '../../src/cli/capture.js';
import { tempDir, testConfig, TEST_SECRET } from '../helpers/config.js';
import { fixturePath } from '../helpers/paths.js';

async function service(t: Test) {
  const queue = new SqliteQueue(':memory:');
  const app = buildApp({ config: testConfig(), queue, metrics: createMetrics(queue, { defaultMetrics: false }) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(async () => {
    await app.close();
    await queue.close();
  });
  const port = (app.server.address() as { port: number }).port;
  return { queue, url: `http://127.0.0.1:${port}/webhooks/gitlab`, env: { WEBHOOK_SECRET: TEST_SECRET, PORT: String(port) } };
}

t.test('a saved Merge Request Hook body is queued again, each replay a new delivery', async (t) => {
  const { queue, env } = await service(t);
  const file = fixturePath('webhooks', 'merge-request-open.json');
  const first = await runCommand(replay, [file], { env });
  t.equal(first.code, 0, first.stderr);
  t.match(first.stdout, /^202 .*"status":"queued"/, 'the default URL is this machine on PORT');
  const task = (await queue.list({})).find((r) => r.key.startsWith('review-mr:'));
  t.ok(task, 'a review task is stored');
  const second = await runCommand(replay, [file], { env });
  t.match(second.stdout, /^202 /);
  t.notMatch(second.stdout, /"duplicate"/, 'a replay is not deduplicated away unless --same-key');
});

t.test('a logged delivery (GitLab\'s webhook events API) keeps its event and, with --same-key, its key', async (t) => {
  const { url, env } = await service(t);
  const { dir, cleanup } = tempDir('cim-replay-');
  t.teardown(cleanup);
  const body = JSON.parse(readFileSync(fixturePath('webhooks', 'merge-request-open.json'), 'utf8'));
  const logged = join(dir, 'event.json');
  writeFileSync(logged, JSON.stringify({
    id: 1, trigger: 'merge_request_hooks', response_status: '500',
    request_headers: { 'X-Gitlab-Event': 'Merge Request Hook', 'Idempotency-Key': '3a427872-00df-429c-9bc9-a9475de2efe4', 'X-Gitlab-Token': '[REDACTED]' },
    request_data: body,
  }));
  const a = await runCommand(replay, [logged, '--url', url, '--same-key'], { env });
  t.match(a.stdout, /^202 .*"queued"/);
  const b = await runCommand(replay, [logged, '--url', url, '--same-key'], { env });
  t.match(b.stdout, /^202 .*"duplicate"/, 'the same Idempotency-Key is the same delivery');
});

t.test('refusals and bad input', async (t) => {
  const { url, env } = await service(t);
  const file = fixturePath('webhooks', 'merge-request-open.json');
  const wrong = await runCommand(replay, [file, '--url', url], { env: { WEBHOOK_SECRET: 'not-the-secret' } });
  t.equal(wrong.code, 1, 'a refused delivery exits 1');
  t.match(wrong.stdout, /^401 .*CIM_ERR_BAD_TOKEN/);
  const missing = await runCommand(replay, ['/nonexistent/payload.json'], { env });
  t.equal(missing.code, 2, 'a missing input file is exit 2');
  const notJson = await runCommand(replay, ['-'], { env, stdin: 'not json' });
  t.equal(notJson.code, 2);
  const unknownKind = await runCommand(replay, ['-', '--url', url], { env, stdin: '{"object_kind":"push"}' });
  t.equal(unknownKind.code, 2);
  t.match(unknownKind.stderr, /give --event/);
  const usage = await runCommand(replay, [], { env });
  t.equal(usage.code, 2);
});
