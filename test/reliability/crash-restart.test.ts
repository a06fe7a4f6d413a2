// Crash safety: the real service (a child process) takes 200+ deliveries (resends included)
// across 40 MRs and 13 failed pipelines, is killed with SIGKILL mid-way, restarts on the same DATA_DIR, and in the end
// every expected comment exists exactly once on the fake GitLab.
import t from 'tap';
import { startFakeGitlab } from '../fake-gitlab/index.js';
import { TEST_SECRET, TEST_TOKEN, tempDir } from '../helpers/config.js';
import { cliTasks, cliUnavailable, metricsOf, sleep, spawnService, statsOf, waitFor, type ChildService } from '../helpers/child-service.js';
import { BOT_ID, deliverAll, deliveriesFor, exactlyOnceProblems, seedManyMrs, writeCount } from '../helpers/world.js';

const skip = cliUnavailable();

t.test('SIGKILL mid-way, restart on the same DATA_DIR: every comment exactly once', { skip }, async (t) => {
  const fake = await startFakeGitlab({ token: TEST_TOKEN, botUser: { id: BOT_ID, username: 'ci-medic' } });
  t.teardown(() => fake.close());
  const { dir, cleanup } = tempDir('cim-crash-');
  t.teardown(cleanup);
  const mrs = seedManyMrs(fake, { id: 70, path: 'acme/crash' }, 40, 3);
  const deliveries = deliveriesFor(mrs, 3);
  t.ok(deliveries.length >= 200, `${deliveries.length} deliveries`);
  t.equal(mrs.filter((m) => m.pipelineId !== undefined).length, 13, '13 failed pipelines');

  const env = {
    GITLAB_URL: fake.url, GITLAB_TOKEN: TEST_TOKEN, WEBHOOK_SECRET: TEST_SECRET, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir,
    BOT_USER_ID: String(BOT_ID), RECONCILE_INTERVAL_SECONDS: '0', RETRY_BASE_MS: '50', GITLAB_RETRY_BASE_MS: '10', MAX_ATTEMPTS: '10',
  };
  let child: ChildService | undefined = await spawnService(env);
  t.teardown(() => child?.kill('SIGKILL'));

  // First half of the deliveries, then a kill while tasks are running.
  const half = Math.floor(deliveries.length / 2);
  const lost = await deliverAll(child.hookUrl, TEST_SECRET, deliveries.slice(0, half));
  t.same(lost, [], 'the first half was accepted');
  await waitFor(() => writeCount(fake) >= 15, 20_000, () => `only ${writeCount(fake)} writes`, 5);
  const killed = await child.kill('SIGKILL');
  t.equal(killed.signal, 'SIGKILL');
  const writesAtKill = writeCount(fake);
  const pendingAtKill = statsOf(cliTasks(dir));
  t.ok(pendingAtKill.pending + pendingAtKill.running + pendingAtKill.failed > 0, `work was left behind: ${JSON.stringify(pendingAtKill)}`);

  // Deliveries attempted while it was down are refused (GitLab would log them as failed).
  const whileDown = await deliverAll(child.hookUrl, TEST_SECRET, deliveries.slice(half, half + 5));
  t.equal(whileDown.length, 5, 'nothing answers while the service is down');

  child = await spawnService(env);
  const rest = await deliverAll(child.hookUrl, TEST_SECRET, deliveries.slice(half));
  t.same(rest, [], 'the rest was accepted after the restart');

  // Idle: no task left to run and no GitLab write for a while.
  let last = -1;
  let quietSince = Date.now();
  await waitFor(async () => {
    const w = writeCount(fake);
    if (w !== last) {
      last = w;
      quietSince = Date.now();
    }
    const m = await metricsOf(child!.url);
    return m.tasks.pending + m.tasks.running + m.tasks.failed === 0 && Date.now() - quietSince > 700;
  }, 60_000, () => `writes ${writeCount(fake)}`, 200);
  await sleep(200);
  const records = cliTasks(dir);
  const stats = statsOf(records);
  t.same({ pending: stats.pending, running: stats.running, failed: stats.failed, dead: stats.dead }, { pending: 0, running: 0, failed: 0, dead: 0 }, '`ci-medic tasks` shows nothing pending');
  t.ok(writeCount(fake) > writesAtKill, 'work continued after the restart');

  const problems = exactlyOnceProblems(fake, mrs);
  t.same(problems, [], 'every summary, thread and diagnosis exactly once');
  const exit = await child.kill('SIGTERM');
  t.equal(exit.code, 0, 'clean exit on SIGTERM');
});
