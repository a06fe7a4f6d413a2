// withLease: waits for a held lease, renews its own, aborts the work's signal when a renewal
// finds the lease lost, and releases only what it holds.
import t from 'tap';
import { withLease, LeaseLostError } from '../../src/queue/lease.js';
import type { Leases } from '../../src/queue/types.js';

function memoryLeases(): Leases & { holder: Map<string, string>; renewals: number; lose(name: string): void } {
  const holder = new Map<string, string>();
  const leases = {
    holder,
    renewals: 0,
    lose: (name: string) => { holder.set(name, 'someone-else'); },
    tryAcquire: async (name: string, owner: string) => {
      if (holder.has(name) && holder.get(name) !== owner) return false;
      holder.set(name, owner);
      return true;
    },
    renew: async (name: string, owner: string) => { leases.renewals++; return holder.get(name) === owner; },
    release: async (name: string, owner: string) => { if (holder.get(name) === owner) holder.delete(name); },
  };
  return leases;
}

t.test('waits while another owner holds the lease, then runs and releases', async (t) => {
  const leases = memoryLeases();
  leases.holder.set('mr:1', 'other');
  setTimeout(() => leases.holder.delete('mr:1'), 60);
  let ran = false;
  await withLease(leases, 'mr:1', { ttlMs: 1000, pollMs: 10 }, async () => { ran = true; t.not(leases.holder.get('mr:1'), 'other'); });
  t.ok(ran);
  t.equal(leases.holder.has('mr:1'), false, 'released afterwards');
});

t.test('renews while running; a lost lease aborts the work signal; the new holder keeps it', async (t) => {
  const leases = memoryLeases();
  const reason = await withLease(leases, 'mr:2', { ttlMs: 60, pollMs: 10 }, async (signal) => {
    await new Promise((r) => setTimeout(r, 50));
    t.ok(leases.renewals >= 1, 'renewed at a third of the TTL');
    t.equal(signal.aborted, false);
    leases.lose('mr:2');
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    return signal.reason as unknown;
  });
  t.ok(reason instanceof LeaseLostError, 'aborted with LeaseLostError');
  t.equal(leases.holder.get('mr:2'), 'someone-else', 'release by the old owner did not free the new holder');
});

t.test('an aborted caller stops waiting', async (t) => {
  const leases = memoryLeases();
  leases.holder.set('mr:3', 'other');
  const abort = new AbortController();
  setTimeout(() => abort.abort(new Error('shutting down')), 30);
  await t.rejects(withLease(leases, 'mr:3', { ttlMs: 1000, pollMs: 10, signal: abort.signal }, async () => undefined), /shutting down/);
});
