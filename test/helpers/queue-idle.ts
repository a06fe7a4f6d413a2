// Waiting for a running service's queue to drain, shared by the demo world and the in-process harness.
import type { QueueStats, TaskQueue } from '../../src/queue/types.js';

/** Resolves once nothing is pending, running or waiting for a retry; throws after `timeoutMs`. */
export async function waitForIdleQueue(queue: Pick<TaskQueue, 'stats'>, timeoutMs: number): Promise<QueueStats> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = await queue.stats();
    if (s.pending === 0 && s.running === 0 && s.failed === 0) return s;
    if (Date.now() > until) throw new Error(`queue not idle after ${timeoutMs} ms: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
