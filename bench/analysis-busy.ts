// Webhook-side latency while one MR with a ~1 MB hostile CI file is reviewed, against idle: the
// analysis runs in a worker thread, so /healthz and webhooks should not wait for it. Requests
// start right after the MR's webhook, so the main-thread part (reading and parsing the CI
// file) is in the sample too. Figures only; nothing asserts a time.
import { REGISTRY, seedWorld, startHarness, WEBHOOK_SECRET } from '../test/demo/world.js';
import { mergeRequestHook } from '../test/fake-gitlab/payloads.js';
import { analysisPool } from '../src/workflows/analysis-pool.js';
import { percentile, type BenchResult } from './format.js';

/** ~1 MB of jobs, each with a long `docker build` line: seconds of checks and fix round trips. */
export function hostileCi(targetBytes = 1024 * 1024): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < targetBytes - 1024; i++) {
    const job = `job${i}:\n  image: docker:24\n  script:\n    - docker build -t "$CI_REGISTRY_IMAGE:${i}" ${'--label x=y '.repeat(50)}.\n    - docker push "$CI_REGISTRY_IMAGE:${i}"\n`;
    parts.push(job);
    size += job.length;
  }
  return parts.join('');
}

async function sample(url: string, count: number, keepGoing: () => boolean = () => true): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count && keepGoing(); i++) {
    const t0 = performance.now();
    const res = await fetch(url);
    await res.arrayBuffer();
    out.push(performance.now() - t0);
  }
  return out;
}

export async function benchAnalysisBusy(requests = 2000, timeoutMs = 10_000): Promise<BenchResult> {
  const ci = hostileCi();
  const h = await startHarness({
    env: { ANALYSIS_TIMEOUT_MS: String(timeoutMs) },
    seed: (fake) => {
      seedWorld(fake);
      fake.setFile(REGISTRY.project.id, REGISTRY.mr.headSha, '.gitlab-ci.yml', ci);
    },
  });
  try {
    const health = `${h.service.url}/healthz`;
    const idle = await sample(health, requests);
    let reviewing = true;
    const res = await fetch(h.hookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-gitlab-event': 'Merge Request Hook', 'x-gitlab-token': WEBHOOK_SECRET },
      body: JSON.stringify(mergeRequestHook(REGISTRY.project, REGISTRY.mr, { action: 'open' })),
    });
    await res.arrayBuffer();
    const started = performance.now();
    let sawWorker = false;
    const done = h.idle(timeoutMs + 60_000).then(() => { reviewing = false; });
    const busy = await sample(health, requests, () => {
      if (analysisPool.busy > 0) sawWorker = true;
      return reviewing;
    });
    await done;
    const fmt = (v: number[]) => `p50 ${percentile(v, 50).toFixed(2)} ms, p99 ${percentile(v, 99).toFixed(2)} ms, max ${Math.max(...v).toFixed(1)} ms (${v.length} requests)`;
    return {
      name: 'webhook side while a 1 MB hostile CI file is reviewed (GET /healthz, one at a time)',
      figures: {
        'CI file': `${(ci.length / 1024 / 1024).toFixed(2)} MiB`,
        idle: fmt(idle),
        'during review': fmt(busy),
        'review took': `${((performance.now() - started) / 1000).toFixed(1)} s (ANALYSIS_TIMEOUT_MS ${timeoutMs}); worker seen busy: ${sawWorker}`,
      },
    };
  } finally {
    await h.close();
  }
}
