// /readyz turns not-ready while GitLab answers 401 to the bot's token (a revoked token is the
// most common operator-made outage), with the reason in the body; an unreachable GitLab does not.
import t from 'tap';
import { createTokenHealth } from '../../src/server/token-health.js';
import { startFakeGitlab } from '../fake-gitlab/index.js';
import { TEST_SECRET, TEST_TOKEN, tempDir } from '../helpers/config.js';
import { cliUnavailable, spawnService } from '../helpers/child-service.js';
import { BOT_ID } from '../helpers/world.js';

t.test('token health: 401 is not-ready, other failures are not, answers are reused for the TTL', async (t) => {
  let now = 0;
  let answer: unknown = 'ok';
  let calls = 0;
  const health = createTokenHealth({
    ttlMs: 1000,
    now: () => now,
    probe: async () => {
      calls++;
      if (answer !== 'ok') throw answer;
    },
  });
  t.same(await health(), { ok: true });
  answer = Object.assign(new Error('401'), { status: 401 });
  now = 500;
  t.same(await health(), { ok: true }, 'within the TTL the last answer stands');
  t.equal(calls, 1);
  now = 1500;
  const revoked = await health();
  t.equal(revoked.ok, false, 'a token revoked after start is seen once the TTL passes');
  t.match(revoked.reason, /401.*GITLAB_TOKEN/);
  answer = Object.assign(new Error('unavailable'), { status: 503 });
  now = 3000;
  t.same(await health(), { ok: true }, 'GitLab down is not a token problem: tasks wait in the queue');
  answer = Object.assign(new Error('gitbeaker'), { cause: { response: { status: 401 } } });
  now = 4500;
  t.equal((await health()).ok, false, "gitbeaker's error shape is understood too");
});

const skip = cliUnavailable();

t.test('the real service: ready with a valid token, 503 with the reason when GitLab rejects it', { skip }, async (t) => {
  const fake = await startFakeGitlab({ token: TEST_TOKEN, botUser: { id: BOT_ID, username: 'ci-medic' } });
  t.teardown(() => fake.close());
  for (const [token, expected] of [[TEST_TOKEN, 200], ['glpat-revoked-token', 503]] as const) {
    const { dir, cleanup } = tempDir('cim-readyz-');
    t.teardown(cleanup);
    const child = await spawnService({
      GITLAB_URL: fake.url, GITLAB_TOKEN: token, WEBHOOK_SECRET: TEST_SECRET, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir,
      BOT_USER_ID: String(BOT_ID), RECONCILE_INTERVAL_SECONDS: '0',
    });
    t.teardown(() => child.kill('SIGKILL'));
    const res = await fetch(`${child.url}/readyz`);
    const body = (await res.json()) as { status: string; reason?: string };
    t.equal(res.status, expected, `token ${token === TEST_TOKEN ? 'valid' : 'rejected'}: /readyz ${expected}`);
    if (expected === 503) {
      t.equal(body.status, 'gitlab-token-rejected');
      t.match(body.reason, /GITLAB_TOKEN/);
      t.notMatch(JSON.stringify(body), token, 'the token itself is never echoed');
    } else {
      t.equal(body.status, 'ready');
    }
    await child.kill('SIGTERM');
  }
});
