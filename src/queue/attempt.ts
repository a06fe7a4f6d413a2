// What both engines do around one handler call: run it, and decide what a failure means
// (retry after a delay, or dead letter).
import type { BackoffOptions, QueueOptions, SettledEvent, TaskHandler, TaskContext } from './types.js';
import type { Task, TaskKind } from '../events/types.js';

export interface AttemptFailure {
  message: string;
  retryable: boolean;
  retryAfterMs?: number;
}

export type AttemptOutcome = { ok: true; durationMs: number } | { ok: false; durationMs: number; failure: AttemptFailure };

const MAX_ERROR_CHARS = 2000;

export function describeFailure(err: unknown): AttemptFailure {
  const e = err as { message?: unknown; retryable?: unknown; retryAfterMs?: unknown } | null | undefined;
  const raw = err instanceof Error ? err.message : typeof e?.message === 'string' ? e.message : String(err);
  const message = raw.length > MAX_ERROR_CHARS ? `${raw.slice(0, MAX_ERROR_CHARS)}...` : raw;
  const retryAfterMs = typeof e?.retryAfterMs === 'number' && Number.isFinite(e.retryAfterMs) && e.retryAfterMs >= 0 ? e.retryAfterMs : undefined;
  return { message, retryable: e?.retryable !== false, retryAfterMs };
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

/** Exponential backoff with jitter in [50%, 100%] of the step; an explicit retryAfterMs wins. */
export function retryDelayMs(attempt: number, failure: AttemptFailure, backoff: BackoffOptions, random: () => number = Math.random): number {
  if (failure.retryAfterMs !== undefined) return Math.ceil(failure.retryAfterMs);
  const step = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step * (0.5 + random() * 0.5));
}

export type FailureDecision = { action: 'retry'; delayMs: number } | { action: 'dead'; reason: string };

export function decideAfterFailure(attempt: number, maxAttempts: number, failure: AttemptFailure, backoff: BackoffOptions): FailureDecision {
  if (!failure.retryable) return { action: 'dead', reason: `not retryable: ${failure.message}` };
  if (attempt >= maxAttempts) return { action: 'dead', reason: `gave up after ${attempt} attempts: ${failure.message}` };
  return { action: 'retry', delayMs: retryDelayMs(attempt, failure, backoff) };
}

/** What a finished attempt does to its entry, and the event that reports it to observers. */
export type Settlement =
  | { outcome: 'done'; event: SettledEvent }
  | { outcome: 'dead'; reason: string; event: SettledEvent }
  | { outcome: 'retry'; delayMs: number; error: string; event: SettledEvent };

export function settlementOf(outcome: AttemptOutcome, attempt: { key: string; kind: TaskKind; attempt: number }, options: Pick<QueueOptions, 'maxAttempts' | 'backoff'>): Settlement {
  const base = { ...attempt, durationMs: outcome.durationMs };
  if (outcome.ok) return { outcome: 'done', event: { ...base, outcome: 'done' } };
  const decision = decideAfterFailure(attempt.attempt, options.maxAttempts, outcome.failure, options.backoff);
  if (decision.action === 'dead') return { outcome: 'dead', reason: decision.reason, event: { ...base, outcome: 'dead', error: decision.reason } };
  const error = outcome.failure.message;
  return { outcome: 'retry', delayMs: decision.delayMs, error, event: { ...base, outcome: 'retry', error } };
}
