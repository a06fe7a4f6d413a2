// Graceful shutdown of the real service (a child process): SIGTERM while a task waits on a slow
// GitLab stops accepting, exits 0 within SHUTDOWN_TIMEOUT_SECONDS plus a margin, and after a
// restart the interrupted task completes with exactly one set of comments.
import t from 'tap';
import { startFakeGitlab } from '../fake-gitlab/index.js';
import { TEST_SECRET, TEST_TOKEN, tempDir } from '../helpers/config.js';
import { cliTasks, cliUnavailable, metricsOf, spawnService, statsOf, waitFor, type ChildService } from '../helpers/child-service.js';
import { BOT_ID, deliverAll, deliveriesFor, exactlyOnceProblems, seedManyMrs } from '../helpers/world.js';

const skip = cliUnavailable();

t.test('SIGTERM during work: exit 0 within the bound, the task completes after restart', { skip }, async (t) => {
  const fake = await startFakeGitlab({ token: TEST_TOKEN, botUser: { id: BOT_ID, username: 'ci-medic' } });
  t.teardown(() => fake.close());
  const { dir, cleanup } = tempDir('cim-term-');
  t.teardown(cleanup);
  const mrs = seedManyMrs(fake, { id: 95, path: 'acme/term' }, 2, 2);
  const env = {
    GITLAB_URL: fake.url, GITLAB_TOKEN: TEST_TOKEN, WEBHOOK_SECRET: TEST_SECRET, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir,
    BOT_USER_ID: String(BOT_ID), RECONCILE_INTERVAL_SECONDS: '0', RETRY_BASE_MS: '50', GITLAB_RETRY_BASE_MS: '10', SHUTDOWN_TIMEOUT_SECONDS: '1',
  };
  let child: ChildService | undefined = await spawnService(env);
  t.teardown(() => child?.kill('SIGKILL'));

  // Every GitLab answer takes 1.5 s (more than SHUTDOWN_TIMEOUT_SECONDS): the tasks are mid-flight when the signal arrives.
  fake.faults.set({ fault: { kind: 'delay', ms: 1500 }, rate: 1 });
  t.same(await deliverAll(child.hookUrl, TEST_SECRET, deliveriesFor(mrs)), []);
  await waitFor(() => fake.requests.length > 0, 10_000, () => 'no GitLab call yet', 20);
  const running = (await metricsOf(child.url)).tasks.running;
  t.ok(running > 0, `${running} task(s) running at SIGTERM`);

  const signalled = Date.now();
  const exit = await Promise.race([child.kill('SIGTERM'), new Promise<'hung'>((r) => setTimeout(() => r('hung'), 10_000))]);
  t.not(exit, 'hung', 'the process exited');
  if (exit !== 'hung') t.equal(exit.code, 0, 'exit code 0');
  t.ok(Date.now() - signalled < 1000 + 2000 + 2000, 'within SHUTDOWN_TIMEOUT_SECONDS plus the exit guard');
  t.ok(child.logs.some((l) => l.includes('shutdown: re-queued a running task')), 'the running task was re-queued, not dropped');
  const left = statsOf(cliTasks(dir));
  t.equal(left.running, 0, 'nothing is left marked running');
  t.ok(left.pending + left.failed > 0, `the interrupted work waits: ${JSON.stringify(left)}`);

  fake.faults.clear();
  child = await spawnService(env);
  await waitFor(async () => {
    const m = await metricsOf(child!.url);
    return m.tasks.pending + m.tasks.running + m.tasks.failed === 0;
  }, 30_000, () => 'queue not idle', 100);
  // A write the killed attempt had in flight may land late: give it a moment, then count.
  await new Promise((r) => setTimeout(r, 1600));
  t.same(exactlyOnceProblems(fake, mrs), [], 'every comment exactly once');
  const done = await child.kill('SIGTERM');
  t.equal(done.code, 0);
});
