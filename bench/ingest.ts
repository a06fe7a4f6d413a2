// Webhook ingest: Merge Request Hooks of ~5 KB, a new Idempotency-Key each, 10 connections, sent
// by a load generator in a worker thread to (1) a bare fastify route that parses the JSON and
// answers 202 — the baseline — and (2) the real service on SQLite (synchronous = FULL, group
// commit: each 202 after its batch is durable), in the same run. Also: the cost of the
// Idempotency-Key lookup with a million stored deliveries, against an empty table.
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Fastify from 'fastify';
import { repoRoot } from '../src/analysis/rules/load-files.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { SqliteStore } from '../src/queue/sqlite-store.js';
import { startService } from '../src/service.js';
import { mergeRequestHook } from '../test/fake-gitlab/payloads.js';
import { percentile, type BenchResult } from './format.js';
import type { LoadResult, LoadSpec } from './ingest-load.js';

const SECRET = 'bench-secret';
const TARGET_BYTES = 5 * 1024;

function bodies(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const hook = mergeRequestHook(
      { id: 1 + (i % 50), path: `bench/p${i % 50}` },
      { iid: 1 + (i % 200), sourceBranch: 'feature', headSha: i.toString(16).padStart(40, 'a') },
      { action: 'open' },
    ) as { object_attributes?: Record<string, unknown> };
    const size = Buffer.byteLength(JSON.stringify(hook));
    if (hook.object_attributes) hook.object_attributes.description = 'x'.repeat(Math.max(0, TARGET_BYTES - size - 20));
    return JSON.stringify(hook);
  });
}

function load(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./ingest-load.js', import.meta.url), { workerData: spec });
    worker.once('message', (m: LoadResult | { error: string }) => { void worker.terminate(); if ('error' in m) reject(new Error(m.error)); else resolve(m); });
    worker.once('error', reject);
  });
}

async function bareBaseline(spec: Omit<LoadSpec, 'url'>): Promise<LoadResult> {
  const app = Fastify({ logger: false, bodyLimit: 25 * 1024 * 1024 });
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.post('/webhooks/gitlab', async (request, reply) => {
    JSON.parse((request.body as Buffer).toString('utf8'));
    return reply.code(202).send({ status: 'queued' });
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    return await load({ ...spec, url: `${url}/webhooks/gitlab` });
  } finally {
    await app.close();
  }
}

async function service(spec: Omit<LoadSpec, 'url'>): Promise<LoadResult> {
  const dataDir = fs.mkdtempSync(path.join(tmpdir(), 'ci-medic-bench-'));
  const config = loadConfig({
    GITLAB_URL: 'http://127.0.0.1:9', GITLAB_TOKEN: 'bench', WEBHOOK_SECRET: SECRET,
    PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, RECONCILE_INTERVAL_SECONDS: '0', LOG_LEVEL: 'silent',
    // The bench measures the default (FULL); SQLITE_SYNCHRONOUS=NORMAL shows what fsync costs.
    SQLITE_SYNCHRONOUS: process.env.SQLITE_SYNCHRONOUS ?? 'FULL',
  });
  const running = await startService(config, { logger: createLogger({ level: 'silent' }) });
  try {
    return await load({ ...spec, url: `${running.url}/webhooks/gitlab` });
  } finally {
    await running.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** µs per Idempotency-Key lookup (a resent delivery) and per new delivery, at `stored` deliveries. */
function lookupCost(stored: number, probes: number): { lookupUs: number; insertUs: number } {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'ci-medic-bench-ids-'));
  const store = new SqliteStore(path.join(dir, 'q.sqlite'));
  try {
    const now = Date.now();
    const insert = store.db.prepare('INSERT INTO deliveries (id, key, received_at) VALUES (?, ?, ?)');
    store.db.transaction(() => { for (let i = 0; i < stored; i++) insert.run(`old-${i.toString(36)}-${(i * 2654435761) % 1e9}`, 'k', now); })();
    const task = { kind: 'review-mr' as const, key: 'review-mr:1:1', projectId: 1, mrIid: 1, headSha: 'a'.repeat(40), trigger: 'open' as const };
    const items = (prefix: string) => Array.from({ length: probes }, (_, i) => ({ task, deliveryId: `${prefix}-${(i * 40503) % 1e9}-${i}` }));
    const fresh = items('new');
    let t0 = process.hrtime.bigint();
    for (let i = 0; i < fresh.length; i += 100) store.enqueueMany(fresh.slice(i, i + 100), now);
    const insertUs = Number(process.hrtime.bigint() - t0) / 1e3 / probes;
    t0 = process.hrtime.bigint();
    for (let i = 0; i < fresh.length; i += 100) store.enqueueMany(fresh.slice(i, i + 100), now);
    const lookupUs = Number(process.hrtime.bigint() - t0) / 1e3 / probes;
    return { lookupUs, insertUs };
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Adds `figures` under `name` to bench/results.json, keeping what other benches wrote. */
function recordResults(name: string, figures: Record<string, unknown>): void {
  const file = path.join(repoRoot(), 'bench', 'results.json');
  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch { /* first run */ }
  all[name] = figures;
  fs.writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
}

export async function benchIngest(requests = 20_000, connections = 10, storedDeliveries = 1_000_000): Promise<BenchResult> {
  const sample = bodies(200);
  const spec = {
    connections, requests, bodies: sample, keyPrefix: `bench-${Date.now()}`,
    headers: { 'content-type': 'application/json', 'x-gitlab-event': 'Merge Request Hook', 'x-gitlab-token': SECRET },
  };
  // Warm both up (JIT, SQLite page cache) before the measured runs.
  await bareBaseline({ ...spec, requests: Math.min(2000, requests) });
  const bare = await bareBaseline(spec);
  await service({ ...spec, requests: Math.min(2000, requests), keyPrefix: `${spec.keyPrefix}-warm` });
  const ours = await service(spec);
  const empty = lookupCost(0, 20_000);
  const million = lookupCost(storedDeliveries, 20_000);
  const rate = (r: LoadResult) => requests / r.seconds;
  const figures = {
    date: new Date().toISOString(),
    node: process.version,
    bodyBytes: Buffer.byteLength(sample[0]!),
    connections,
    requests,
    bareReqPerSec: Math.round(rate(bare)),
    bareP99Ms: Number(percentile(bare.latenciesMs, 99).toFixed(2)),
    ciMedicReqPerSec: Math.round(rate(ours)),
    ciMedicP50Ms: Number(percentile(ours.latenciesMs, 50).toFixed(2)),
    ciMedicP99Ms: Number(percentile(ours.latenciesMs, 99).toFixed(2)),
    ratioToBare: Number((rate(ours) / rate(bare)).toFixed(2)),
    non202: ours.non202 + bare.non202,
    idempotencyLookupUsEmpty: Number(empty.lookupUs.toFixed(2)),
    idempotencyLookupUsAtStored: Number(million.lookupUs.toFixed(2)),
    newDeliveryUsEmpty: Number(empty.insertUs.toFixed(2)),
    newDeliveryUsAtStored: Number(million.insertUs.toFixed(2)),
    storedDeliveries,
  };
  recordResults('ingest', figures);
  return {
    name: `webhook ingest (${requests} Merge Request Hooks of ${(figures.bodyBytes / 1024).toFixed(1)} KB, ${connections} connections, new Idempotency-Key each, SQLite synchronous=FULL)`,
    figures: {
      'bare fastify': `${figures.bareReqPerSec} req/s, p99 ${figures.bareP99Ms} ms`,
      'ci-medic': `${figures.ciMedicReqPerSec} req/s, p50 ${figures.ciMedicP50Ms} ms, p99 ${figures.ciMedicP99Ms} ms`,
      'ratio to bare': `${figures.ratioToBare}x (target >= 0.8x, p99 <= 20 ms)`,
      'non-202 answers': String(figures.non202),
      'key lookup': `${figures.idempotencyLookupUsEmpty} us empty, ${figures.idempotencyLookupUsAtStored} us at ${storedDeliveries} deliveries`,
      'new delivery': `${figures.newDeliveryUsEmpty} us empty, ${figures.newDeliveryUsAtStored} us at ${storedDeliveries} deliveries`,
    },
  };
}
