import t from 'tap';
import { settlementOf } from '../../src/queue/attempt.js';

const options = { maxAttempts: 3, backoff: { baseMs: 100, maxMs: 1000 } };
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

t.test('a failure that may not be retried, or the last attempt, is dead', async (t) => {
  const notRetryable = settlementOf({ ok: false, durationMs: 5, failure: { message: 'bad', retryable: false } }, who, options);
  t.equal(notRetryable.outcome, 'dead');
  t.equal(notRetryable.event.error, 'not retryable: bad');
  const last = settlementOf({ ok: false, durationMs: 5, failure: { message: 'boom', retryable: true } }, { ...who, attempt: 3 }, options);
  t.equal(last.outcome, 'dead');
  if (last.outcome === 'dead') t.equal(last.reason, 'gave up after 3 attempts: boom');
  t.equal(last.event.outcome, 'dead');
});
