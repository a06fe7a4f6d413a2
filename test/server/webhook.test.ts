// Ingress over real HTTP: authentication, bounds, classification, storage.
import http from 'node:http';
import t from 'tap';
import { ERROR_CODES } from '../../src/server/errors.js';
import { signPayload } from '../../src/server/verify.js';
import { payload, payloadText } from '../fixtures/webhooks/load.js';
import { SECRET, startTestServer } from './helpers.js';

const MR = { 'x-gitlab-event': 'Merge Request Hook' };

t.test('wrong or missing token: 401, nothing stored, handler never called', async (t) => {
  const server = await startTestServer(t);
  let calls = 0;
  server.queue.start(async () => { calls++; });
  for (const token of [undefined, '', 'wrong', `${SECRET}x`, SECRET.slice(0, -1)]) {
    const headers: Record<string, string> = { ...MR, 'x-gitlab-token': token ?? '' };
    if (token === undefined) delete headers['x-gitlab-token'];
    const res = await fetch(`${server.url}/webhooks/gitlab`, {
      method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payloadText('merge-request-open'),
    });
    t.equal(res.status, 401, `token ${JSON.stringify(token)}`);
    const body = await res.json() as { error: string; message: string };
    t.equal(body.error, 'CIM_ERR_BAD_TOKEN');
    t.match(body.message, /X-Gitlab-Token/);
  }
  // A bad token is refused before the body is read, however large it is.
  const huge = await server.post(Buffer.alloc(30 * 1024 * 1024, 0x20), { ...MR, 'x-gitlab-token': 'nope' });
  t.equal(huge.status, 401);
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.same(await server.queue.list(), [], 'nothing stored');
  t.equal(calls, 0, 'handler not called');
});

t.test('accepted: stored and answered 202 with the task key, then run', async (t) => {
  const server = await startTestServer(t);
  const res = await server.post(payloadText('merge-request-open'), { ...MR, 'idempotency-key': 'a1' });
  t.equal(res.status, 202);
  t.same(await res.json(), { status: 'queued', task: 'review-mr:101:3' });
  const stored = await server.queue.list();
  t.equal(stored.length, 1, 'stored before any handler ran');
  t.equal(stored[0]?.state, 'pending');

  const again = await server.post(payloadText('merge-request-open'), { ...MR, 'idempotency-key': 'a1' });
  t.same(await again.json(), { status: 'duplicate', task: 'review-mr:101:3' }, 'same Idempotency-Key is a no-op');
  const newer = await server.post(payloadText('merge-request-update-push'), { ...MR, 'idempotency-key': 'a2' });
  t.same(await newer.json(), { status: 'replaced', task: 'review-mr:101:3' }, 'newer head SHA replaces the pending one');
  const resend = await server.post(payloadText('merge-request-update-push'), MR);
  const resendAgain = await server.post(payloadText('merge-request-update-push'), MR);
  t.equal((await resend.json() as { status: string }).status, 'replaced');
  t.equal((await resendAgain.json() as { status: string }).status, 'duplicate', 'without Idempotency-Key, identical bytes are one delivery');

  const seen: string[] = [];
  server.queue.start(async (task) => { seen.push(task.kind === 'review-mr' ? task.headSha : ''); });
  const deadline = Date.now() + 5000;
  while (seen.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  t.same(seen, ['c4d3b2a1f0e9d8c7b6a5f4e3d2c1b0a998877665']);
});

t.test('pipeline and job events for one pipeline make one task', async (t) => {
  const server = await startTestServer(t);
  const a = await server.post(payloadText('pipeline-failed'), { 'x-gitlab-event': 'Pipeline Hook' });
  const b = await server.post(payloadText('job-failed'), { 'x-gitlab-event': 'Job Hook' });
  t.same(await a.json(), { status: 'queued', task: 'diagnose-pipeline:101:777' });
  t.same(await b.json(), { status: 'replaced', task: 'diagnose-pipeline:101:777' });
  const [record] = await server.queue.list();
  t.same(record?.task.kind === 'diagnose-pipeline' && record.task.failedJobs.map((j) => j.id), [9100, 9101, 9105]);
});

t.test('ignored events: 202 with a reason, nothing stored', async (t) => {
  const server = await startTestServer(t, { ALLOWED_PROJECTS: 'acme/,7' }, 99);
  const cases: [Record<string, string>, string, RegExp][] = [
    [{ 'x-gitlab-event': 'Push Hook' }, JSON.stringify({ object_kind: 'push', project: { id: 101, path_with_namespace: 'acme/shop' } }), /Push Hook/],
    [MR, payloadText('merge-request-update-title'), /without new commits/],
    [{ 'x-gitlab-event': 'Note Hook' }, payloadText('note-by-bot'), /ci-medic itself/],
  ];
  const outside = payload('merge-request-open');
  outside.project = { id: 555, path_with_namespace: 'other/shop' };
  outside.object_attributes.target_project_id = 555;
  cases.push([MR, JSON.stringify(outside), /ALLOWED_PROJECTS/]);
  for (const [headers, body, reason] of cases) {
    const res = await server.post(body, headers);
    t.equal(res.status, 202);
    const json = await res.json() as { status: string; reason: string };
    t.equal(json.status, 'ignored');
    t.match(json.reason, reason);
  }
  t.same(await server.queue.list(), []);
  const inside = await server.post(payloadText('merge-request-open'), MR);
  t.equal((await inside.json() as { status: string }).status, 'queued', 'a project under acme/ is served');
});

t.test('bad requests: 400 invalid JSON / payload, 415 content type, 404 route', async (t) => {
  const server = await startTestServer(t);
  const bad = await server.post('{"object_kind": "merge_request",', MR);
  t.equal(bad.status, 400);
  const badBody = await bad.json() as { error: string; message: string };
  t.equal(badBody.error, 'CIM_ERR_INVALID_JSON');
  t.match(badBody.message, /^body is not valid JSON: /);

  const empty = await server.post('', MR);
  t.equal(empty.status, 400);

  const broken = payload('merge-request-open');
  delete broken.object_attributes.last_commit;
  const invalid = await server.post(JSON.stringify(broken), MR);
  t.equal(invalid.status, 400);
  t.same(await invalid.json(), { error: 'CIM_ERR_INVALID_PAYLOAD', message: 'object_attributes.last_commit must be an object' });

  const text = await server.post(payloadText('merge-request-open'), { ...MR, 'content-type': 'text/plain' });
  t.equal(text.status, 415);
  t.equal((await text.json() as { error: string }).error, 'CIM_ERR_UNSUPPORTED_MEDIA_TYPE');

  const charset = await server.post(payloadText('merge-request-open'), { ...MR, 'content-type': 'application/json; charset=utf-8' });
  t.equal(charset.status, 202, 'charset parameter accepted');

  const missing = await fetch(`${server.url}/nope`);
  t.equal(missing.status, 404);
  t.equal((await missing.json() as { error: string }).error, 'CIM_ERR_NOT_FOUND');
  const stored = await server.queue.list();
  t.equal(stored.length, 1, 'only the valid delivery was stored');
});

t.test('body size: ~24 MB accepted, over 25 MiB refused with 413 and a reason', async (t) => {
  const server = await startTestServer(t);
  const big = payload('pipeline-failed');
  big.object_attributes.variables = [{ key: 'PADDING', value: 'x'.repeat(24 * 1000 * 1000) }];
  const ok = await server.post(JSON.stringify(big), { 'x-gitlab-event': 'Pipeline Hook' });
  t.equal(ok.status, 202);
  t.equal((await ok.json() as { status: string }).status, 'queued');

  big.object_attributes.variables = [{ key: 'PADDING', value: 'x'.repeat(25 * 1024 * 1024) }];
  const tooBig = await server.post(JSON.stringify(big), { 'x-gitlab-event': 'Pipeline Hook' });
  t.equal(tooBig.status, 413);
  t.same(await tooBig.json(), { error: 'CIM_ERR_BODY_TOO_LARGE', message: `body is larger than ${25 * 1024 * 1024} bytes (MAX_BODY_BYTES)` });
});

t.test('Standard Webhooks signature when a signing secret is configured', async (t) => {
  const signing = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
  const server = await startTestServer(t, { WEBHOOK_SIGNING_SECRET: signing });
  const body = payloadText('merge-request-open');
  const now = String(Math.floor(Date.now() / 1000));
  const sign = (id: string, ts: string, b: string) => `v1,${signPayload(signing, id, ts, Buffer.from(b))}`;

  const good = await server.post(body, { ...MR, 'webhook-id': 'msg-1', 'webhook-timestamp': now, 'webhook-signature': `v1,bm9wZQ== ${sign('msg-1', now, body)}` });
  t.equal(good.status, 202, 'a valid v1 signature among several is accepted');

  const tampered = await server.post(body.replace('"iid": 3', '"iid": 4'), { ...MR, 'webhook-id': 'msg-2', 'webhook-timestamp': now, 'webhook-signature': sign('msg-2', now, body) });
  t.equal(tampered.status, 401);
  t.same(await tampered.json(), { error: 'CIM_ERR_BAD_SIGNATURE', message: 'webhook-signature does not match' });

  const old = String(Number(now) - 3600);
  const stale = await server.post(body, { ...MR, 'webhook-id': 'msg-3', 'webhook-timestamp': old, 'webhook-signature': sign('msg-3', old, body) });
  t.equal(stale.status, 401);
  t.match(await stale.json(), { message: /too old/ });

  const unsigned = await server.post(body, MR);
  t.equal(unsigned.status, 401);
  t.equal((await server.queue.list()).length, 1, 'only the signed delivery was stored');
});

t.test('no URL from a payload is requested', async (t) => {
  let hits = 0;
  const trap = http.createServer((_req, res) => { hits++; res.end('{}'); });
  await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => trap.close(() => resolve())));
  const address = trap.address();
  const trapUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const server = await startTestServer(t);
  const body = payload('merge-request-open');
  body.project.web_url = `${trapUrl}/acme/shop`;
  body.object_attributes.url = `${trapUrl}/mr`;
  body.object_attributes.last_commit.url = `${trapUrl}/commit`;
  const res = await server.post(JSON.stringify(body), { ...MR, 'x-gitlab-instance': trapUrl });
  t.equal(res.status, 202);
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.equal(hits, 0);
});

t.test('every error code is documented with a status', async (t) => {
  for (const [code, entry] of Object.entries(ERROR_CODES)) {
    t.match(code, /^CIM_ERR_[A-Z_]+$/);
    t.ok(entry.doc.length > 10, `${code} documented`);
    t.ok(entry.status >= 400 && entry.status < 600);
  }
});
