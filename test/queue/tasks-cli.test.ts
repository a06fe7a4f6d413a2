// `ci-medic tasks` and `ci-medic serve` argument/config handling, run in-process.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import t from 'tap';
import type { CliIo } from '../../src/cli/io.js';
import { tasks } from '../../src/cli/tasks.js';
import { SqliteQueue } from '../../src/queue/index.js';
import { review, until } from './helpers.js';

function io(env: NodeJS.ProcessEnv): { io: CliIo; out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) => new Writable({ write(chunk, _e, cb) { into.push(String(chunk)); cb(); } });
  return { io: { stdout: sink(out), stderr: sink(err), stdin: new PassThrough(), cwd: process.cwd(), env }, out: () => out.join(''), err: () => err.join('') };
}

t.test('lists tasks by state, as text and JSON', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cim-tasks-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const queue = new SqliteQueue(path.join(dir, 'ci-medic.sqlite'), { maxAttempts: 1, pollIntervalMs: 10 });
  await queue.enqueue(review(1, 'a'));
  queue.start(async () => { throw new Error('GitLab answered 500'); });
  await until(async () => (await queue.stats()).dead === 1, 'dead letter');
  await queue.stop(0);
  await queue.enqueue(review(2, 'b'));
  await queue.close();

  const all = io({ DATA_DIR: dir });
  t.equal(await tasks([], all.io), 0);
  t.match(all.out(), /^STATE\s+KEY\s+ATTEMPTS\s+NEXT RUN\s+LAST ERROR\n/);
  t.match(all.out(), /dead\s+review-mr:42:1\s+1\s+-\s+gave up after 1 attempts: GitLab answered 500/);
  t.match(all.out(), /pending\s+review-mr:42:2\s+0\s+\d{4}-\d\d-\d\dT/);

  const dead = io({ DATA_DIR: dir });
  t.equal(await tasks(['--state', 'dead', '--format=json'], dead.io), 0);
  const records = JSON.parse(dead.out()) as { key: string; state: string; lastError: string }[];
  t.same(records.map((r) => [r.key, r.state]), [['review-mr:42:1', 'dead']]);

  const none = io({ DATA_DIR: dir });
  await tasks(['--state', 'running'], none.io);
  t.equal(none.out(), 'no tasks\n');
});

t.test('usage and config errors', async (t) => {
  await t.rejects(tasks(['--state', 'stuck'], io({}).io), { code: 'CIM_ERR_USAGE' });
  await t.rejects(tasks(['--format', 'xml'], io({}).io), { code: 'CIM_ERR_USAGE' });
  await t.rejects(tasks(['--bogus'], io({}).io), { code: 'CIM_ERR_USAGE' });
  const bad = io({ REDIS_URL: 'localhost:6379' });
  t.equal(await tasks([], bad.io), 1);
  t.equal(bad.err(), 'ci-medic: REDIS_URL must be a redis:// or rediss:// URL\n');
});

t.test('tasks retry KEY|--dead re-queues dead letters', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cim-tasks-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const queue = new SqliteQueue(path.join(dir, 'ci-medic.sqlite'), { maxAttempts: 1, pollIntervalMs: 10 });
  await queue.enqueue(review(1, 'a'));
  await queue.enqueue(review(2, 'b'));
  queue.start(async () => { throw new Error('a bug'); });
  await until(async () => (await queue.stats()).dead === 2, 'dead letters');
  await queue.close();

  const one = io({ DATA_DIR: dir });
  t.equal(await tasks(['retry', 'review-mr:42:1'], one.io), 0);
  t.equal(one.out(), 're-queued 1 dead letter\n');
  const after = io({ DATA_DIR: dir });
  await tasks(['--format', 'json'], after.io);
  const states = (JSON.parse(after.out()) as { key: string; state: string; attempts: number }[]).map((r) => [r.key, r.state, r.attempts]).sort();
  t.same(states, [['review-mr:42:1', 'pending', 0], ['review-mr:42:2', 'dead', 1]], 'KEY is pending again with fresh attempts; the other stays dead');

  const all = io({ DATA_DIR: dir });
  t.equal(await tasks(['retry', '--dead'], all.io), 0);
  t.equal(all.out(), 're-queued 1 dead letter\n');
  const none = io({ DATA_DIR: dir });
  t.equal(await tasks(['retry', '--dead'], none.io), 1);
  t.equal(none.err(), 'ci-medic: no dead letters\n');
  const missing = io({ DATA_DIR: dir });
  t.equal(await tasks(['retry', 'review-mr:42:9'], missing.io), 1);
  t.equal(missing.err(), 'ci-medic: no dead letter for review-mr:42:9\n');
  await t.rejects(tasks(['retry'], io({ DATA_DIR: dir }).io), { code: 'CIM_ERR_USAGE' });
  await t.rejects(tasks(['retry', '--all'], io({ DATA_DIR: dir }).io), { code: 'CIM_ERR_USAGE' });
});
