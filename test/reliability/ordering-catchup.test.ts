// Ordering and races (simultaneous deliveries, one run per MR at a time, superseded heads) and
// catch-up (an MR changed while no webhook arrived is reviewed by the reconciler at start).
import t from 'tap';
import type { TaskHandler } from '../../src/queue/types.js';
import { deliverWebhook, mergeRequestHook } from '../fake-gitlab/index.js';
import { seedFile } from '../demo/world.js';
import { startInProcess, TEST_SECRET } from '../helpers/service.js';
import { BOT_ID, deliverAll, deliveriesFor, exactlyOnceProblems, hexSha, seedManyMrs, writeCount } from '../helpers/world.js';

const P = { id: 90, path: 'acme/races' };
const hook = (iid: number, head: string, action: 'open' | 'update' = 'open', oldrev?: string) =>
  mergeRequestHook(P, { iid, sourceBranch: `ci/push-${iid}`, headSha: head }, { action, ...(oldrev ? { oldrev } : {}) });

t.test('two identical deliveries at the same instant make one set of comments', async (t) => {
  let mrs: ReturnType<typeof seedManyMrs> = [];
  const h = await startInProcess(t, { seed: (fake) => { mrs = seedManyMrs(fake, P, 1, 99); } });
  const body = hook(1, mrs[0]!.heads[0]!);
  // Different delivery ids: the task key, not the Idempotency-Key, must collapse them.
  const res = await Promise.all([1, 2, 3].map((n) => deliverWebhook(h.hookUrl, 'Merge Request Hook', body, { token: TEST_SECRET, idempotencyKey: `same-instant-${n}` })));
  t.same(res.map((r) => r.status), [202, 202, 202]);
  await h.idle();
  t.same(exactlyOnceProblems(h.fake, mrs), []);
  t.equal(h.fake.calls('POST', '/notes').length, 1, 'one summary POST');
});

t.test('runs for one MR never overlap, while different MRs run in parallel', async (t) => {
  const running = new Map<string, number>();
  let maxPerKey = 0;
  let maxOverall = 0;
  let overall = 0;
  const wrap = (handler: TaskHandler): TaskHandler => async (task, attempt, ctx) => {
    const n = (running.get(task.key) ?? 0) + 1;
    running.set(task.key, n);
    overall++;
    maxPerKey = Math.max(maxPerKey, n);
    maxOverall = Math.max(maxOverall, overall);
    try {
      await new Promise((r) => setTimeout(r, 30));
      await handler(task, attempt, ctx);
    } finally {
      running.set(task.key, (running.get(task.key) ?? 1) - 1);
      overall--;
    }
  };
  let mrs: ReturnType<typeof seedManyMrs> = [];
  const h = await startInProcess(t, { wrap, seed: (fake) => { mrs = seedManyMrs(fake, P, 6, 2); } });
  // Bursts for the same MRs: each delivery gets its own id, so each may queue a run.
  const list = deliveriesFor(mrs).flatMap((d) => [1, 2, 3].map((n) => ({ ...d, key: `${d.key}-${n}` })));
  t.same(await deliverAll(h.hookUrl, TEST_SECRET, list, 12), []);
  await h.idle();
  t.equal(maxPerKey, 1, 'never two runs of one task key at once');
  t.ok(maxOverall > 1, `different MRs ran in parallel (${maxOverall} at once)`);
  t.same(exactlyOnceProblems(h.fake, mrs), []);
});

t.test('a review of a head superseded by a newer push is skipped: only the newest head is reviewed', async (t) => {
  let mrs: ReturnType<typeof seedManyMrs> = [];
  const h = await startInProcess(t, { seed: (fake) => { mrs = seedManyMrs(fake, P, 2, 99); } });
  const m = mrs[1]!; // has two heads: the second push happened before ci-medic saw the first
  const [old, newest] = [m.heads[0]!, m.heads[1]!];
  t.equal((await deliverWebhook(h.hookUrl, 'Merge Request Hook', hook(2, old), { token: TEST_SECRET })).status, 202);
  await h.idle();
  t.equal((await deliverWebhook(h.hookUrl, 'Merge Request Hook', hook(2, newest, 'update', old), { token: TEST_SECRET })).status, 202);
  await h.idle();
  const written = h.fake.requests.filter((r) => r.method !== 'GET').map((r) => JSON.stringify(r.body));
  t.notOk(written.some((b) => b.includes(old.slice(0, 8))), 'nothing was ever posted about the old head');
  t.ok(written.some((b) => b.includes(newest.slice(0, 8))), 'the newest head was reviewed');
  t.equal(h.fake.calls('PUT', '/notes/').length, 0, 'the summary was never rewritten (one review in all)');
  t.ok(await h.service.queue.hasResult('review-mr:90:2', newest));
  t.notOk(await h.service.queue.hasResult('review-mr:90:2', old), 'no result recorded for the old head');
  t.same(exactlyOnceProblems(h.fake, [m]), []);
});

t.test('catch-up: a push made while no webhook arrived is reviewed by the reconciler at start', async (t) => {
  let mrs: ReturnType<typeof seedManyMrs> = [];
  const first = await startInProcess(t, { env: { ALLOWED_PROJECTS: String(P.id) }, seed: (fake) => { mrs = seedManyMrs(fake, P, 3, 1); } });
  // MR !1 is reviewed through its webhook; then the hook fails (GitLab drops events)...
  t.equal((await deliverWebhook(first.hookUrl, 'Merge Request Hook', hook(1, mrs[0]!.heads[0]!), { token: TEST_SECRET })).status, 202);
  await first.idle();
  await first.service.stop();
  const before = writeCount(first.fake);
  // ...while MR !1 gets a new push and MRs !2, !3 (and their failed pipelines) never reach the bot.
  const pushed = hexSha('catch-up-push');
  first.fake.addMrVersion({ project: P.id, iid: 1, headSha: pushed, files: [{ path: '.gitlab-ci.yml', newText: `${seedFile('registry-login.gitlab-ci.yml')}# pushed while the hook was failing\n` }] });
  mrs[0]!.heads.push(pushed);
  mrs[0]!.pipelineId = undefined; // its pipeline ran on the old head
  const again = await startInProcess(t, { fake: first.fake, dataDir: first.dataDir, reconciler: true, env: { ALLOWED_PROJECTS: String(P.id) } });
  await new Promise((r) => setTimeout(r, 300));
  await again.idle();
  t.ok(writeCount(again.fake) > before, 'the reconciler did work with no webhook');
  t.same(exactlyOnceProblems(again.fake, mrs), [], 'every MR reviewed at its newest head, failed pipelines diagnosed, nothing twice');
  t.ok(again.fake.notes(P.id, 1).some((n) => n.author.id === BOT_ID && n.body.includes(pushed.slice(0, 8))), 'the summary names the pushed head');
});
