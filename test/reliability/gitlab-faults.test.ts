// GitLab faults: with 429 (Retry-After), 500, 502, slow answers and dropped connections (before
// and after a write took effect) on a share of requests, every comment is still posted exactly
// once; a task that keeps failing ends as a visible dead letter (ci-medic tasks, /metrics).
import t from 'tap';
import { cliTasks, cliUnavailable, metricsOf } from '../helpers/child-service.js';
import { startInProcess, TEST_SECRET } from '../helpers/service.js';
import { deliverAll, deliveriesFor, exactlyOnceProblems, seedManyMrs } from '../helpers/world.js';
import { mergeRequestHook, deliverWebhook } from '../fake-gitlab/index.js';

t.test('faults on a share of requests: every comment exactly once', async (t) => {
  let mrs: ReturnType<typeof seedManyMrs> = [];
  const h = await startInProcess(t, { seed: (fake) => { mrs = seedManyMrs(fake, { id: 80, path: 'acme/faults' }, 16, 4); } });
  const f = h.fake.faults;
  f.set({ fault: { kind: 'status', status: 429, retryAfter: 1 }, rate: 0.2, count: 3, seed: 1 });
  f.set({ fault: { kind: 'status', status: 500 }, rate: 0.06, seed: 2 });
  f.set({ fault: { kind: 'status', status: 502 }, rate: 0.06, seed: 3 });
  f.set({ fault: { kind: 'delay', ms: 100 }, rate: 0.08, seed: 4 });
  f.set({ fault: { kind: 'drop' }, rate: 0.04, seed: 5 });
  // The write happens, the answer is lost: the bot must find its comment instead of posting again.
  f.set({ fault: { kind: 'drop', after: true }, method: 'POST', rate: 0.25, seed: 6 });
  f.set({ fault: { kind: 'drop', after: true }, method: 'PUT', rate: 0.25, seed: 7 });

  const lost = await deliverAll(h.hookUrl, TEST_SECRET, deliveriesFor(mrs));
  t.same(lost, []);
  await h.idle(60_000);
  for (const kind of ['429', '500', '502', 'delay', 'drop', 'drop-after']) t.ok((f.injected[kind] ?? 0) > 0, `${kind} injected ${f.injected[kind] ?? 0} times`);
  t.same(exactlyOnceProblems(h.fake, mrs), [], 'every summary, thread and diagnosis exactly once');
  t.same(await h.service.queue.list({ state: 'dead' }), [], 'nothing gave up');
});

t.test('a task GitLab keeps failing past RETRY_MAX_AGE_HOURS ends as a dead letter: listed by ci-medic tasks, counted in /metrics', async (t) => {
  let mrs: ReturnType<typeof seedManyMrs> = [];
  // MAX_ATTEMPTS does not bound GitLab outages: only the (here 1.5 s) max age does.
  const h = await startInProcess(t, { queue: { maxAttempts: 2, maxRetryAgeMs: 1500 }, seed: (fake) => { mrs = seedManyMrs(fake, { id: 81, path: 'acme/dead' }, 2, 99); } });
  // GitLab answers 500 to everything about MR !2, forever.
  h.fake.faults.set({ fault: { kind: 'status', status: 500 }, path: '/merge_requests/2', rate: 1 });
  for (const m of mrs) {
    const res = await deliverWebhook(h.hookUrl, 'Merge Request Hook', mergeRequestHook(m.project, { iid: m.iid, sourceBranch: m.sourceBranch, headSha: m.heads.at(-1)! }, { action: 'open' }), { token: TEST_SECRET });
    t.equal(res.status, 202);
  }
  await h.idle(30_000);
  const dead = await h.service.queue.list({ state: 'dead' });
  t.same(dead.map((r) => r.key), ['review-mr:81:2'], 'only the failing MR is dead');
  t.ok((dead[0]?.attempts ?? 0) > 2, `more attempts than MAX_ATTEMPTS: ${dead[0]?.attempts}`);
  t.match(dead[0]?.lastError, /gave up after \d+ s of failures \(\d+ attempts, RETRY_MAX_AGE_HOURS\).*500/);
  t.same(exactlyOnceProblems(h.fake, mrs.slice(0, 1)), [], 'the healthy MR was reviewed');

  const metrics = await metricsOf(h.service.url);
  t.equal(metrics.tasks.dead, 1, 'ci_medic_tasks{state="dead"} 1');
  t.equal(metrics.deadLetters, 1, 'ci_medic_dead_letters_total 1');

  const why = cliUnavailable();
  if (why) t.comment(`ci-medic tasks not run: ${why}`);
  else {
    const listed = cliTasks(h.dataDir, ['--state', 'dead']);
    t.same(listed.map((r) => [r.key, r.state]), [['review-mr:81:2', 'dead']], '`ci-medic tasks --state dead` lists it');
  }
});
