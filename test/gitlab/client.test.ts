import t from 'tap';
import { GitlabClient } from '../../src/gitlab/client.js';
import { GitlabRequestError, GitlabUnavailableError } from '../../src/gitlab/errors.js';
import { serverDelayMs } from '../../src/gitlab/retry.js';
import { fakeWithMr, TOKEN, HEAD } from './fixture.js';

/** A client whose sleeps are recorded, not waited, so tests count calls instead of timing. */
function client(url: string, policy: Record<string, number> = {}) {
  const waits: number[] = [];
  const c = new GitlabClient({
    host: url + '/',
    token: TOKEN,
    policy: { maxAttempts: 4, baseDelayMs: 10, attemptTimeoutMs: 2000, ...policy },
    sleep: async (ms) => void waits.push(ms),
    random: () => 1,
  });
  return { c, waits };
}

t.test('retries 429 honouring Retry-After and RateLimit-Reset', async (t) => {
  const gl = await fakeWithMr(t);
  const { c, waits } = client(gl.url);
  gl.faults.set({ fault: { kind: 'status', status: 429, retryAfter: 1 }, method: 'GET', path: '/merge_requests/12', count: 1 });
  const mr = await c.mergeRequest(42, 12);
  t.equal(mr.iid, 12);
  t.equal(gl.calls('GET', '/merge_requests/12').length, 2, 'one 429 then one success');
  t.same(waits, [1000], 'waited what Retry-After said, not gitbeaker\'s 0.25 ms');
  t.equal(serverDelayMs((n) => ({ 'ratelimit-reset': '1005' })[n], 1_000_000), 5000);
  t.equal(serverDelayMs((n) => ({ 'retry-after': new Date(1_003_000).toUTCString() })[n], 1_000_000), 3000);
  t.equal(serverDelayMs(() => undefined, 0), undefined);
});

t.test('retries 500/502/503, dropped connections and timeouts on reads', async (t) => {
  const gl = await fakeWithMr(t);
  const { c, waits } = client(gl.url, { attemptTimeoutMs: 200 });
  gl.faults.set({ fault: { kind: 'status', status: 500 }, path: '/versions', count: 1 });
  gl.faults.set({ fault: { kind: 'status', status: 502 }, path: '/versions', count: 1 });
  gl.faults.set({ fault: { kind: 'drop' }, path: '/versions', count: 1 });
  const refs = await c.latestDiffRefs(42, 12);
  t.equal(refs?.head_sha, HEAD);
  t.equal(gl.calls('GET', '/versions').length, 4);
  t.same(waits, [10, 20, 40], 'exponential backoff (jitter pinned to 1)');
  gl.faults.set({ fault: { kind: 'delay', ms: 600 }, path: '/diffs', count: 1 });
  const diffs = await c.mrDiffs(42, 12);
  t.equal(diffs.length, 1);
  t.equal(gl.calls('GET', '/diffs').length, 2, 'the slow attempt timed out and was retried');
});

t.test('dead ends are typed errors without the token', async (t) => {
  const gl = await fakeWithMr(t);
  const { c } = client(gl.url, { maxAttempts: 3 });
  gl.faults.set({ fault: { kind: 'status', status: 503 }, path: '/merge_requests/12', count: 10 });
  const e1 = await c.mergeRequest(42, 12).catch((e: unknown) => e);
  t.type(e1, GitlabUnavailableError);
  t.equal((e1 as GitlabUnavailableError).retryable, true);
  t.equal((e1 as GitlabUnavailableError).status, 503);
  t.equal(gl.calls('GET', '/merge_requests/12').length, 3, 'bounded attempts');
  gl.faults.clear();
  const e2 = await c.mergeRequest(42, 404).catch((e: unknown) => e);
  t.type(e2, GitlabRequestError);
  t.equal((e2 as GitlabRequestError).status, 404);
  t.equal((e2 as GitlabRequestError).gitlabMessage, '404 Not found');
  t.equal((e2 as GitlabRequestError).retryable, false);
  t.equal(gl.calls('GET', '/merge_requests/404').length, 1, '4xx is not retried');
  const bad = new GitlabClient({ host: gl.url, token: 'wrong-secret-token' });
  const e3 = await bad.currentUser().catch((e: unknown) => e);
  t.type(e3, GitlabRequestError);
  t.equal((e3 as GitlabRequestError).status, 401);
  for (const e of [e1, e2, e3]) t.notMatch(JSON.stringify({ m: (e as Error).message, s: (e as Error).stack, ...(e as object) }), /secret-token|glpat-test/);
  t.equal(await c.rawFile(42, 'missing.yml', HEAD), undefined, '404 on a file is undefined');
});

t.test('a POST is never blindly repeated after a dropped connection', async (t) => {
  const gl = await fakeWithMr(t);
  const { c } = client(gl.url);
  gl.faults.set({ fault: { kind: 'drop', after: true }, method: 'POST', path: '/notes', count: 1 });
  const e = await c.createMrNote(42, 12, 'hello').catch((x: unknown) => x);
  t.type(e, GitlabUnavailableError);
  t.equal((e as GitlabUnavailableError).details.ambiguous, true);
  t.equal(gl.calls('POST', '/notes').length, 1);
  t.equal(gl.notes(42, 12).length, 1, 'the write happened although the client saw an error');
  // 429 on a POST is safe to retry: GitLab rejected it before doing anything.
  gl.faults.set({ fault: { kind: 'status', status: 429, retryAfter: 1 }, method: 'POST', path: '/notes', count: 1 });
  await c.createMrNote(42, 12, 'again');
  t.equal(gl.notes(42, 12).length, 2);
});

t.test('job traces stream without buffering the whole log', async (t) => {
  const gl = await fakeWithMr(t);
  const chunk = 'x'.repeat(1023) + '\n';
  gl.addPipeline({
    project: 42, id: 1, sha: HEAD, ref: 'main',
    jobs: [{ id: 7, name: 'big', stage: 'build', status: 'failed', allow_failure: false, trace: async function* () { for (let i = 0; i < 8 * 1024; i++) yield chunk; } }],
  });
  const { c } = client(gl.url);
  let bytes = 0;
  let chunks = 0;
  for await (const b of c.streamJobTrace(42, 7)) {
    bytes += b.byteLength;
    chunks++;
  }
  t.equal(bytes, 8 * 1024 * 1024);
  t.ok(chunks > 1, 'arrived in several chunks');
  const failed = await c.failedJobs(42, 1);
  t.same(failed.map((j) => j.id), [7]);
  // GitLab takes `scope=failed` and `scope[]=failed` alike (lib/api/ci/jobs.rb: String or Array[String]).
  t.same([gl.calls('GET', '/pipelines/1/jobs')[0]!.query['scope']].flat(), ['failed']);
});

t.test('falls back to /changes and the MR diff_refs where /diffs and /versions are missing (older GitLab)', async (t) => {
  const gl = await fakeWithMr(t);
  const { c } = client(gl.url);
  gl.faults.set({ fault: { kind: 'status', status: 404 }, method: 'GET', path: /\/merge_requests\/12\/(diffs|versions)/ });
  const diffs = await c.mrDiffs(42, 12);
  t.ok(diffs.length > 0, 'diffs read from /changes');
  t.equal(gl.calls('GET', '/merge_requests/12/changes').length, 1);
  const refs = await c.latestDiffRefs(42, 12);
  t.equal(refs?.head_sha, HEAD, 'diff_refs from the MR itself');
});

t.test('an unknown MR is still a 404 after the /changes fallback', async (t) => {
  const gl = await fakeWithMr(t);
  const { c } = client(gl.url);
  const err = await c.mrDiffs(42, 999).then(() => undefined, (e: unknown) => e);
  t.ok(err instanceof GitlabRequestError && err.status === 404, 'GitlabRequestError 404');
});

t.test('lists are read to the end through gitbeaker, following Link rel=next', async (t) => {
  const gl = await fakeWithMr(t);
  const jobs = Array.from({ length: 230 }, (_, i) => ({ id: 1000 + i, name: `job-${i}`, stage: 'test', status: 'failed' as const, allow_failure: false, trace: '' }));
  gl.addPipeline({ project: 42, id: 9, sha: HEAD, ref: 'main', jobs });
  const { c } = client(gl.url);
  const failed = await c.failedJobs(42, 9);
  t.equal(failed.length, 230, 'every failed job');
  t.equal(gl.calls('GET', '/pipelines/9/jobs').length, 3, 'three pages of 100');
});
