// The scale-out path end to end: the real service with REDIS_URL (BullMQ on a real Redis),
// webhooks over HTTP, the same comments exactly once as on SQLite.
import t from 'tap';
import { randomUUID } from 'node:crypto';
import { mergeRequestHook, pipelineHook } from '../fake-gitlab/index.js';
import { REGISTRY, seedWorld } from '../demo/world.js';
import { REDIS_URL, bullmqEngine, redisUnavailable } from '../queue/helpers.js';
import { diffThreads, harness, plainNotes } from './helpers.js';

t.test('MR review and pipeline diagnosis on the Redis queue: each comment once', async (t) => {
  const why = await redisUnavailable();
  if (why) return t.plan(0, why);
  const prefix = `cim-e2e-${randomUUID()}`;
  t.teardown(() => bullmqEngine.cleanup(prefix));
  const h = await harness(t, { seed: seedWorld, env: { REDIS_URL, REDIS_PREFIX: prefix } });
  t.equal(h.service.queue.engine, 'bullmq');

  const open = mergeRequestHook(REGISTRY.project, REGISTRY.mr, { action: 'open' });
  const failed = pipelineHook(REGISTRY.project, {
    id: REGISTRY.pipeline.id, sha: REGISTRY.mr.headSha, ref: REGISTRY.mr.sourceBranch, status: 'failed', mr: REGISTRY.mr,
    jobs: REGISTRY.pipeline.jobs.map((j) => ({ id: j.id, name: j.name, stage: j.stage, status: j.status })),
  });
  // A redelivery (same Idempotency-Key) and two deliveries at the same instant.
  const answers = await Promise.all([
    h.deliver('Merge Request Hook', open, { idempotencyKey: 'delivery-1' }),
    h.deliver('Merge Request Hook', open, { idempotencyKey: 'delivery-1' }),
    h.deliver('Merge Request Hook', open, { idempotencyKey: 'delivery-2' }),
  ]);
  t.same(answers.map((a) => a.status), [202, 202, 202]);
  await h.idle();
  t.equal((await h.deliver('Pipeline Hook', failed)).status, 202);
  await h.idle();

  t.equal(diffThreads(h, 42, 1).filter((d) => !d.notes[0]!.body.includes('ci-medic:diagnosis-fix')).length, 1, 'one review thread');
  const notes = plainNotes(h, 42, 1);
  t.equal(notes.filter((n) => n.body.includes('<!-- ci-medic:summary -->')).length, 1, 'one summary note');
  t.equal(notes.filter((n) => n.body.includes(`<!-- ci-medic:diagnosis pipeline=${REGISTRY.pipeline.id} -->`)).length, 1, 'one diagnosis note');
  t.match(notes.find((n) => n.body.includes('ci-medic:diagnosis'))!.body, 'registry-login-missing');
});
