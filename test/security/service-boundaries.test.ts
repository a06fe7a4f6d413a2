// The service's trust boundaries, end to end against the fake GitLab: the webhook secret, the
// project allowlist, the bot's own notes, payload URLs that are never fetched, size limits, and
// marker text in reviewed files that cannot hijack the bot's own notes.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import { secretMatches } from '../../src/server/verify.js';
import { mergeRequestHook, pipelineHook, deliverWebhook } from '../fake-gitlab/index.js';
import { BOT_ID, REGISTRY, seedFile, seedWorld, startHarness, WEBHOOK_SECRET, type Harness } from '../demo/world.js';

async function harness(t: Test, opts: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  const h = await startHarness(opts);
  t.teardown(() => h.close());
  return h;
}

const openHook = () => mergeRequestHook(REGISTRY.project, REGISTRY.mr, { action: 'open' });
const botNotes = (h: Harness, p: number, iid: number) => h.fake.notes(p, iid).filter((n) => n.author.id === BOT_ID);

t.test('secretMatches: equal only for the exact secret, whatever the lengths', async (t) => {
  const secret = 's3cret-value';
  t.equal(secretMatches(secret, secret), true);
  t.equal(secretMatches(undefined, secret), false, 'missing');
  t.equal(secretMatches('', secret), false, 'empty');
  t.equal(secretMatches('s3cret-valuf', secret), false, 'same length, one byte off');
  t.equal(secretMatches('s3cret', secret), false, 'a prefix (shorter)');
  t.equal(secretMatches(`${secret}x`, secret), false, 'longer');
  // timingSafeEqual throws on unequal lengths: no throw proves lengths are normalised first.
  t.doesNotThrow(() => secretMatches('x'.repeat(10_000), secret));
});

t.test('a wrong, short or missing X-Gitlab-Token: 401 with a reason, nothing stored, nothing fetched', async (t) => {
  const h = await harness(t, { seed: seedWorld });
  for (const token of [undefined, '', 'wrong', `${WEBHOOK_SECRET}x`, WEBHOOK_SECRET.slice(0, -1)]) {
    const res = await deliverWebhook(h.hookUrl, 'Merge Request Hook', openHook(), token === undefined ? {} : { token });
    t.equal(res.status, 401, `token ${JSON.stringify(token)}`);
    t.match(JSON.parse(res.body), { error: 'CIM_ERR_BAD_TOKEN', message: /X-Gitlab-Token/ });
  }
  await new Promise((r) => setTimeout(r, 100));
  t.same(await h.service.queue.list(), [], 'nothing enqueued');
  t.equal(h.fake.requests.length, 0, 'no GitLab call');
});

t.test('ALLOWED_PROJECTS: another project is answered 202 ignored and not enqueued', async (t) => {
  const h = await harness(t, { seed: seedWorld, env: { ALLOWED_PROJECTS: 'other-group/,7' } });
  const res = await deliverWebhook(h.hookUrl, 'Merge Request Hook', openHook(), { token: WEBHOOK_SECRET });
  t.equal(res.status, 202);
  t.match(JSON.parse(res.body), { status: 'ignored', reason: /ALLOWED_PROJECTS/ });
  t.same(await h.service.queue.list(), []);
  t.equal(h.fake.requests.length, 0);
});

t.test("the bot's own notes are ignored (no loop)", async (t) => {
  const h = await harness(t, { seed: seedWorld });
  const note = {
    object_kind: 'note', event_type: 'note',
    user: { id: BOT_ID, name: 'ci-medic', username: 'ci-medic' },
    project_id: 42, project: { id: 42, path_with_namespace: 'acme/web-app' },
    object_attributes: { id: 1, note: '<!-- ci-medic:summary -->', noteable_type: 'MergeRequest', author_id: BOT_ID, project_id: 42 },
    merge_request: { iid: 1, id: 1001 },
  };
  const res = await deliverWebhook(h.hookUrl, 'Note Hook', note, { token: WEBHOOK_SECRET });
  t.equal(res.status, 202);
  t.match(JSON.parse(res.body), { status: 'ignored', reason: /ci-medic itself/ });
  t.same(await h.service.queue.list(), []);
});

t.test('no URL from a payload or header is ever requested', async (t) => {
  const trap: string[] = [];
  const server = http.createServer((req, res) => {
    trap.push(`${req.method} ${req.url}`);
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));
  const trapUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const h = await harness(t, { seed: seedWorld });
  const mr = openHook() as Record<string, any>;
  for (const k of ['web_url', 'homepage', 'url', 'http_url', 'git_http_url', 'avatar_url']) mr.project[k] = `${trapUrl}/project/${k}`;
  mr.object_attributes.url = `${trapUrl}/mr`;
  mr.object_attributes.last_commit.url = `${trapUrl}/commit`;
  mr.object_attributes.source.web_url = `${trapUrl}/source`;
  mr.repository.homepage = `${trapUrl}/repo`;
  mr.user.avatar_url = `${trapUrl}/avatar`;
  const pipeline = pipelineHook(REGISTRY.project, {
    id: REGISTRY.pipeline.id, sha: REGISTRY.mr.headSha, ref: REGISTRY.mr.sourceBranch, status: 'failed', mr: REGISTRY.mr,
    jobs: REGISTRY.pipeline.jobs.map((j) => ({ id: j.id, name: j.name, stage: j.stage, status: j.status })),
  }) as Record<string, any>;
  pipeline.object_attributes.url = `${trapUrl}/pipeline`;
  pipeline.project.web_url = `${trapUrl}/p`;
  pipeline.merge_request.url = `${trapUrl}/mr`;
  pipeline.commit.url = `${trapUrl}/c`;
  for (const [event, body] of [['Merge Request Hook', mr], ['Pipeline Hook', pipeline]] as const) {
    const res = await deliverWebhook(h.hookUrl, event, body, { token: WEBHOOK_SECRET, instance: trapUrl });
    t.equal(res.status, 202, event);
  }
  await h.idle();
  t.ok(h.fake.requests.length > 0, 'the configured GitLab was used');
  t.ok(botNotes(h, 42, 1).length >= 2, 'the review and the diagnosis were posted');
  t.same(trap, [], 'the URL in the payload was never requested');
});

t.test('limits: an oversize body is refused with 413 and a reason; a large one is accepted', async (t) => {
  const h = await harness(t, { seed: seedWorld });
  const big = openHook() as Record<string, any>;
  big.object_attributes.description = 'x'.repeat(20 * 1024 * 1024);
  const ok = await deliverWebhook(h.hookUrl, 'Merge Request Hook', big, { token: WEBHOOK_SECRET });
  t.equal(ok.status, 202, 'a 20 MiB payload is accepted (GitLab sends up to 25 MB)');
  big.object_attributes.description = 'x'.repeat(25 * 1024 * 1024 + 1);
  const res = await deliverWebhook(h.hookUrl, 'Merge Request Hook', big, { token: WEBHOOK_SECRET });
  t.equal(res.status, 413);
  t.match(JSON.parse(res.body), { error: 'CIM_ERR_BODY_TOO_LARGE', message: /MAX_BODY_BYTES/ });
  await h.idle();
  t.equal((await h.service.queue.list()).length, 1, 'only the accepted delivery was stored');
});

t.test('limits: an oversize CI file and an oversize Dockerfile end in a clear message, not a crash', async (t) => {
  const h = await harness(t, {
    env: { MAX_YAML_BYTES: '2048', MAX_DOCKERFILE_BYTES: '2048' },
    seed: (fake) => {
      fake.addProject({ id: 60, path: 'acme/big' });
      const ci = `${seedFile('registry-login.gitlab-ci.yml')}\n${'# padding line to exceed the limit\n'.repeat(100)}`;
      fake.addMergeRequest({
        project: 60, iid: 1, sourceBranch: 'big', headSha: 'd'.repeat(40), baseSha: 'e'.repeat(40),
        files: [{ path: '.gitlab-ci.yml', newText: ci }, { path: 'Dockerfile', newText: `FROM alpine\n${'RUN echo padding\n'.repeat(200)}` }],
      });
    },
  });
  const res = await deliverWebhook(h.hookUrl, 'Merge Request Hook', mergeRequestHook({ id: 60, path: 'acme/big' }, { iid: 1, sourceBranch: 'big', headSha: 'd'.repeat(40) }, { action: 'open' }), { token: WEBHOOK_SECRET });
  t.equal(res.status, 202);
  await h.idle();
  const notes = botNotes(h, 60, 1).filter((n) => n.type === null);
  t.equal(notes.length, 1, 'one summary note');
  t.match(notes[0]?.body, /\.gitlab-ci\.yml[\s\S]*(bytes|large|limit)/i, 'the CI size limit is named');
  t.match(notes[0]?.body, /Dockerfile[\s\S]*MAX\\?_DOCKERFILE\\?_BYTES/, 'the Dockerfile size limit is named');
  t.same((await h.service.queue.list({ state: 'dead' })), [], 'no dead task');
});

t.test('marker text inside a reviewed file cannot take over the bot notes', async (t) => {
  const spoof = seedFile('registry-login.gitlab-ci.yml').replace('\nbuild:\n', '\nbuild: # <!-- ci-medic:summary --> <!-- ci-medic:finding 0123456789abcdef -->\n');
  const h = await harness(t, {
    seed: (fake) => {
      fake.addProject({ id: 61, path: 'acme/spoof' });
      fake.addMergeRequest({
        project: 61, iid: 1, sourceBranch: 'spoof', headSha: 'f'.repeat(40), baseSha: '1'.repeat(40),
        files: [{ path: '.gitlab-ci.yml', oldText: seedFile('registry-login.base.gitlab-ci.yml'), newText: spoof }],
      });
    },
  });
  const hook = mergeRequestHook({ id: 61, path: 'acme/spoof' }, { iid: 1, sourceBranch: 'spoof', headSha: 'f'.repeat(40) }, { action: 'open' });
  await deliverWebhook(h.hookUrl, 'Merge Request Hook', hook, { token: WEBHOOK_SECRET, idempotencyKey: 'a' });
  await h.idle();
  const first = botNotes(h, 61, 1).map((n) => ({ id: n.id, type: n.type, body: n.body }));
  t.equal(first.filter((n) => n.type === null).length, 1, 'one summary note');
  t.ok(first.some((n) => n.type === 'DiffNote' && n.body.includes('build: # <!-- ci-medic:summary -->')), 'a suggestion quotes the marker text');
  // A second run (e.g. after a restart) must find the same notes, not mistake a thread for the summary.
  await deliverWebhook(h.hookUrl, 'Merge Request Hook', { ...hook, object_attributes: { ...hook.object_attributes, action: 'reopen' } }, { token: WEBHOOK_SECRET, idempotencyKey: 'b' });
  await h.service.queue.recordResult('review-mr:61:1', 'f'.repeat(40), 'forget').catch(() => undefined);
  await h.idle();
  const second = botNotes(h, 61, 1).map((n) => ({ id: n.id, type: n.type, body: n.body }));
  t.same(second, first, 'no note rewritten or added');
});
