// What both engines do around one handler call: run it, and decide what a failure means
// (retry after a delay, or dead letter). The whole retry policy of a task lives here:
// - an error with `retryable === false` can never succeed (404 of the project, 401/403): dead now;
// - an error with `transient === true` (GitLab unavailable: 5xx, 429, network, timeouts) is
//   retried with capped exponential backoff until the entry has been failing for `maxRetryAgeMs`
//   (RETRY_MAX_AGE_HOURS, default 24 h), however many attempts that takes;
// - any other error (a bug, a store hiccup) is retried up to `maxAttempts` (MAX_ATTEMPTS);
// - a `retryAfterMs` on the error (GitLab's Retry-After / RateLimit-Reset) is the least wait.
import { jitteredDelayMs } from '../backoff.js';
import type { QueueOptions, SettledEvent, TaskHandler, TaskContext } from './types.js';
import type { Task, TaskKind } from '../events/types.js';

export interface AttemptFailure {
  message: string;
  retryable: boolean;
  /** GitLab (or another dependency) is unavailable: retry by age, not by count. */
  transient?: boolean;
  retryAfterMs?: number;
}

export type AttemptOutcome = { ok: true; durationMs: number } | { ok: false; durationMs: number; failure: AttemptFailure };

const MAX_ERROR_CHARS = 2000;

function finiteMs(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

export function describeFailure(err: unknown): AttemptFailure {
  const e = err as { message?: unknown; retryable?: unknown; retryAfterMs?: unknown; transient?: unknown; details?: { retryAfterMs?: unknown } } | null | undefined;
  const raw = err instanceof Error ? err.message : typeof e?.message === 'string' ? e.message : String(err);
  const message = raw.length > MAX_ERROR_CHARS ? `${raw.slice(0, MAX_ERROR_CHARS)}...` : raw;
  // GitlabUnavailableError keeps GitLab's hint in `details`; a getter exposes it too.
  const retryAfterMs = finiteMs(e?.retryAfterMs) ?? finiteMs(e?.details?.retryAfterMs);
  return { message, retryable: e?.retryable !== false, transient: e?.transient === true, retryAfterMs };
}

export async function runAttempt(handler: TaskHandler, task: Task, attempt: number, ctx: TaskContext): Promise<AttemptOutcome> {
  const started = performance.now();
  try {
    await handler(task, attempt, ctx);
    return { ok: true, durationMs: performance.now() - started };
  } catch (err) {
    return { ok: false, durationMs: performance.now() - started, failure: describeFailure(err) };
  }
}

export type RetryPolicyOptions = Pick<QueueOptions, 'maxAttempts' | 'backoff' | 'maxRetryAgeMs'>;

/** Capped exponential backoff with jitter in [50%, 100%] of the step; GitLab's retryAfterMs is the floor. */
export function retryDelayMs(attempt: number, failure: AttemptFailure, backoff: QueueOptions['backoff'], random: () => number = Math.random): number {
  const computed = jitteredDelayMs(attempt - 1, backoff, 'half', random);
  return failure.retryAfterMs !== undefined ? Math.ceil(failure.retryAfterMs) : computed;
}

export type FailureDecision = { action: 'retry'; delayMs: number } | { action: 'dead'; reason: string };

export interface FailureContext {
  /** Epoch ms of the first failure in the current run of failures (this one when undefined). */
  failingSince?: number;
  now?: number;
}

function hours(ms: number): string {
  const h = ms / 3600_000;
  return h >= 1 ? `${Number(h.toFixed(1))} h` : `${Math.round(ms / 1000)} s`;
}

export function decideAfterFailure(attempt: number, failure: AttemptFailure, policy: RetryPolicyOptions, ctx: FailureContext = {}): FailureDecision {
  if (!failure.retryable) return { action: 'dead', reason: `not retryable: ${failure.message}` };
  const delayMs = retryDelayMs(attempt, failure, policy.backoff);
  if (failure.transient) {
    const now = ctx.now ?? Date.now();
    const since = ctx.failingSince ?? now;
    if (now + delayMs - since > policy.maxRetryAgeMs) {
      return { action: 'dead', reason: `gave up after ${hours(now - since)} of failures (${attempt} attempts, RETRY_MAX_AGE_HOURS): ${failure.message}` };
    }
    return { action: 'retry', delayMs };
  }
  if (attempt >= policy.maxAttempts) return { action: 'dead', reason: `gave up after ${attempt} attempts: ${failure.message}` };
  return { action: 'retry', delayMs };
}

/** What a finished attempt does to its entry, and the event that reports it to observers. */
export type Settlement =
  | { outcome: 'done'; event: SettledEvent }
  | { outcome: 'dead'; reason: string; event: SettledEvent }
  | { outcome: 'retry'; delayMs: number; error: string; event: SettledEvent };

export function settlementOf(
  outcome: AttemptOutcome, attempt: { key: string; kind: TaskKind; attempt: number }, options: RetryPolicyOptions, ctx: FailureContext = {},
): Settlement {
  const base = { ...attempt, durationMs: outcome.durationMs };
  if (outcome.ok) return { outcome: 'done', event: { ...base, outcome: 'done' } };
  const decision = decideAfterFailure(attempt.attempt, outcome.failure, options, ctx);
  if (decision.action === 'dead') return { outcome: 'dead', reason: decision.reason, event: { ...base, outcome: 'dead', error: decision.reason } };
  const error = outcome.failure.message;
  return { outcome: 'retry', delayMs: decision.delayMs, error, event: { ...base, outcome: 'retry', error } };
}

/** The dead-letter reason of a task whose run was interrupted by `crashes` process deaths in a row. */
export function crashReason(crashes: number): string {
  return `process died ${crashes} times while running this task`;
}
