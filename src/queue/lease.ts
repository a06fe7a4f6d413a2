// Holding a lease while work runs: wait for it (polling, bounded by the caller's signal), renew
// it at a third of its TTL, and abort the work's signal if a renewal finds it lost, since
// another replica may now run work on the same name. Released by its owner only.
import { randomUUID } from 'node:crypto';
import type { Leases } from './types.js';

export interface LeaseOptions {
  ttlMs: number;
  /** Between tries while someone else holds it. */
  pollMs: number;
  /** Give up waiting (throws) when this aborts. */
  signal?: AbortSignal;
}

export class LeaseLostError extends Error {
  readonly code = 'CIM_ERR_LEASE_LOST';
  constructor(name: string) {
    super(`lost the lease on ${name} while running`);
    this.name = 'LeaseLostError';
  }
}

const pause = (ms: number, signal?: AbortSignal): Promise<void> => new Promise((resolve, reject) => {
  const timer = setTimeout(done, ms);
  function done(): void {
    signal?.removeEventListener('abort', onAbort);
    resolve();
  }
  function onAbort(): void {
    clearTimeout(timer);
    reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted while waiting for a lease'));
  }
  signal?.addEventListener('abort', onAbort, { once: true });
});

/** Run `work` while holding the lease `name`; `work` gets a signal aborted when the lease is lost. */
export async function withLease<T>(leases: Leases, name: string, options: LeaseOptions, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const owner = randomUUID();
  while (!(await leases.tryAcquire(name, owner, options.ttlMs))) {
    if (options.signal?.aborted) throw options.signal.reason instanceof Error ? options.signal.reason : new Error('aborted while waiting for a lease');
    await pause(options.pollMs, options.signal);
  }
  const lost = new AbortController();
  const onOuterAbort = (): void => lost.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const renewer = setInterval(() => {
    leases.renew(name, owner, options.ttlMs).then(
      (held) => { if (!held) lost.abort(new LeaseLostError(name)); },
      () => undefined, // a store hiccup: the next renewal tries again before the TTL runs out
    );
  }, Math.max(10, Math.floor(options.ttlMs / 3)));
  try {
    return await work(lost.signal);
  } finally {
    clearInterval(renewer);
    options.signal?.removeEventListener('abort', onOuterAbort);
    await leases.release(name, owner).catch(() => undefined);
  }
}
