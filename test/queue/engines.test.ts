// The queue contract, run against both engines: SQLite, and BullMQ on a real Redis.
import t from 'tap';
import type { Task } from '../../src/events/types.js';
import type { TaskQueue } from '../../src/queue/index.js';
import { bullmqEngine, diagnose, gate, redisUnavailable, review, sleep, sqliteEngine, until, type EngineFactory } from './helpers.js';

const redisProblem = await redisUnavailable();

for (const engine of [sqliteEngine, bullmqEngine]) {
  const skip = engine.name === 'bullmq' ? redisProblem : undefined;
  t.test(`${engine.name} engine`, { skip }, async (t) => {
    const open = (t2: Tap, options?: Parameters<EngineFactory['open']>[1]) => {
      const place = engine.newPlace();
      const queue = engine.open(place, options);
      t2.teardown(async () => {
        await queue.close();
        await engine.cleanup(place);
      });
      return { queue, place };
    };
    type Tap = typeof t;
    /** One store opened twice, as across a restart: `first` and `second` share `place`. */
    const restartable = (t2: Tap) => {
      const place = engine.newPlace();
      let second: TaskQueue | undefined;
      t2.teardown(async () => {
        await second?.close();
        await engine.cleanup(place);
      });
      return { first: engine.open(place), reopen: () => (second = engine.open(place)) };
    };

    t.test('runs a task once and records it done', async (t) => {
      const { queue } = open(t);
      const seen: [Task, number][] = [];
      queue.start(async (task, attempt) => { seen.push([task, attempt]); });
      t.same(await queue.enqueue(review(1, 'a1')), { status: 'queued', key: 'review-mr:42:1' });
      await until(() => seen.length === 1, 'the run');
      await until(async () => (await queue.list({ state: 'done' })).length === 1, 'done record');
      t.equal(seen[0]?.[1], 1, 'first attempt is numbered 1');
      t.same((await queue.stats()).done, 1);
      t.equal(await queue.ping(), true);
    });

    t.test('a repeated delivery id is a no-op; a new id for a waiting key replaces its payload', async (t) => {
      const { queue } = open(t);
      t.equal((await queue.enqueue(review(2, 'old'), { deliveryId: 'd-1' })).status, 'queued');
      t.equal((await queue.enqueue(review(2, 'old'), { deliveryId: 'd-1' })).status, 'duplicate');
      t.equal((await queue.enqueue(review(2, 'new'), { deliveryId: 'd-2' })).status, 'replaced');
      const waiting = await queue.list({ key: 'review-mr:42:2' });
      t.equal(waiting.length, 1, 'one entry for the key');
      t.equal((waiting[0]?.task as { headSha: string }).headSha, 'new', 'newest head SHA wins');
      const seen: string[] = [];
      queue.start(async (task) => { seen.push((task as { headSha: string }).headSha); });
      await until(() => seen.length === 1, 'the run');
      await sleep(60);
      t.same(seen, ['new'], 'the old SHA is never reviewed');
    });

    t.test('diagnose-pipeline events merge their failed jobs', async (t) => {
      const { queue } = open(t);
      await queue.enqueue(diagnose(9001, [3]));
      await queue.enqueue(diagnose(9001, [1, 3]));
      t.equal((await queue.enqueue(diagnose(9001, [2]))).status, 'replaced');
      const seen: number[][] = [];
      queue.start(async (task) => { if (task.kind === 'diagnose-pipeline') seen.push(task.failedJobs.map((j) => j.id)); });
      await until(() => seen.length === 1, 'the run');
      t.same(seen, [[1, 2, 3]]);
    });

    t.test('the same key never runs twice at once; an event during a run runs after it', async (t) => {
      const { queue } = open(t);
      const active = new Map<string, number>();
      let overlaps = 0;
      const runs: string[] = [];
      const first = gate();
      queue.start(async (task) => {
        const n = (active.get(task.key) ?? 0) + 1;
        active.set(task.key, n);
        if (n > 1) overlaps++;
        runs.push(`${task.key}@${(task as { headSha: string }).headSha}`);
        if (runs.length === 1) await first.promise;
        else await sleep(2);
        active.set(task.key, (active.get(task.key) ?? 1) - 1);
      });
      await queue.enqueue(review(3, 's1'));
      await until(() => runs.length === 1, 'first run to start');
      t.equal((await queue.enqueue(review(3, 's2'))).status, 'queued', 'a running key gets a new waiting entry');
      t.equal((await queue.enqueue(review(3, 's3'))).status, 'replaced');
      await queue.enqueue(review(4, 'other'));
      await until(() => runs.includes('review-mr:42:4@other'), 'another key runs meanwhile');
      await sleep(50);
      t.notOk(runs.includes('review-mr:42:3@s3'), 'waits while the key is running');
      const states = (await queue.list({ key: 'review-mr:42:3' })).map((r) => r.state).sort();
      t.same(states, ['pending', 'running']);
      first.open();
      await until(() => runs.includes('review-mr:42:3@s3'), 'the follow-up run');
      // Many concurrent events for few keys.
      await Promise.all(Array.from({ length: 30 }, (_, i) => queue.enqueue(review(10 + (i % 3), `x${i}`))));
      await until(async () => (await queue.stats()).pending + (await queue.stats()).running === 0, 'drain');
      t.equal(overlaps, 0, 'no overlapping runs of one key');
      t.notOk(runs.includes('review-mr:42:3@s2'), 'superseded payload never ran');
    });

    t.test('retries with backoff, honouring retryAfterMs', async (t) => {
      const { queue } = open(t, { maxAttempts: 5 });
      const times: number[] = [];
      queue.start(async (_task, attempt) => {
        times.push(Date.now());
        if (attempt === 1) throw Object.assign(new Error('429 Too Many Requests'), { retryAfterMs: 250 });
        if (attempt === 2) throw new Error('502 Bad Gateway');
      });
      await queue.enqueue(review(5, 'r'));
      await until(() => times.length >= 2, 'the retry after retryAfterMs');
      t.ok((times[1] ?? 0) - (times[0] ?? 0) >= 240, 'second attempt waited for retryAfterMs');
      const failed = await queue.list({ state: 'failed' });
      if (failed.length === 1) t.match(failed[0]?.lastError, /502|429/, 'failed entry keeps its last error');
      await until(() => times.length >= 3, 'the third attempt');
      await until(async () => (await queue.list({ state: 'done' })).length === 1, 'done');
      t.equal((await queue.list({ state: 'done' }))[0]?.attempts, 3);
    });

    t.test('dead letter after maxAttempts, and at once for retryable === false', async (t) => {
      const { queue } = open(t, { maxAttempts: 3 });
      const settled: string[] = [];
      queue.observe((e) => settled.push(`${e.key}:${e.outcome}`));
      const attempts = new Map<string, number>();
      queue.start(async (task) => {
        attempts.set(task.key, (attempts.get(task.key) ?? 0) + 1);
        if (task.key.endsWith(':6')) throw new Error('GitLab keeps failing');
        throw Object.assign(new Error('MR not found'), { retryable: false });
      });
      await queue.enqueue(review(6, 'd'));
      await queue.enqueue(review(7, 'd'));
      await until(async () => (await queue.list({ state: 'dead' })).length === 2, 'two dead letters');
      const dead = await queue.list({ state: 'dead' });
      const byKey = Object.fromEntries(dead.map((r) => [r.key, r]));
      t.match(byKey['review-mr:42:6']?.lastError, /gave up after 3 attempts: GitLab keeps failing/);
      t.match(byKey['review-mr:42:7']?.lastError, /not retryable: MR not found/);
      t.equal(attempts.get('review-mr:42:6'), 3);
      t.equal(attempts.get('review-mr:42:7'), 1);
      t.equal((await queue.stats()).dead, 2);
      t.ok(settled.includes('review-mr:42:6:dead') && settled.includes('review-mr:42:7:dead'), 'observers hear of dead letters');
      await sleep(60);
      t.equal(attempts.get('review-mr:42:6'), 3, 'a dead task is not run again');
    });

    t.test('a task left running by a crash runs again after restart', async (t) => {
      const { first, reopen } = restartable(t);
      const started: string[] = [];
      first.start(async (task) => { started.push(task.key); await new Promise(() => undefined); });
      await first.enqueue(review(8, 'crash'));
      await first.enqueue(review(9, 'waiting'));
      await until(() => started.length === 2, 'both running');
      await first.enqueue(review(9, 'newer'));
      await engine.crash(first);

      const second = reopen();
      const rerun: string[] = [];
      second.start(async (task) => { rerun.push(`${task.key}@${(task as { headSha: string }).headSha}`); });
      await until(() => rerun.length >= 2, 'interrupted tasks to run again', 15_000);
      await until(async () => (await second.stats()).running + (await second.stats()).pending === 0, 'drain');
      t.ok(rerun.includes('review-mr:42:8@crash'), 'the interrupted task ran');
      t.ok(rerun.includes('review-mr:42:9@newer'), 'the newer payload for an interrupted key ran');
      t.notOk(rerun.includes('review-mr:42:9@waiting'), 'and superseded the interrupted one');
    });

    t.test('graceful stop re-queues what did not finish in time', async (t) => {
      const { first, reopen } = restartable(t);
      let aborted = false;
      const started: string[] = [];
      first.start(async (task, _attempt, ctx) => {
        started.push(task.key);
        await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => { aborted = true; resolve(); }));
      });
      await first.enqueue(review(20, 'slow'));
      await until(() => started.length === 1, 'the run');
      await first.stop(50);
      t.ok(aborted, 'the handler was told through its signal');
      const waiting = await first.list({ key: 'review-mr:42:20' });
      t.same(waiting.map((r) => [r.state, r.attempts]), [['pending', 0]], 'back to pending, attempt not counted');
      await first.close();
      const second = reopen();
      const ran: string[] = [];
      second.start(async (task) => { ran.push(task.key); });
      await until(() => ran.length === 1, 'the re-queued task after restart');
    });

    t.test('results remember handled refs', async (t) => {
      const { queue } = open(t);
      t.equal(await queue.hasResult('review-mr:42:1', 'abc'), false);
      await queue.recordResult('review-mr:42:1', 'abc', 'reviewed');
      t.equal(await queue.hasResult('review-mr:42:1', 'abc'), true);
      t.equal(await queue.hasResult('review-mr:42:1', 'abd'), false, 'another SHA is not handled');
      t.equal(await queue.getResult('review-mr:42:1', 'abc'), 'reviewed');
      await queue.recordResult('review-mr:42:1', 'abc', 'superseded');
      t.equal(await queue.getResult('review-mr:42:1', 'abc'), 'superseded');
    });
  });
}
