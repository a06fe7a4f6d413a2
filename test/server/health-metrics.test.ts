import t from 'tap';
import { payloadText } from '../fixtures/webhooks/load.js';
import { startTestServer } from './helpers.js';

t.test('healthz, readyz and metrics', async (t) => {
  const server = await startTestServer(t);
  const health = await fetch(`${server.url}/healthz`);
  t.equal(health.status, 200);
  t.same(await health.json(), { status: 'ok' });
  const ready = await fetch(`${server.url}/readyz`);
  t.equal(ready.status, 200);
  t.same(await ready.json(), { status: 'ready', queue: 'sqlite' });

  await server.post(payloadText('merge-request-open'), { 'x-gitlab-event': 'Merge Request Hook' });
  await server.post(payloadText('merge-request-open'), { 'x-gitlab-event': 'Merge Request Hook', 'x-gitlab-token': 'bad' });
  await server.post('{}', { 'x-gitlab-event': 'Wiki Page Hook' });
  server.queue.start(async () => { throw Object.assign(new Error('gone'), { retryable: false }); });
  const deadline = Date.now() + 5000;
  while ((await server.queue.stats()).dead === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));

  const metrics = await fetch(`${server.url}/metrics`);
  t.equal(metrics.status, 200);
  t.match(metrics.headers.get('content-type'), /text\/plain/);
  const text = await metrics.text();
  t.match(text, /ci_medic_webhooks_received_total\{event="Merge Request Hook",outcome="queued"\} 1/);
  t.match(text, /ci_medic_webhooks_received_total\{event="Merge Request Hook",outcome="unauthorized"\} 1/);
  t.match(text, /ci_medic_webhooks_received_total\{event="Wiki Page Hook",outcome="ignored"\} 1/);
  t.match(text, /ci_medic_tasks\{state="dead"\} 1/);
  t.match(text, /ci_medic_tasks\{state="pending"\} 0/);
  t.match(text, /ci_medic_dead_letters_total\{kind="review-mr"\} 1/);
  t.match(text, /ci_medic_task_duration_seconds_count\{kind="review-mr",outcome="dead"\} 1/);

  await server.queue.close();
  const notReady = await fetch(`${server.url}/readyz`);
  t.equal(notReady.status, 503, 'not ready once the queue is gone');
  t.equal((await fetch(`${server.url}/healthz`)).status, 200, 'still alive');
});
