// GitLab outages and rate limits through the real service and the fake GitLab: an outage that
// outlasts MAX_ATTEMPTS dead-letters nothing and every comment arrives after recovery; a 429's
// Retry-After is honoured by the queue, not only inside one request.
import t from 'tap';
import { startInProcess, TEST_SECRET } from '../helpers/service.js';
import { deliverAll, deliveriesFor, exactlyOnceProblems, seedManyMrs } from '../helpers/world.js';
import { mergeRequestHook, deliverWebhook } from '../fake-gitlab/index.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

t.test('a GitLab outage far longer than MAX_ATTEMPTS backoffs: nothing dead-lettered, every comment after recovery', async (t) => {
  let mrs: ReturnType<typeof seedManyMrs> = [];
  let attempts = 0;
  const h = await startInProcess(t, {
    // Two attempts would have been the whole budget before: the outage must not count against it.
    queue: { maxAttempts: 2, backoff: { baseMs: 20, maxMs: 150 } },
    seed: (fake) => { mrs = seedManyMrs(fake, { id: 83, path: 'acme/outage' }, 4, 2); },
    wrap: (handler) => async (task, attempt, ctx) => { attempts++; return handler(task, attempt, ctx); },
  });
  // GitLab is down: every API call answers 503 (or the connection drops) until it comes back.
  h.fake.faults.set({ fault: { kind: 'status', status: 503 }, rate: 1, seed: 1 });
  t.same(await deliverAll(h.hookUrl, TEST_SECRET, deliveriesFor(mrs, 1)), [], 'every delivery accepted during the outage');
  await sleep(2500);
  const during = await h.service.queue.stats();
  t.equal(during.dead, 0, 'nothing dead during the outage');
  t.ok(attempts > 2 * mrs.length, `tasks kept trying (${attempts} attempts)`);
  h.fake.faults.clear();
  const after = await h.idle(60_000);
  t.equal(after.dead, 0, 'nothing dead-lettered');
  t.same(await h.service.queue.list({ state: 'dead' }), []);
  t.same(exactlyOnceProblems(h.fake, mrs), [], 'every summary, thread and diagnosis exactly once after recovery');
});

t.test("a 429 with Retry-After beyond the client's own budget: the next attempt waits that long", async (t) => {
  let mrs: ReturnType<typeof seedManyMrs> = [];
  const starts: number[] = [];
  const h = await startInProcess(t, {
    queue: { backoff: { baseMs: 20, maxMs: 100 } },
    seed: (fake) => { mrs = seedManyMrs(fake, { id: 84, path: 'acme/ratelimit' }, 1, 99); },
    wrap: (handler) => async (task, attempt, ctx) => { starts.push(Date.now()); return handler(task, attempt, ctx); },
  });
  // The in-process client gives up on a call after 5 s of waiting: 6 s is the queue's to honour.
  h.fake.faults.set({ fault: { kind: 'status', status: 429, retryAfter: 6 }, count: 1 });
  const m = mrs[0]!;
  const res = await deliverWebhook(h.hookUrl, 'Merge Request Hook', mergeRequestHook(m.project, { iid: m.iid, sourceBranch: m.sourceBranch, headSha: m.heads.at(-1)! }, { action: 'open' }), { token: TEST_SECRET });
  t.equal(res.status, 202);
  await h.idle(30_000);
  t.equal(starts.length, 2, 'one failed attempt, one that succeeded');
  const gap = starts[1]! - starts[0]!;
  t.ok(gap >= 5_900, `second attempt ${gap} ms after the first (Retry-After: 6)`);
  t.same(exactlyOnceProblems(h.fake, mrs), []);
});
