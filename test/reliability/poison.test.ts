// Poison tasks: a task whose run kills the process (here: the real service as a child process,
// SIGKILLed each time it is running that task) is dead-lettered after POISON_CRASH_LIMIT crashes
// in a row, with the reason, instead of killing every restart for ever; other work goes on.
import path from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { startFakeGitlab, mergeRequestHook, deliverWebhook } from '../fake-gitlab/index.js';
import { TEST_SECRET, TEST_TOKEN, tempDir } from '../helpers/config.js';
import { cliTasks, cliUnavailable, spawnService, waitFor, type ChildService } from '../helpers/child-service.js';
import { BOT_ID, exactlyOnceProblems, seedManyMrs } from '../helpers/world.js';

const skip = cliUnavailable();

t.test('a task running at 3 process deaths in a row is dead-lettered with the reason', { skip }, async (t) => {
  const fake = await startFakeGitlab({ token: TEST_TOKEN, botUser: { id: BOT_ID, username: 'ci-medic' } });
  t.teardown(() => fake.close());
  const { dir, cleanup } = tempDir('cim-poison-');
  t.teardown(cleanup);
  const mrs = seedManyMrs(fake, { id: 86, path: 'acme/poison' }, 2, 99);
  const [poison, healthy] = mrs as [typeof mrs[0], typeof mrs[0]];
  const env = {
    GITLAB_URL: fake.url, GITLAB_TOKEN: TEST_TOKEN, WEBHOOK_SECRET: TEST_SECRET, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir,
    BOT_USER_ID: String(BOT_ID), RECONCILE_INTERVAL_SECONDS: '0', RETRY_BASE_MS: '50', GITLAB_RETRY_BASE_MS: '10', POISON_CRASH_LIMIT: '3',
  };
  // Every request about the poison MR hangs: its task is 'running' when the process dies.
  fake.faults.set({ fault: { kind: 'delay', ms: 5_000 }, path: `/merge_requests/${poison.iid}`, rate: 1 });
  const hook = (m: typeof poison) => mergeRequestHook(m.project, { iid: m.iid, sourceBranch: m.sourceBranch, headSha: m.heads.at(-1)! }, { action: 'open' });
  const key = `review-mr:86:${poison.iid}`;
  // Read the store directly while polling (spawning `ci-medic tasks` every 100 ms is slow).
  const rows = (): { state: string; attempts: number }[] => {
    const db = new Database(path.join(dir, 'ci-medic.sqlite'), { readonly: true, fileMustExist: true });
    try {
      return db.prepare('SELECT state, attempts FROM tasks WHERE key = ?').all(key) as { state: string; attempts: number }[];
    } finally {
      db.close();
    }
  };
  const stateOf = () => rows().map((r) => r.state);

  let child: ChildService | undefined;
  t.teardown(() => child?.kill('SIGKILL'));
  for (let crash = 1; crash <= 3; crash++) {
    child = await spawnService(env);
    if (crash === 1) t.equal((await deliverWebhook(child.hookUrl, 'Merge Request Hook', hook(poison), { token: TEST_SECRET })).status, 202);
    await waitFor(() => stateOf().includes('running'), 20_000, () => `state ${stateOf().join(',')}`, 100);
    const attempts = rows().find((r) => r.state === 'running')?.attempts;
    t.equal(attempts, crash, `attempt ${crash} was counted (and stored) when it started`);
    await child.kill('SIGKILL');
  }

  child = await spawnService(env);
  const dead = cliTasks(dir, ['--state', 'dead']);
  t.same(dead.map((r) => r.key), [key], 'the poison task is a dead letter after the third crash');
  t.equal(dead[0]?.lastError, 'process died 3 times while running this task');

  fake.faults.clear();
  t.equal((await deliverWebhook(child.hookUrl, 'Merge Request Hook', hook(healthy), { token: TEST_SECRET })).status, 202);
  await waitFor(() => exactlyOnceProblems(fake, [healthy]).length === 0, 20_000, () => exactlyOnceProblems(fake, [healthy]).join('; '), 100);
  t.notOk(stateOf().includes('running'), 'the poison task is not run again');
  t.equal((await child.kill('SIGTERM')).code, 0);
});
