import t, { type Test } from 'tap';
import { GitlabClient } from '../../src/gitlab/client.js';
import { publishReview, publishDiagnosis } from '../../src/gitlab/publisher.js';
import { findingFingerprint, keyFindings } from '../../src/gitlab/markers.js';
import { planReview, resolvedReply } from '../../src/report/markdown/review.js';
import { renderReviewSummary } from '../../src/report/markdown/summary.js';
import { changedLinesFromDiffs } from '../../src/analysis/fixes/diff.js';
import type { Finding } from '../../src/analysis/types.js';
import type { FakeGitlab } from '../fake-gitlab/index.js';
import { fakeWithMr, TOKEN, HEAD, NEW_CI } from './fixture.js';
import { applySuggestion } from './helpers.js';

const LOGIN = '    - echo -n "$CI_JOB_TOKEN" | docker login -u gitlab-ci-token --password-stdin "$CI_REGISTRY"';
const DOCKERFILE = 'FROM $CI_REGISTRY_IMAGE:$CI_COMMIT_BEFORE_SHA\nRUN true\n';

/** The registry-login finding for a CI file whose `script:` is at `scriptLine`. */
function loginFinding(scriptLine: number, pushLine: number): Finding {
  return {
    ruleId: 'registry-login-missing',
    severity: 'error',
    title: 'Image pushed to the GitLab registry without docker login',
    message: 'Job `build` runs `docker push $CI_REGISTRY_IMAGE` without logging in to $CI_REGISTRY.',
    location: { path: '.gitlab-ci.yml', line: pushLine },
    evidence: { job: 'build' },
    fix: { description: 'Add docker login to before_script', edits: [{ path: '.gitlab-ci.yml', startLine: scriptLine, endLine: scriptLine - 1, newLines: ['  before_script:', LOGIN] }] },
  };
}

const argFinding: Finding = {
  ruleId: 'dockerfile-from-undeclared-arg',
  severity: 'error',
  title: 'FROM uses a variable no ARG declares',
  message: '`CI_COMMIT_BEFORE_SHA` does not exist inside the Dockerfile.',
  location: { path: 'Dockerfile', line: 1 },
  fix: { description: 'Declare the ARG before FROM', edits: [{ path: 'Dockerfile', startLine: 1, endLine: 0, newLines: ['ARG CI_COMMIT_BEFORE_SHA=latest'] }] },
};

async function setup(t: Test) {
  const gl = await fakeWithMr(t);
  gl.setFile(42, HEAD, 'Dockerfile', DOCKERFILE);
  const client = new GitlabClient({ host: gl.url, token: TOKEN, policy: { baseDelayMs: 1, attemptTimeoutMs: 2000 } });
  return { gl, client };
}

/** What review-mr does: key the findings, plan the bodies, publish; `note` is a line of the summary. */
async function review(gl: FakeGitlab, client: GitlabClient, headSha: string, findings: Finding[], note: string) {
  const diffs = await client.mrDiffs(42, 12);
  const fileText = (p: string) => gl.state.file(gl.state.mustProject(42), headSha, p);
  const { keyed } = keyFindings(findings, fileText);
  const plan = planReview(keyed, fileText, changedLinesFromDiffs(diffs));
  return publishReview({
    client, project: 42, mrIid: 12, headSha, threads: plan.threads, diffs, resolvedBody: resolvedReply(headSha),
    summary: (unposted) => renderReviewSummary({ headSha, findings, notes: [note], outside: plan.outside, unposted, fileText }),
  });
}

const writes = (gl: FakeGitlab, from: number) => gl.requests.slice(from).filter((r) => r.method !== 'GET');

t.test('creates the summary and one discussion; a re-run posts nothing', async (t) => {
  const { gl, client } = await setup(t);
  const r1 = await review(gl, client, HEAD, [loginFinding(6, 8), argFinding], 'ci-medic found 2 problems.');
  t.equal(r1.status, 'published');
  t.equal(r1.created.length, 1, 'the Dockerfile is not in the diff: no thread for it');
  const posts = writes(gl, 0);
  t.same(posts.map((r) => `${r.method} ${r.path}`), ['POST /projects/42/merge_requests/12/discussions', 'POST /projects/42/merge_requests/12/notes']);
  const pos = posts[0]!.body.position as Record<string, unknown>;
  t.same(pos, { position_type: 'text', base_sha: 'b'.repeat(40), start_sha: 'b'.repeat(40), head_sha: HEAD, old_path: '.gitlab-ci.yml', new_path: '.gitlab-ci.yml', new_line: 5 });
  const thread = gl.discussions(42, 12)[0]!.notes[0]!;
  t.match(thread.body, /^\*\*Image pushed to the GitLab registry without docker login\*\*\n\n/);
  t.match(thread.body, /<!-- ci-medic:finding [0-9a-f]{16} -->$/);
  t.equal(thread.suggestions!.length, 1);
  t.equal(thread.suggestions![0]!.appliable, true);
  const block = /(```suggestion[\s\S]*?\n```)/.exec(thread.body)![1]!;
  t.equal(applySuggestion(NEW_CI, 5, block), NEW_CI.replace('  script:\n', `  before_script:\n${LOGIN}\n  script:\n`));
  const summary = gl.notes(42, 12).find((n) => n.type === null)!;
  t.match(summary.body, '_ci-medic found 2 problems._');
  t.match(summary.body, /\n\n#### Changes outside this merge request's diff\n\n\*\*FROM uses a variable no ARG declares\*\* — Declare the ARG before FROM\n\n```diff\n--- a\/Dockerfile\n\+\+\+ b\/Dockerfile\n@@ -1,2 \+1,3 @@\n\+ARG CI_COMMIT_BEFORE_SHA=latest\n/);
  t.match(summary.body, /\n\n<!-- ci-medic:summary -->$/);

  const mark = gl.requests.length;
  const r2 = await review(gl, client, HEAD, [loginFinding(6, 8), argFinding], 'ci-medic found 2 problems.');
  t.same(writes(gl, mark), [], 'nothing posted or edited on the same head');
  t.same(r2.kept, r1.created);
  t.equal(gl.discussions(42, 12).length, 2, 'one thread + the summary');
});

t.test('a new push edits the summary in place and keeps the moved finding', async (t) => {
  const { gl, client } = await setup(t);
  await review(gl, client, HEAD, [loginFinding(6, 8)], 'ci-medic found 1 problem.');
  const head2 = 'e'.repeat(40);
  gl.addMrVersion({ project: 42, iid: 12, headSha: head2, files: [{ path: '.gitlab-ci.yml', newText: '# build the image\n' + NEW_CI }] });
  const mark = gl.requests.length;
  const r = await review(gl, client, head2, [loginFinding(7, 9)], 'ci-medic found 1 problem at eeeeeee.');
  t.same(r.created, []);
  t.equal(r.kept.length, 1, 'same rule, path and line text: same thread');
  t.same(writes(gl, mark).map((x) => `${x.method} ${x.path}`), ['PUT /projects/42/merge_requests/12/notes/' + gl.notes(42, 12).find((n) => n.type === null)!.id]);
  t.match(gl.notes(42, 12).find((n) => n.type === null)!.body, 'ci-medic found 1 problem at eeeeeee.');
  // An older head is stale now: nothing is written.
  const mark2 = gl.requests.length;
  t.equal((await review(gl, client, HEAD, [], 'old')).status, 'stale');
  t.same(writes(gl, mark2), []);
});

t.test('a fixed finding is answered with the fixing commit and resolved, once', async (t) => {
  const { gl, client } = await setup(t);
  await review(gl, client, HEAD, [loginFinding(6, 8)], 'one problem');
  const fixed = 'f'.repeat(40);
  gl.addMrVersion({ project: 42, iid: 12, headSha: fixed, files: [{ path: '.gitlab-ci.yml', newText: NEW_CI.replace('  script:\n', `  before_script:\n${LOGIN}\n  script:\n`) }] });
  const r = await review(gl, client, fixed, [], 'no problems');
  t.equal(r.resolved.length, 1);
  const thread = gl.discussions(42, 12).find((d) => d.notes[0]!.type === 'DiffNote')!;
  t.equal(thread.notes.length, 2);
  t.match(thread.notes[1]!.body, new RegExp(`^Fixed in ${fixed}`));
  t.ok(thread.notes.every((n) => n.resolved), 'thread resolved');
  const mark = gl.requests.length;
  await review(gl, client, fixed, [], 'no problems');
  t.same(writes(gl, mark), [], 'a resolved thread is left alone');
});

t.test('a dropped connection during POST does not produce a duplicate', async (t) => {
  const { gl, client } = await setup(t);
  gl.faults.set({ fault: { kind: 'drop', after: true }, method: 'POST', path: '/discussions', count: 1 });
  gl.faults.set({ fault: { kind: 'drop', after: true }, method: 'POST', path: '/notes', count: 1 });
  const r = await review(gl, client, HEAD, [loginFinding(6, 8)], 'one problem');
  t.equal(r.created.length, 1);
  t.equal(gl.calls('POST', '/discussions').length, 1, 'the lost answer was found by its marker, not re-posted');
  t.equal(gl.calls('POST', '/notes').length, 1);
  t.equal(gl.discussions(42, 12).length, 2);
  // A 502 before anything happened is retried by re-listing, then posting again.
  const { gl: gl2, client: c2 } = await setup(t);
  gl2.faults.set({ fault: { kind: 'status', status: 502 }, method: 'POST', path: '/discussions', count: 1 });
  await review(gl2, c2, HEAD, [loginFinding(6, 8)], 'one problem');
  t.equal(gl2.calls('POST', '/discussions').length, 2);
  t.equal(gl2.discussions(42, 12).filter((d) => d.notes[0]!.type === 'DiffNote').length, 1);
});

t.test('only the bot\'s own notes are edited', async (t) => {
  const { gl, client } = await setup(t);
  // A human quotes the marker: the bot must not adopt (or edit) that note.
  gl.state.addNote(42, 12, gl.state.user({ id: 7, username: 'alice' }), 'quoting <!-- ci-medic:summary -->');
  await review(gl, client, HEAD, [], 'clean');
  t.equal(gl.calls('PUT', '/notes').length, 0);
  t.equal(gl.calls('POST', '/notes').length, 1, 'created its own summary instead');
});

t.test('diagnosis: one note per pipeline on an MR, one comment on a commit', async (t) => {
  const { gl, client } = await setup(t);
  const a = await publishDiagnosis({ client, project: 42, target: { kind: 'mr', iid: 12 }, pipelineId: 9001, markdown: 'job docker-build failed' });
  const b = await publishDiagnosis({ client, project: 42, target: { kind: 'mr', iid: 12 }, pipelineId: 9001, markdown: 'jobs docker-build and test failed' });
  t.same(a, b, 'same note');
  await publishDiagnosis({ client, project: 42, target: { kind: 'mr', iid: 12 }, pipelineId: 9001, markdown: 'jobs docker-build and test failed' });
  t.equal(gl.calls('POST', '/notes').length, 1);
  t.equal(gl.calls('PUT', '/notes').length, 1, 'edited only when the body changed');
  t.match(gl.notes(42, 12)[0]!.body, /jobs docker-build and test failed\n\n<!-- ci-medic:diagnosis pipeline=9001 -->$/);
  await publishDiagnosis({ client, project: 42, target: { kind: 'mr', iid: 12 }, pipelineId: 9002, markdown: 'other pipeline' });
  t.equal(gl.calls('POST', '/notes').length, 2, 'another pipeline gets its own note');
  const sha = '1'.repeat(40);
  t.same(await publishDiagnosis({ client, project: 42, target: { kind: 'commit', sha }, pipelineId: 9003, markdown: 'failed' }), { kind: 'commit-comment', created: true });
  t.same(await publishDiagnosis({ client, project: 42, target: { kind: 'commit', sha }, pipelineId: 9003, markdown: 'failed' }), { kind: 'commit-comment', created: false });
  t.equal(gl.calls('POST', `/commits/${sha}/comments`).length, 1);
});

t.test('keyFindings: unique keys within a review; a lone finding keeps its old fingerprint; exact duplicates dropped', async (t) => {
  const text = 'FROM alpine\nMAINTAINER me\nRUN true\nMAINTAINER me\n';
  const fileText = () => text;
  const at = (line: number, message = 'MAINTAINER is deprecated'): Finding => ({
    ruleId: 'dockerfile-maintainer-deprecated', severity: 'warning', title: 'MAINTAINER', message, location: { path: 'Dockerfile', line },
  });
  const lone = keyFindings([at(2)], fileText);
  t.same(lone.keyed.map((k) => k.key), [findingFingerprint(at(2), fileText)], 'the same key as before occurrences were counted');
  const two = keyFindings([at(4), at(2)], fileText);
  t.equal(new Set(two.keyed.map((k) => k.key)).size, 2, 'two identical lines, two keys');
  t.equal(two.keyed.find((k) => k.finding.location!.line === 2)!.key, lone.keyed[0]!.key, 'the first occurrence (by line) keeps the plain fingerprint');
  t.same(keyFindings([at(4), at(2)], fileText).keyed.map((k) => k.key), two.keyed.map((k) => k.key), 'deterministic');
  const dup = keyFindings([at(2), at(2), at(2, 'another problem on the same line')], fileText);
  t.equal(dup.duplicates.length, 1, 'the exact duplicate is dropped');
  t.equal(new Set(dup.keyed.map((k) => k.key)).size, 2, 'a different problem on the same line keeps its own key');
});
