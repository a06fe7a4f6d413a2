// MR review end to end: webhooks over HTTP into the real service, against the fake GitLab.
import t from 'tap';
import { buildCheckContext } from '../../src/analysis/rules/context.js';
import { runStaticChecks } from '../../src/analysis/rules/run.js';
import { resolveCiConfigFromFiles } from '../../src/analysis/ci-config/index.js';
import { parseDockerfile } from '../../src/analysis/dockerfile/parse.js';
import { mergeRequestHook } from '../fake-gitlab/index.js';
import { FROM_ARG, REGISTRY, seedFile, seedWorld } from '../demo/world.js';
import { applySuggestion, diffThreads, harness, plainNotes, writes } from './helpers.js';

const openHook = (s = REGISTRY) => mergeRequestHook(s.project, s.mr, { action: 'open' });

t.test('seed 1: one suggestion adding docker login, one summary note', async (t) => {
  const h = await harness(t, { seed: seedWorld });
  t.equal((await h.deliver('Merge Request Hook', openHook())).status, 202);
  await h.idle();
  const threads = diffThreads(h, 42, 1);
  t.equal(threads.length, 1, 'exactly one inline thread');
  const note = threads[0]!.notes[0]!;
  t.equal(note.position?.new_path, '.gitlab-ci.yml');
  t.equal(note.position?.new_line, 18, 'anchored on the build job key');
  t.match(note.body, /^\*\*Image pushed to the GitLab registry without docker login\*\*/);
  t.match(note.body, '```suggestion:-0+0\nbuild:\n  before_script:\n    - echo -n "$CI_JOB_TOKEN" | docker login -u gitlab-ci-token --password-stdin "$CI_REGISTRY"\n```');
  t.equal(note.suggestions?.length, 1, 'GitLab sees an appliable suggestion');

  const fixed = applySuggestion(seedFile('registry-login.gitlab-ci.yml'), 18, note.body);
  t.match(fixed, 'build:\n  before_script:\n    - echo -n "$CI_JOB_TOKEN" | docker login');
  const ci = await resolveCiConfigFromFiles(new Map([['.gitlab-ci.yml', fixed]]));
  t.same(ci.problems, [], 'the fixed file is valid CI');
  t.same(runStaticChecks(buildCheckContext(ci, new Map()), { ruleIds: ['registry-login-missing'] }), [], 'the fixed file has no finding');

  const notes = plainNotes(h, 42, 1);
  t.equal(notes.length, 1, 'one summary note');
  const summary = notes[0]!.body;
  t.match(summary, '## ci-medic review');
  t.match(summary, `Reviewed commit [\`a1b2c3d4\`](https://gitlab.example.com/acme/web-app/-/commit/${REGISTRY.mr.headSha})`);
  t.match(summary, 'Found 1 problem: 🔴 1 error.');
  t.match(summary, `[\`.gitlab-ci.yml:26\`](https://gitlab.example.com/acme/web-app/-/blob/${REGISTRY.mr.headSha}/.gitlab-ci.yml#L26)`);
  t.match(summary, '<!-- ci-medic:summary -->');
});

t.test('seed 2: ARG lines before FROM and --build-arg in the job, both appliable', async (t) => {
  const h = await harness(t, { seed: seedWorld });
  await h.deliver('Merge Request Hook', openHook(FROM_ARG));
  await h.idle();
  // Other rules may comment too (e.g. on --cache-from); these are the seed's two threads.
  const threads = diffThreads(h, 43, 2).map((d) => d.notes[0]!).filter((n) => n.body.includes('FROM uses a variable that no ARG before the first FROM declares'));
  t.same(threads.map((n) => [n.position?.new_path, n.position?.new_line]), [['Dockerfile', 1], ['.gitlab-ci.yml', 21]]);
  // The seed's working fix: ARGs with defaults, and a stable tag instead of the before-SHA.
  t.match(threads[0]!.body, '```suggestion:-0+0\nARG CI_REGISTRY_IMAGE=registry.invalid/set-by-ci\nARG BASE_TAG=latest\nFROM $CI_REGISTRY_IMAGE:$BASE_TAG\n```');
  t.match(threads[1]!.body, /^Part 2 of the fix for /);
  const dockerfile = applySuggestion(seedFile('from-arg.Dockerfile'), 1, threads[0]!.body);
  t.match(dockerfile, /^ARG CI_REGISTRY_IMAGE=registry\.invalid\/set-by-ci\nARG BASE_TAG=latest\nFROM \$CI_REGISTRY_IMAGE:\$BASE_TAG\n/);
  const ci = applySuggestion(seedFile('from-arg.gitlab-ci.yml'), 21, threads[1]!.body);
  t.match(ci, '--build-arg CI_REGISTRY_IMAGE=$CI_REGISTRY_IMAGE');
  t.notMatch(ci, '--build-arg CI_COMMIT_BEFORE_SHA');
  // After both suggestions nothing is left to report.
  const config = await resolveCiConfigFromFiles(new Map([['.gitlab-ci.yml', ci]]));
  const ctx = buildCheckContext(config, new Map([['Dockerfile', parseDockerfile('Dockerfile', dockerfile)]]));
  t.same(runStaticChecks(ctx, { ruleIds: ['dockerfile-from-undeclared-arg'] }), []);
  t.equal(plainNotes(h, 43, 2).length, 1, 'one summary note');
});

t.test('nothing new on redelivery: same Idempotency-Key, and a new delivery for the same head', async (t) => {
  const h = await harness(t, { seed: seedWorld });
  await h.deliver('Merge Request Hook', openHook(), { idempotencyKey: 'delivery-1' });
  await h.idle();
  const before = writes(h).length;
  const notes = h.fake.notes(42, 1).map((n) => n.body);
  t.ok(before > 0);

  const again = await h.deliver('Merge Request Hook', openHook(), { idempotencyKey: 'delivery-1' });
  t.equal(again.status, 202);
  await h.idle();
  const reopened = await h.deliver('Merge Request Hook', mergeRequestHook(REGISTRY.project, REGISTRY.mr, { action: 'reopen' }), { idempotencyKey: 'delivery-2' });
  t.equal(reopened.status, 202);
  await h.idle();
  t.equal(writes(h).length, before, 'no POST/PUT after the first review');
  t.same(h.fake.notes(42, 1).map((n) => n.body), notes, 'notes unchanged');
});

t.test('401 on a bad token, and no API call made to the fake', async (t) => {
  const h = await harness(t, { seed: seedWorld });
  for (const token of ['wrong-secret', '']) {
    const res = await h.deliver('Merge Request Hook', openHook(), { token });
    t.equal(res.status, 401, `token ${JSON.stringify(token)}`);
  }
  const { deliverWebhook } = await import('../fake-gitlab/index.js');
  const missing = await deliverWebhook(h.hookUrl, 'Merge Request Hook', openHook());
  t.equal(missing.status, 401, 'no token header at all');
  await h.idle();
  t.same(h.fake.requests, [], 'ci-medic never called GitLab');
  t.same(await h.service.queue.list(), [], 'nothing stored');
});

t.test('an MR that touches no CI file costs exactly one API call (the diffs list)', async (t) => {
  const h = await harness(t, {
    seed: (fake) => {
      fake.addProject({ id: 50, path: 'acme/docs' });
      fake.addMergeRequest({
        project: 50, iid: 9, sourceBranch: 'docs/readme', baseSha: 'c'.repeat(40), headSha: 'd'.repeat(40),
        files: [{ path: 'README.md', oldText: '# Docs\n', newText: '# Docs\n\nMore words.\n' }, { path: 'src/docker.ts', newText: 'export {};\n' }],
      });
    },
  });
  await h.deliver('Merge Request Hook', mergeRequestHook({ id: 50, path: 'acme/docs' }, { iid: 9, sourceBranch: 'docs/readme', headSha: 'd'.repeat(40) }, { action: 'open' }));
  await h.idle();
  t.same(h.fake.requests.map((r) => `${r.method} ${r.path}`), ['GET /projects/50/merge_requests/9/diffs']);
  t.same(h.fake.notes(50, 9), [], 'nothing posted');
});

t.test('a push that fixes the finding resolves its thread naming the fixing commit', async (t) => {
  const h = await harness(t, { seed: seedWorld });
  await h.deliver('Merge Request Hook', openHook());
  await h.idle();
  const thread = diffThreads(h, 42, 1)[0]!;
  const fixedText = applySuggestion(seedFile('registry-login.gitlab-ci.yml'), 18, thread.notes[0]!.body);
  const fixSha = 'f1f2f3f4'.repeat(5);
  h.fake.addMrVersion({ project: 42, iid: 1, headSha: fixSha, files: [{ path: '.gitlab-ci.yml', newText: fixedText }, { path: 'Dockerfile', newText: seedFile('registry-login.Dockerfile') }] });
  await h.deliver('Merge Request Hook', mergeRequestHook(REGISTRY.project, { ...REGISTRY.mr, headSha: fixSha }, { action: 'update', oldrev: REGISTRY.mr.headSha }));
  await h.idle();

  const after = h.fake.discussions(42, 1).find((d) => d.id === thread.id)!;
  t.equal(after.notes.length, 2, 'one reply');
  t.match(after.notes[1]!.body, `Fixed in ${fixSha}`);
  t.ok(after.notes.every((n) => n.resolved), 'thread resolved');
  t.equal(diffThreads(h, 42, 1).length, 1, 'no new thread');
  const summary = plainNotes(h, 42, 1);
  t.equal(summary.length, 1, 'summary edited in place, not re-posted');
  t.match(summary[0]!.body, 'found no problems');
  t.match(summary[0]!.body, fixSha.slice(0, 8));
});

t.test('an older head is superseded: the review runs on the current head only', async (t) => {
  const h = await harness(t, { seed: seedWorld });
  const newer = 'e1e2e3e4'.repeat(5);
  h.fake.addMrVersion({ project: 42, iid: 1, headSha: newer, files: [{ path: '.gitlab-ci.yml', newText: seedFile('registry-login.gitlab-ci.yml') }, { path: 'Dockerfile', newText: seedFile('registry-login.Dockerfile') }] });
  await h.deliver('Merge Request Hook', openHook());
  await h.idle();
  t.match(plainNotes(h, 42, 1)[0]!.body, newer.slice(0, 8), 'the summary names the current head');
  t.equal(await h.service.queue.getResult('review-mr:42:1', newer), 'reviewed');
  t.equal(await h.service.queue.getResult('review-mr:42:1', REGISTRY.mr.headSha), undefined);
});

t.test('a broken CI file is a finding, not a crash; per-project settings apply', async (t) => {
  const h = await harness(t, {
    seed: (fake) => {
      fake.addProject({ id: 60, path: 'acme/broken' });
      fake.addMergeRequest({
        project: 60, iid: 3, sourceBranch: 'ci/oops', baseSha: '1'.repeat(40), headSha: '2'.repeat(40),
        files: [
          { path: '.gitlab-ci.yml', newText: 'build:\n  script: [\n' },
          { path: 'Dockerfile', newText: 'FROM $BASE\n' },
          { path: '.gitlab/ci-medic.yml', newText: 'disable: [dockerfile-from-undeclared-arg, dockerfile-undefined-var]\n' },
        ],
      });
    },
  });
  await h.deliver('Merge Request Hook', mergeRequestHook({ id: 60, path: 'acme/broken' }, { iid: 3, sourceBranch: 'ci/oops', headSha: '2'.repeat(40) }, { action: 'open' }));
  const stats = await h.idle();
  t.equal(stats.dead, 0);
  const summary = plainNotes(h, 60, 3)[0]!.body;
  t.match(summary, '`ci-config-invalid`');
  t.notMatch(summary, 'dockerfile-from-undeclared-arg', 'disabled by .gitlab/ci-medic.yml');
});

t.test('GitLab faults (429 with Retry-After, 500, a dropped POST) still give exactly one thread and one summary', async (t) => {
  const h = await harness(t, { seed: seedWorld });
  h.fake.faults.set({ fault: { kind: 'status', status: 429, retryAfter: 0 }, method: 'GET', path: '/diffs', count: 1 });
  h.fake.faults.set({ fault: { kind: 'status', status: 500 }, method: 'GET', path: '/repository/files/', count: 2 });
  // The discussion is created, but the answer never arrives: the retry must find it, not re-post.
  h.fake.faults.set({ fault: { kind: 'drop', after: true }, method: 'POST', path: '/discussions', count: 1 });
  h.fake.faults.set({ fault: { kind: 'status', status: 502 }, method: 'POST', path: '/notes', count: 3 });
  await h.deliver('Merge Request Hook', openHook());
  const stats = await h.idle(30_000);
  t.equal(stats.dead, 0, 'nothing dead-lettered');
  t.ok(Object.keys(h.fake.faults.injected).length >= 3, 'faults were injected');
  t.equal(diffThreads(h, 42, 1).length, 1, 'one thread');
  t.equal(plainNotes(h, 42, 1).length, 1, 'one summary');
});
