// When to retry a GitLab call and how long to wait: GitLab's own hints first
// (Retry-After in seconds or as an HTTP date, RateLimit-Reset as epoch seconds), otherwise
// exponential backoff with full jitter (the formula lives in src/backoff.ts, shared with the queue).
import { jitteredDelayMs } from '../backoff.js';

export interface RetryPolicy {
  /** Attempts per call, including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Give up (and let the queue reschedule) once waiting would exceed this per call. */
  maxTotalMs: number;
  /** Abort one attempt after this long without a response. */
  attemptTimeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 250,
  maxDelayMs: 30_000,
  maxTotalMs: 120_000,
  attemptTimeoutMs: 30_000,
};

/** Statuses worth retrying for a read (or any idempotent call). */
export const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

type HeaderGet = (name: string) => string | null | undefined;

/** The wait GitLab asked for, in ms, or undefined when it gave no usable hint. */
export function serverDelayMs(get: HeaderGet, nowMs: number): number | undefined {
  const retryAfter = get('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.round(Number(retryAfter) * 1000);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - nowMs);
  }
  const reset = get('ratelimit-reset')?.trim();
  if (reset && /^\d+$/.test(reset)) return Math.max(0, Number(reset) * 1000 - nowMs);
  return undefined;
}

export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  return jitteredDelayMs(attempt, { baseMs: policy.baseDelayMs, maxMs: policy.maxDelayMs }, 'full', random);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
