// Two replicas of the real service on one Redis (BullMQ engine, one prefix) and one fake GitLab:
// reviews go to one replica and diagnoses of the same MRs to the other, at the same time, with
// slow GitLab answers widening every race. The per-MR lease lives in Redis, so both never work
// on one MR at once, and every comment exists exactly once.
import t from 'tap';
import { randomUUID } from 'node:crypto';
import { startFakeGitlab } from '../fake-gitlab/index.js';
import { bullmqEngine, REDIS_URL, redisUnavailable } from '../queue/helpers.js';
import { TEST_TOKEN } from '../helpers/config.js';
import { startInProcess, TEST_SECRET } from '../helpers/service.js';
import { BOT_ID, deliverAll, deliveriesFor, exactlyOnceProblems, seedManyMrs } from '../helpers/world.js';

t.test('a review on one replica and a diagnosis on another of the same MR never run together; each comment once', async (t) => {
  const why = await redisUnavailable();
  if (why) return t.plan(0, why);
  const prefix = `cim-replicas-${randomUUID()}`;
  t.teardown(() => bullmqEngine.cleanup(prefix));
  const fake = await startFakeGitlab({ token: TEST_TOKEN, botUser: { id: BOT_ID, username: 'ci-medic' } });
  t.teardown(() => fake.close());
  const mrs = seedManyMrs(fake, { id: 87, path: 'acme/replicas' }, 6, 1);
  fake.faults.set({ fault: { kind: 'delay', ms: 40 }, method: 'GET', rate: 0.5, seed: 9 });

  // Current lease holders, `name:owner`, across both replicas.
  const active = new Map<string, number>();
  let overlaps = 0;
  const env = { REDIS_URL, REDIS_PREFIX: prefix };
  const a = await startInProcess(t, { fake, env });
  const b = await startInProcess(t, { fake, env });
  // Observe the lease itself: two holders of one MR's lease at once is the failure.
  for (const q of [a.service.queue, b.service.queue]) {
    const leases = q.leases;
    const acquire = leases.tryAcquire.bind(leases);
    const release = leases.release.bind(leases);
    leases.tryAcquire = async (name, owner, ttl) => {
      const got = await acquire(name, owner, ttl);
      if (got && !active.has(`${name}:${owner}`)) {
        const holders = [...active.keys()].filter((k) => k.startsWith(`${name}:`)).length;
        if (holders > 0) overlaps++;
        active.set(`${name}:${owner}`, 1);
      }
      return got;
    };
    leases.release = async (name, owner) => { active.delete(`${name}:${owner}`); return release(name, owner); };
  }

  const all = deliveriesFor(mrs, 1);
  const reviews = all.filter((d) => d.event === 'Merge Request Hook');
  const pipelines = all.filter((d) => d.event === 'Pipeline Hook');
  t.ok(pipelines.length >= 6, `${pipelines.length} failed pipelines`);
  const lost = await Promise.all([deliverAll(a.hookUrl, TEST_SECRET, reviews), deliverAll(b.hookUrl, TEST_SECRET, pipelines)]);
  t.same(lost.flat(), [], 'every delivery accepted');
  await a.idle(60_000);
  await b.idle(60_000);
  t.equal(overlaps, 0, 'never two holders of one MR lease');
  t.same(exactlyOnceProblems(fake, mrs), [], 'every summary, thread and diagnosis exactly once');
});
