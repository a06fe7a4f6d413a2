// Poison tasks, dead-letter retry, leases and project memory across replicas, bounded history and
// group commit, against both engines: SQLite (two handles on one file) and BullMQ on a real
// Redis (two engines on one prefix, as two replicas).
import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import Database from 'better-sqlite3';
import type { TaskQueue } from '../../src/queue/index.js';
import { withLease } from '../../src/queue/lease.js';
import { knownProjects, rememberProject } from '../../src/workflows/memory.js';
import { REDIS_URL, bullmqEngine, redisUnavailable, review, sleep, sqliteEngine, until } from './helpers.js';

const redisProblem = await redisUnavailable();

for (const engine of [sqliteEngine, bullmqEngine]) {
  const skip = engine.name === 'bullmq' ? redisProblem : undefined;
  t.test(`${engine.name} engine`, { skip }, async (t) => {
    type Tap = typeof t;
    /** Queues sharing one store (replicas, or one process across restarts). */
    const shared = (t2: Tap, options?: Parameters<typeof engine.open>[1]) => {
      const place = engine.newPlace();
      const opened: TaskQueue[] = [];
      t2.teardown(async () => {
        for (const q of opened) await q.close().catch(() => undefined);
        await engine.cleanup(place);
      });
      return { place, open: () => { const q = engine.open(place, options); opened.push(q); return q; } };
    };

    t.test('a task running at crashLimit crashes in a row is dead-lettered with the reason', async (t) => {
      const store = shared(t, { crashLimit: 3 });
      let runs = 0;
      const hang = async () => { runs++; await new Promise(() => undefined); };
      let q = store.open();
      await q.enqueue(review(1, 'poison'));
      for (let crash = 1; crash <= 3; crash++) {
        q.start(hang);
        await until(() => runs === crash, `run ${crash}`, 15_000);
        const [running] = await q.list({ state: 'running' });
        t.equal(running?.attempts, crash, `attempt ${crash} counted when it started`);
        await engine.crash(q);
        q = store.open();
      }
      const seen: string[] = [];
      q.start(async (task) => { seen.push(task.key); });
      await until(async () => (await q.list({ state: 'dead' })).length === 1, 'dead letter', 15_000);
      const [dead] = await q.list({ state: 'dead' });
      t.equal(dead?.key, 'review-mr:42:1');
      t.equal(dead?.lastError, 'process died 3 times while running this task');
      await q.enqueue(review(2, 'fine'));
      await until(() => seen.length === 1, 'other work runs');
      await sleep(100);
      t.same(seen, ['review-mr:42:2'], 'the poison task is not run again');
      t.equal(runs, 3);

      t.equal(await q.retryDead('review-mr:42:1'), 1, 'ci-medic tasks retry KEY re-queues it');
      await until(() => seen.includes('review-mr:42:1'), 'the retried dead letter runs', 15_000);
      await until(async () => (await q.list({ state: 'dead' })).length === 0, 'no dead letter left');
      t.equal(await q.retryDead(), 0, '--dead with nothing dead');
    });

    t.test('retryDead() without a key re-queues every dead letter, fresh attempts', async (t) => {
      const store = shared(t, { maxAttempts: 1 });
      const q = store.open();
      let fail = true;
      const ran: string[] = [];
      q.start(async (task) => { ran.push(task.key); if (fail) throw new Error('bug'); });
      await q.enqueue(review(3, 'a'));
      await q.enqueue(review(4, 'b'));
      await until(async () => (await q.stats()).dead === 2, 'two dead letters');
      fail = false;
      t.equal(await q.retryDead(), 2);
      await until(async () => (await q.stats()).done === 2, 'both done', 15_000);
      t.equal((await q.stats()).dead, 0);
    });

    t.test('a lease is held by one replica at a time, released only by its owner, freed by expiry', async (t) => {
      const store = shared(t);
      const a = store.open();
      const b = store.open();
      t.equal(await a.leases.tryAcquire('mr:42!1', 'owner-a', 5_000), true);
      t.equal(await b.leases.tryAcquire('mr:42!1', 'owner-b', 5_000), false, 'another replica cannot take it');
      await b.leases.release('mr:42!1', 'owner-b');
      t.equal(await b.leases.tryAcquire('mr:42!1', 'owner-b', 5_000), false, 'a non-owner release does nothing');
      t.equal(await b.leases.renew('mr:42!1', 'owner-b', 5_000), false, 'nor can it renew');
      await a.leases.release('mr:42!1', 'owner-a');
      t.equal(await b.leases.tryAcquire('mr:42!1', 'owner-b', 150), true, 'free after its owner released it');
      await sleep(250);
      t.equal(await a.leases.tryAcquire('mr:42!1', 'owner-a', 5_000), true, 'an expired lease (crashed holder) can be taken');
      t.equal(await b.leases.renew('mr:42!1', 'owner-b', 5_000), false, 'the old holder learns it lost it');

      // Work under withLease from two replicas never overlaps.
      let inside = 0;
      let overlap = false;
      const work = async () => { inside++; if (inside > 1) overlap = true; await sleep(15); inside--; };
      await Promise.all(Array.from({ length: 12 }, (_, i) => withLease((i % 2 ? a : b).leases, 'mr:42!2', { ttlMs: 5_000, pollMs: 5 }, work)));
      t.equal(overlap, false, 'never two holders at once');
    });

    t.test('project memory: concurrent updates from two replicas lose nothing', async (t) => {
      const store = shared(t);
      const a = store.open();
      const b = store.open();
      await Promise.all(Array.from({ length: 30 }, (_, i) => rememberProject(i % 2 ? a : b, 1000 + i)));
      t.same(await knownProjects(a), Array.from({ length: 30 }, (_, i) => 1000 + i), 'every project remembered');
      t.equal(await a.memory.update('k', (v) => `${v ?? ''}x`), 'x');
      t.equal(await b.memory.get('k'), 'x');
    });

    t.test('history is bounded by count and age; stats do not walk it', async (t) => {
      const store = shared(t, { historyMaxEntries: 5, pruneIntervalMs: 100 });
      const q = store.open();
      q.start(async () => undefined);
      for (let i = 1; i <= 20; i++) await q.enqueue(review(100 + i, 'x'));
      for (let i = 1; i <= 20; i++) await q.recordResult(`review-mr:42:${100 + i}`, 'x', 'reviewed');
      await until(async () => { const s = await q.stats(); return s.pending + s.running === 0 && s.done === 5; }, 'all done, pruned to 5', 15_000);
      t.equal((await q.list({ state: 'done', limit: 100 })).length, 5);
      await until(async () => !(await q.hasResult('review-mr:42:101', 'x')), 'old results pruned', 15_000);
      t.equal(await q.hasResult('review-mr:42:120', 'x'), true, 'the newest results stay');
      if (engine.name === 'bullmq') {
        const redis = new Redis(REDIS_URL);
        t.teardown(() => redis.disconnect());
        t.equal(await redis.scard(`${store.place}:keys`), 0, 'settled keys leave the active set (stats walk only live work)');
        t.equal(await redis.hlen(`${store.place}:done`), 5);
      }
    });

    t.test('group commit: one burst, one answer each; duplicates and merges inside a batch', async (t) => {
      const store = shared(t);
      const q = store.open();
      const answers = await Promise.all([
        q.enqueue(review(200, 'a'), { deliveryId: 'g-1' }),
        q.enqueue(review(200, 'a'), { deliveryId: 'g-1' }),
        q.enqueue(review(200, 'b'), { deliveryId: 'g-2' }),
        ...Array.from({ length: 50 }, (_, i) => q.enqueue(review(300 + i, 'c'), { deliveryId: `g-x${i}` })),
      ]);
      t.same(answers.slice(0, 3).map((a) => a.status), ['queued', 'duplicate', 'replaced']);
      t.equal(answers.slice(3).filter((a) => a.status === 'queued').length, 50);
      t.equal((await q.stats()).pending, 51);
    });
  });
}

t.test('SQLite: synchronous = FULL by default (accepted tasks survive power loss), NORMAL on request', async (t) => {
  const place = sqliteEngine.newPlace();
  t.teardown(() => sqliteEngine.cleanup(place));
  const full = sqliteEngine.open(place);
  await full.close();
  const { SqliteStore } = await import('../../src/queue/sqlite-store.js');
  const file = path.join(place, 'queue.sqlite');
  t.ok(fs.existsSync(file));
  const store = new SqliteStore(file);
  t.equal(store.db.pragma('synchronous', { simple: true }), 2, 'FULL');
  store.close();
  const normal = new SqliteStore(file, 'NORMAL');
  t.equal(normal.db.pragma('synchronous', { simple: true }), 1, 'NORMAL');
  normal.close();
  // An old file (no counters, no crash columns) is upgraded in place with its counts.
  const old = new Database(path.join(place, 'old.sqlite'));
  old.exec(`CREATE TABLE tasks (id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, kind TEXT NOT NULL, payload TEXT NOT NULL, state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, next_run_at INTEGER NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
    INSERT INTO tasks (key, kind, payload, state, next_run_at, created_at, updated_at) VALUES ('k', 'review-mr', '{}', 'done', 0, 0, 0);`);
  old.close();
  const upgraded = new SqliteStore(path.join(place, 'old.sqlite'));
  t.equal(upgraded.stats().done, 1);
  upgraded.close();
});
