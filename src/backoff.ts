// The one backoff formula: capped exponential steps with jitter. Used by the GitLab client
// (between calls of one request, full jitter) and by the queue (between task attempts, jitter in
// [50%, 100%] so a retry never comes back much sooner than the step says).

export interface Backoff {
  baseMs: number;
  maxMs: number;
}

/** The uncapped-exponent step for 0-based `retry`, bounded by `maxMs` (no overflow for large retries). */
export function backoffStepMs(retry: number, backoff: Backoff): number {
  return Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(Math.max(0, retry), 40));
}

/** `full`: uniform in [0, step]; `half`: uniform in [step/2, step]. */
export function jitteredDelayMs(retry: number, backoff: Backoff, jitter: 'full' | 'half', random: () => number = Math.random): number {
  const step = backoffStepMs(retry, backoff);
  return Math.round(jitter === 'full' ? random() * step : step * (0.5 + random() * 0.5));
}
