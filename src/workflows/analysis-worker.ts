// Worker-thread entry: runs one review analysis per message, so that a file that takes seconds
// to check never holds the event loop that answers webhooks.
import { parentPort } from 'node:worker_threads';
import { analyseReview } from './review-analysis.js';
import type { PoolRequest, PoolReply } from './analysis-pool.js';

/** A paused pool (tests) holds the task here, in the worker, until released. */
function waitForGate(gate: SharedArrayBuffer | undefined): void {
  if (!gate) return;
  const flag = new Int32Array(gate);
  // Short waits: terminate() takes effect between them.
  while (Atomics.load(flag, 0) === 0) Atomics.wait(flag, 0, 0, 10);
}

parentPort?.on('message', (req: PoolRequest) => {
  const reply = (r: PoolReply) => parentPort?.postMessage(r);
  reply({ id: req.id, started: true });
  void (async () => {
    try {
      waitForGate(req.gate);
      reply({ id: req.id, value: await analyseReview(req.input) });
    } catch (err) {
      reply({ id: req.id, error: err instanceof Error ? err.stack ?? err.message : String(err) });
    }
  })();
});
