// Leases and project memory on Redis, shared by every replica. A lease is a key holding its
// owner's token with an expiry: taken with SET NX PX, renewed and released only by its owner
// (compare-and-pexpire / compare-and-delete in Lua), so a replica that lost its lease (paused,
// partitioned) can never release or extend the new owner's.
import type { Redis } from 'ioredis';
import type { RedisKeys } from './redis-state.js';
import type { Leases, MemoryStore } from './types.js';

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;

export class RedisLeases implements Leases {
  constructor(private readonly redis: Redis, private readonly keys: RedisKeys) {}

  async tryAcquire(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const key = this.keys.lease(name);
    if ((await this.redis.set(key, owner, 'PX', Math.max(1, Math.round(ttlMs)), 'NX')) === 'OK') return true;
    // Re-entrant for the same owner token.
    return (await this.redis.eval(RENEW, 1, key, owner, Math.max(1, Math.round(ttlMs)))) === 1;
  }

  async renew(name: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.eval(RENEW, 1, this.keys.lease(name), owner, Math.max(1, Math.round(ttlMs)))) === 1;
  }

  async release(name: string, owner: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.keys.lease(name), owner);
  }
}

/** One Redis string per memory key, updated under WATCH/MULTI (optimistic, retried on contention). */
export class RedisMemory implements MemoryStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    /** Runs `body` on the engine's transaction connection, one WATCH at a time. */
    private readonly onTxConnection: <T>(key: string, body: (tx: Redis) => Promise<T>) => Promise<T>,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.keys.memory(key))) ?? undefined;
  }

  update(key: string, change: (current: string | undefined) => string | undefined): Promise<string | undefined> {
    const redisKey = this.keys.memory(key);
    return this.onTxConnection(key, async (tx) => {
      for (let tries = 0; tries < 50; tries++) {
        await tx.watch(redisKey);
        const current = (await tx.get(redisKey)) ?? undefined;
        const next = change(current);
        if (next === undefined) {
          await tx.unwatch();
          return current;
        }
        if ((await tx.multi().set(redisKey, next).exec()) !== null) return next;
      }
      throw new Error(`could not update ${key}: too much contention`);
    });
  }
}
