import t from 'tap';
import { crashReason, describeFailure, settlementOf } from '../../src/queue/attempt.js';
import { GitlabRequestError, GitlabUnavailableError } from '../../src/gitlab/errors.js';

const HOUR = 3600_000;
const options = { maxAttempts: 3, backoff: { baseMs: 100, maxMs: 1000 }, maxRetryAgeMs: 24 * HOUR };
const who = { key: 'review-mr:1:2', kind: 'review-mr' as const, attempt: 1 };

t.test('a successful attempt is done and reports no error', async (t) => {
  const s = settlementOf({ ok: true, durationMs: 5 }, who, options);
  t.equal(s.outcome, 'done');
  t.strictSame(s.event, { key: who.key, kind: 'review-mr', attempt: 1, durationMs: 5, outcome: 'done' });
  t.notOk('error' in s.event);
});

t.test('a retryable failure waits and reports the failure message', async (t) => {
  const s = settlementOf({ ok: false, durationMs: 5, failure: { message: 'boom', retryable: true, retryAfterMs: 250 } }, who, options);
  t.equal(s.outcome, 'retry');
  if (s.outcome === 'retry') {
    t.equal(s.delayMs, 250);
    t.equal(s.error, 'boom');
  }
  t.equal(s.event.outcome, 'retry');
  t.equal(s.event.error, 'boom');
});

t.test('a failure that may not be retried, or the last attempt of an unknown error, is dead', async (t) => {
  const notRetryable = settlementOf({ ok: false, durationMs: 5, failure: { message: 'bad', retryable: false } }, who, options);
  t.equal(notRetryable.outcome, 'dead');
  t.equal(notRetryable.event.error, 'not retryable: bad');
  const last = settlementOf({ ok: false, durationMs: 5, failure: { message: 'boom', retryable: true } }, { ...who, attempt: 3 }, options);
  t.equal(last.outcome, 'dead');
  if (last.outcome === 'dead') t.equal(last.reason, 'gave up after 3 attempts: boom');
  t.equal(last.event.outcome, 'dead');
});

t.test('GitLab unavailable: retried by age (RETRY_MAX_AGE_HOURS), not by MAX_ATTEMPTS, with capped backoff', async (t) => {
  const now = Date.UTC(2026, 0, 1);
  const failure = describeFailure(new GitlabUnavailableError('GitLab GET /x answered 503', { method: 'GET', path: '/x', status: 503, attempts: 6, ambiguous: false }));
  t.equal(failure.transient, true);
  const at50 = settlementOf({ ok: false, durationMs: 5, failure }, { ...who, attempt: 50 }, options, { failingSince: now - 23 * HOUR, now });
  t.equal(at50.outcome, 'retry', 'attempt 50 after 23 h still retries');
  if (at50.outcome === 'retry') t.ok(at50.delayMs >= 500 && at50.delayMs <= 1000, `delay ${at50.delayMs} is capped at maxMs`);
  const late = settlementOf({ ok: false, durationMs: 5, failure }, { ...who, attempt: 51 }, options, { failingSince: now - 24 * HOUR, now });
  t.equal(late.outcome, 'dead', 'dead once the failures span the max age');
  if (late.outcome === 'dead') t.match(late.reason, /^gave up after 24 h of failures \(51 attempts, RETRY_MAX_AGE_HOURS\): GitLab GET \/x answered 503/);
});

t.test("GitLab's Retry-After (kept in the error's details) sets the next attempt's delay", async (t) => {
  const err = new GitlabUnavailableError('GitLab GET /x still failing', { method: 'GET', path: '/x', status: 429, attempts: 1, retryAfterMs: 90_000, ambiguous: false });
  const failure = describeFailure(err);
  t.equal(failure.retryAfterMs, 90_000);
  const s = settlementOf({ ok: false, durationMs: 5, failure }, who, options);
  t.equal(s.outcome, 'retry');
  if (s.outcome === 'retry') t.equal(s.delayMs, 90_000, 'beyond the backoff cap: GitLab asked for it');
});

t.test('errors that can never succeed end the task at once', async (t) => {
  const failure = describeFailure(new GitlabRequestError(404, '404 Project Not Found', 'GET', '/projects/9'));
  t.equal(failure.retryable, false);
  t.equal(settlementOf({ ok: false, durationMs: 1, failure }, who, options).outcome, 'dead');
  t.equal(crashReason(3), 'process died 3 times while running this task');
});
