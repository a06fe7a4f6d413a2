// Webhook ingress: real HTTP POSTs of Merge Request Hooks to the real service on SQLite,
// answered 202 after the durable insert. Tasks are stored but no handler runs, so the figure
// is the ingress path alone (parse, verify, classify, insert).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startService } from '../src/service.js';
import { mergeRequestHook } from '../test/fake-gitlab/payloads.js';
import { percentile, type BenchResult } from './format.js';

export async function benchIngress(requests: number, concurrency: number): Promise<BenchResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ci-medic-bench-'));
  const config = loadConfig({
    GITLAB_URL: 'http://127.0.0.1:9', GITLAB_TOKEN: 'bench', WEBHOOK_SECRET: 'bench-secret',
    PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, RECONCILE_INTERVAL_SECONDS: '0', LOG_LEVEL: 'silent',
  });
  const service = await startService(config, { logger: createLogger({ level: 'silent' }) });
  const latencies: number[] = [];
  let statusErrors = 0;
  let next = 0;
  const bodyFor = (i: number) => JSON.stringify(mergeRequestHook(
    { id: 1 + (i % 50), path: `bench/p${i % 50}` },
    { iid: 1 + (i % 200), sourceBranch: 'feature', headSha: i.toString(16).padStart(40, 'a') },
    { action: 'open' },
  ));
  const bodySize = Buffer.byteLength(bodyFor(0));
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < requests) {
      const i = next++;
      const t0 = process.hrtime.bigint();
      const res = await fetch(`${service.url}/webhooks/gitlab`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-gitlab-event': 'Merge Request Hook', 'x-gitlab-token': 'bench-secret', 'idempotency-key': `bench-${i}` },
        body: bodyFor(i),
      });
      await res.arrayBuffer();
      if (res.status !== 202) statusErrors++;
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await service.stop();
  rmSync(dataDir, { recursive: true, force: true });
  return {
    name: `webhook ingress (${requests} Merge Request Hooks of ${(bodySize / 1024).toFixed(1)} KB, ${concurrency} concurrent, SQLite queue)`,
    figures: {
      'throughput': `${(requests / seconds).toFixed(0)} req/s`,
      'latency p50': `${percentile(latencies, 50).toFixed(1)} ms`,
      'latency p99': `${percentile(latencies, 99).toFixed(1)} ms`,
      'non-202 answers': String(statusErrors),
    },
  };
}
