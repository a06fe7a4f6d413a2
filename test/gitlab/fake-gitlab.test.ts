import { sharedDir } from '../helpers/paths.js';
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Gitlab } from '@gitbeaker/rest';
import { createHash } from 'node:crypto';
import { fakeWithMr, TOKEN, BASE, HEAD } from './fixture.js';
import { mergeRequestHook, pipelineHook, jobHook } from '../fake-gitlab/payloads.js';

const api = (gl: { url: string }, p: string, init: RequestInit = {}) =>
  fetch(`${gl.url}/api/v4${p}`, { ...init, headers: { 'private-token': TOKEN, ...(init.headers ?? {}) } });

t.test('pagination headers are GitLab\'s', async (t) => {
  const gl = await fakeWithMr(t);
  for (let i = 0; i < 45; i++) await api(gl, '/projects/42/merge_requests/12/notes', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ body: `n${i}` }) });
  const res = await api(gl, '/projects/acme%2Fweb-app/merge_requests/12/notes?per_page=20&page=2');
  t.equal(res.status, 200);
  t.equal(res.headers.get('x-total'), '45');
  t.equal(res.headers.get('x-total-pages'), '3');
  t.equal(res.headers.get('x-page'), '2');
  t.equal(res.headers.get('x-per-page'), '20');
  t.equal(res.headers.get('x-next-page'), '3');
  t.equal(res.headers.get('x-prev-page'), '1');
  const link = res.headers.get('link')!;
  for (const rel of ['prev', 'next', 'first', 'last']) t.match(link, new RegExp(`<${gl.url}/api/v4/projects/acme%2Fweb-app/merge_requests/12/notes\\?[^>]*page=\\d+[^>]*>; rel="${rel}"`));
  t.equal(((await res.json()) as unknown[]).length, 20);
  const last = await api(gl, '/projects/42/merge_requests/12/notes?per_page=500&page=1');
  t.equal(last.headers.get('x-per-page'), '100', 'per_page is capped at 100');
  t.equal(last.headers.get('x-next-page'), '');
  t.notMatch(last.headers.get('link')!, /rel="next"/);
});

t.test('auth and error bodies', async (t) => {
  const gl = await fakeWithMr(t);
  const bad = await fetch(`${gl.url}/api/v4/user`, { headers: { 'private-token': 'nope' } });
  t.equal(bad.status, 401);
  t.same(await bad.json(), { message: '401 Unauthorized' });
  const bearer = await fetch(`${gl.url}/api/v4/user`, { headers: { authorization: `Bearer ${TOKEN}` } });
  t.same(((await bearer.json()) as { id: number }).id, 99);
  const missing = await api(gl, `/projects/42/repository/files/${encodeURIComponent('no/such.yml')}/raw?ref=${HEAD}`);
  t.equal(missing.status, 404);
  t.same(await missing.json(), { message: '404 File Not Found' });
  const raw = await api(gl, `/projects/42/repository/files/${encodeURIComponent('.gitlab-ci.yml')}/raw?ref=${HEAD}`);
  t.match(await raw.text(), /docker push/);
  t.equal((await api(gl, '/projects/42/merge_requests/99')).status, 404);
});

const position = (extra: Record<string, unknown>) => ({
  position_type: 'text', base_sha: BASE, start_sha: BASE, head_sha: HEAD, old_path: '.gitlab-ci.yml', new_path: '.gitlab-ci.yml', ...extra,
});
const postDiscussion = (gl: { url: string }, pos: unknown, body = 'x') =>
  api(gl, '/projects/42/merge_requests/12/discussions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ body, position: pos }) });
const LINE_CODE_ERR = { message: '400 Bad request - Note {:line_code=>["can\'t be blank", "must be a valid line code"]}' };

t.test('diff positions are validated against the latest version', async (t) => {
  const gl = await fakeWithMr(t);
  // Line 1 is outside the hunk.
  let r = await postDiscussion(gl, position({ new_line: 1 }));
  t.equal(r.status, 400);
  t.same(await r.json(), LINE_CODE_ERR);
  // A context line needs old_line too.
  r = await postDiscussion(gl, position({ new_line: 7 }));
  t.equal(r.status, 400);
  // Stale head SHA.
  r = await postDiscussion(gl, { ...position({ new_line: 5 }), head_sha: 'd'.repeat(40) });
  t.equal(r.status, 400);
  // An added line with new_line only: accepted, with suggestions parsed.
  r = await postDiscussion(gl, position({ new_line: 8 }), 'Use a login\n\n```suggestion:-1+0\n    - docker build .\n    - docker push x\n```');
  t.equal(r.status, 201);
  const d = (await r.json()) as { id: string; notes: Array<Record<string, any>> };
  const n = d.notes[0]!;
  t.equal(n.type, 'DiffNote');
  t.equal(n.author.id, 99);
  t.equal(n.system, false);
  t.equal(n.resolvable, true);
  t.equal(n.resolved, false);
  t.same(n.suggestions, [{
    id: n.suggestions[0].id, from_line: 7, to_line: 8, appliable: true, applied: false,
    from_content: '    - docker build -t $CI_REGISTRY_IMAGE .\n    - docker push $CI_REGISTRY_IMAGE\n',
    to_content: '    - docker build .\n    - docker push x\n',
  }]);
  // Context line with both numbers: accepted.
  r = await postDiscussion(gl, position({ new_line: 7, old_line: 6 }));
  t.equal(r.status, 201);
  // Resolve the first thread.
  const put = await api(gl, `/projects/42/merge_requests/12/discussions/${d.id}?resolved=true`, { method: 'PUT' });
  t.equal(put.status, 200);
  t.equal(gl.discussions(42, 12)[0]!.notes[0]!.resolved, true);
});

t.test('plain gitbeaker talks to the fake (form-data positions, auto-pagination)', async (t) => {
  const gl = await fakeWithMr(t);
  const api = new Gitlab({ host: gl.url, token: TOKEN });
  const me = await api.Users.showCurrentUser();
  t.equal(me.id, 99);
  for (let i = 0; i < 25; i++) await api.MergeRequestNotes.create(42, 12, `note ${i}`);
  const all = await api.MergeRequestNotes.all(42, 12, { perPage: 10 });
  t.equal(all.length, 25, 'followed Link rel=next through 3 pages');
  t.equal(gl.calls('GET', '/merge_requests/12/notes').length, 3);
  const d = await api.MergeRequestDiscussions.create(42, 12, 'inline', {
    position: { positionType: 'text', baseSha: BASE, startSha: BASE, headSha: HEAD, oldPath: '.gitlab-ci.yml', newPath: '.gitlab-ci.yml', newLine: '5' },
  });
  t.equal(d.notes?.[0]?.type, 'DiffNote');
  const rec = gl.calls('POST', '/discussions').at(-1)!;
  t.match(String(rec.headers['content-type']), /^multipart\/form-data/);
  await t.rejects(
    api.MergeRequestDiscussions.create(42, 12, 'bad', {
      position: { positionType: 'text', baseSha: BASE, startSha: BASE, headSha: HEAD, oldPath: '.gitlab-ci.yml', newPath: '.gitlab-ci.yml', newLine: '1' },
    }),
    { message: /line_code/ },
  );
  const versions = await api.MergeRequests.allDiffVersions(42, 12);
  t.equal(versions[0]!.head_commit_sha, HEAD);
  const lc = createHash('sha1').update('.gitlab-ci.yml').digest('hex');
  t.equal(lc.length, 40);
});

t.test('pipelines, jobs, traces, commits, tree, lint', async (t) => {
  const gl = await fakeWithMr(t);
  gl.addPipeline({
    project: 42, id: 9001, sha: HEAD, ref: 'feature/docker-build',
    jobs: [
      { id: 55502, name: 'docker-build', stage: 'build', status: 'failed', allow_failure: false, trace: 'line1\ndenied: requested access to the resource is denied\n' },
      { id: 55501, name: 'hadolint', stage: 'lint', status: 'success', allow_failure: false },
    ],
  });
  const jobs = (await (await api(gl, '/projects/42/pipelines/9001/jobs?scope[]=failed')).json()) as Array<{ id: number; web_url: string }>;
  t.same(jobs.map((j) => j.id), [55502]);
  const jobs2 = (await (await api(gl, '/projects/42/pipelines/9001/jobs?scope=failed')).json()) as unknown[];
  t.equal(jobs2.length, 1);
  t.equal((await api(gl, '/projects/42/pipelines/9001/jobs?scope[]=bogus')).status, 400);
  const trace = await api(gl, '/projects/42/jobs/55502/trace');
  t.equal(trace.headers.get('content-type'), 'text/plain');
  t.match(await trace.text(), /denied/);
  const mrs = (await (await api(gl, `/projects/42/repository/commits/${HEAD}/merge_requests`)).json()) as Array<{ iid: number }>;
  t.same(mrs.map((m) => m.iid), [12]);
  const tree = (await (await api(gl, `/projects/42/repository/tree?ref=${HEAD}&recursive=true`)).json()) as Array<{ path: string; type: string }>;
  t.same(tree.map((e) => e.path).sort(), ['.gitlab-ci.yml', 'README.md']);
  const lint = (await (await api(gl, `/projects/42/ci/lint?content_ref=${HEAD}&include_jobs=true`)).json()) as { valid: boolean; jobs: unknown[] };
  t.equal(lint.valid, true);
  t.same(lint.jobs, []);
  const open = (await (await api(gl, '/projects/42/merge_requests?state=opened&updated_after=2000-01-01T00:00:00Z')).json()) as unknown[];
  t.equal(open.length, 1);
  const none = (await (await api(gl, '/projects/42/merge_requests?state=opened&updated_after=2999-01-01T00:00:00Z')).json()) as unknown[];
  t.equal(none.length, 0);
});

t.test('payload builders produce exactly the fields of the shared fixtures', async (t) => {
  const shared = path.join(sharedDir, 'fixtures', 'webhooks');
  if (!existsSync(shared)) return t.plan(0, 'shared fixtures absent');
  const shape = (v: unknown): unknown =>
    Array.isArray(v) ? (v.length ? shape(v[0]) : []) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, shape((v as Record<string, unknown>)[k])])) : null;
  const load = (f: string) => JSON.parse(readFileSync(path.join(shared, f), 'utf8'));
  const p = { id: 42, path: 'acme/web-app' };
  const mr = { iid: 12, sourceBranch: 'feature/docker-build', headSha: HEAD };
  t.same(shape(mergeRequestHook(p, mr, { action: 'update', oldrev: BASE })), shape(load('merge_request.json')));
  const jobs = [
    { id: 55503, name: 'unit-tests', stage: 'test', status: 'skipped' as const },
    { id: 55502, name: 'docker-build', stage: 'build', status: 'failed' as const },
  ];
  // Compare the build with a runner (the fixture's first build has runner: null).
  const pl = pipelineHook(p, { id: 9001, sha: HEAD, ref: 'feature/docker-build', status: 'failed', mr, jobs: [jobs[1]!] });
  const fx = load('pipeline.json');
  fx.builds = [fx.builds[1]];
  t.same(shape(pl), shape(fx));
  t.same(shape(jobHook(p, { ...jobs[1]!, pipelineId: 9001, sha: HEAD, ref: 'refs/merge-requests/12/head' })), shape(load('job.json')));
});

t.test('deliverWebhook sends GitLab\'s delivery headers', async (t) => {
  const { createServer } = await import('node:http');
  const { deliverWebhook } = await import('../fake-gitlab/webhooks.js');
  let seen: Record<string, unknown> = {};
  let body = '';
  const srv = createServer((req, res) => {
    seen = req.headers;
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => res.writeHead(202).end('{"status":"accepted"}'));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => srv.close(() => r())));
  const port = (srv.address() as { port: number }).port;
  const payload = mergeRequestHook({ id: 42, path: 'acme/web-app' }, { iid: 12, sourceBranch: 'f', headSha: HEAD }, { action: 'open' });
  const res = await deliverWebhook(`http://127.0.0.1:${port}/webhooks/gitlab`, 'Merge Request Hook', payload, { token: 's3cret', idempotencyKey: 'k-1' });
  t.equal(res.status, 202);
  t.match(seen, { 'x-gitlab-event': 'Merge Request Hook', 'x-gitlab-token': 's3cret', 'idempotency-key': 'k-1', 'user-agent': 'GitLab/18.2.0', 'content-type': 'application/json' });
  t.ok(seen['x-gitlab-event-uuid'] && seen['x-gitlab-webhook-uuid'] && seen['x-gitlab-instance']);
  t.equal(JSON.parse(body).object_attributes.action, 'open');
  t.notOk('oldrev' in JSON.parse(body).object_attributes, 'no oldrev without a code change');
});

t.test('seeded fault shares are deterministic; diff_refs can be empty right after open', async (t) => {
  const { Faults } = await import('../fake-gitlab/faults.js');
  const run = () => {
    const f = new Faults();
    f.set({ fault: { kind: 'status', status: 500 }, rate: 0.3, seed: 7 });
    return Array.from({ length: 50 }, () => (f.pick('GET', '/x') ? 1 : 0)).join('');
  };
  t.equal(run(), run());
  const hits = run().split('').filter((c) => c === '1').length;
  t.ok(hits > 5 && hits < 30, `about 30% (${hits}/50)`);
  const gl = await fakeWithMr(t);
  gl.addMergeRequest({ project: 42, iid: 13, sourceBranch: 'new', headSha: 'a'.repeat(40), baseSha: BASE, files: [{ path: 'x', newText: 'y\n' }], diffRefsReady: false });
  const mr = (await (await api(gl, '/projects/42/merge_requests/13')).json()) as { diff_refs: unknown; changes_count: unknown };
  t.equal(mr.diff_refs, null);
  t.equal(mr.changes_count, null);
  const versions = (await (await api(gl, '/projects/42/merge_requests/13/versions')).json()) as Array<{ head_commit_sha: string }>;
  t.equal(versions[0]!.head_commit_sha, 'a'.repeat(40), '/versions already has the SHAs');
});
