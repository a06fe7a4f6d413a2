// Issue 9, items 2, 3, 7 and 8 end to end: webhooks into the real service, bodies read back from
// the fake GitLab, which renders each one with markdown-it (test/fake-gitlab/markdown-check.ts;
// the harness fails any test that posted a live mention, raw HTML or an image).
import t from 'tap';
import { resolveCiConfigFromFiles } from '../../src/analysis/ci-config/index.js';
import { buildCheckContext } from '../../src/analysis/rules/context.js';
import { runStaticChecks } from '../../src/analysis/rules/run.js';
import { codeNodes, mergeRequestHook, type FakeGitlab, type FileChange } from '../fake-gitlab/index.js';
import type { FaultRule } from '../fake-gitlab/faults.js';
import { applySuggestion, diffThreads, harness, plainNotes } from './helpers.js';

const HOSTILE_JOB = 'x` @all </details><img src=x onerror=alert(1)> `y';
const HOSTILE_IMAGE = 'alpine:3 @all </details><img src=x onerror=alert(1)>';
const HOSTILE_STAGE = '@here <b>stage</b>';
const HOSTILE_DIR = 'ops/@all </details><img src=x onerror=alert(1)>';

const project = { id: 90, path: 'acme/hostile' };
const base = '9'.repeat(40);
const head = '8'.repeat(40);

function openMr(fake: FakeGitlab, files: FileChange[], headSha = head): void {
  fake.addProject(project);
  fake.addMergeRequest({ project: project.id, iid: 4, sourceBranch: 'evil', baseSha: base, headSha, files });
}

const hook = (headSha = head, action: 'open' | 'update' = 'open') =>
  mergeRequestHook(project, { iid: 4, sourceBranch: 'evil', headSha }, { action, ...(action === 'update' ? { oldrev: head } : {}) });

/** Every body the bot posted or edited, as it reached the fake. */
const postedBodies = (fake: FakeGitlab) => fake.requests.filter((r) => r.method !== 'GET').map((r) => r.body.body ?? r.body.note).filter((b): b is string => typeof b === 'string');

t.test('hostile job, image, stage and path names: every body has them in code only, nothing live', async (t) => {
  const ci = [
    `${JSON.stringify(HOSTILE_JOB)}:`,
    `  image: ${JSON.stringify(HOSTILE_IMAGE)}`,
    `  stage: ${JSON.stringify(HOSTILE_STAGE)}`,
    '  script:',
    `    - docker build -t $CI_REGISTRY_IMAGE -f ${JSON.stringify(`${HOSTILE_DIR}/Dockerfile`)} .`,
    '    - docker push $CI_REGISTRY_IMAGE',
    '',
  ].join('\n');
  const h = await harness(t, {
    seed: (fake) => openMr(fake, [
      { path: '.gitlab-ci.yml', newText: ci },
      { path: `${HOSTILE_DIR}/Dockerfile`, newText: 'FROM alpine:3\nMAINTAINER @all <img src=x onerror=alert(1)>\n' },
    ]),
  });
  t.equal((await h.deliver('Merge Request Hook', hook())).status, 202);
  const stats = await h.idle();
  t.equal(stats.dead, 0);

  const bodies = postedBodies(h.fake);
  t.ok(bodies.length >= 3, 'threads and the summary were posted');
  t.ok(h.fake.bodies.checked >= bodies.length, 'the fake rendered every one of them');
  t.same(h.fake.bodies.violations, [], 'no live mention, no raw HTML, no image in any body');

  const threads = diffThreads(h, project.id, 4).map((d) => d.notes[0]!.body);
  const login = threads.find((b) => b.includes('registry-login-missing') || b.includes('without docker login'));
  t.ok(login, 'the push without login has a thread');
  t.ok(codeNodes(login!).some((n) => n.type === 'code_inline' && n.content === HOSTILE_JOB), 'the job name is one code span, exactly as written');

  const summary = plainNotes(h, project.id, 4)[0]!.body;
  const nodes = codeNodes(summary).map((n) => n.content);
  t.ok(nodes.includes(HOSTILE_JOB), 'job name in code in the summary');
  t.ok(nodes.includes(HOSTILE_IMAGE), 'image name in code in the summary');
  t.ok(nodes.includes(HOSTILE_STAGE), 'stage name in code in the summary');
  t.ok(nodes.includes(`${HOSTILE_DIR}/Dockerfile:2`), 'path in code in the summary');
  // Item 7: a CI-config problem is reported once, by ci-config-invalid.
  t.equal(summary.split('\n').filter((l) => l.startsWith('- ') && l.includes('uses stage')).length, 1, 'the unknown stage is listed once');
  t.equal(threads.filter((b) => b.includes('uses stage')).length <= 1, true, 'and gets at most one thread');
});

t.test('a literal docker login password: the suggestion reads $REGISTRY_PASSWORD, no body carries the secret, the message says to rotate it', async (t) => {
  const ci = 'deploy:\n  image: docker:24\n  script:\n    - docker login -u deploy -p hunter2-S3cretPass registry.example.com\n    - docker push registry.example.com/acme/app\n';
  const h = await harness(t, { seed: (fake) => openMr(fake, [{ path: '.gitlab-ci.yml', oldText: 'deploy:\n  script: [echo]\n', newText: ci }]) });
  await h.deliver('Merge Request Hook', hook());
  t.equal((await h.idle()).dead, 0);
  for (const b of postedBodies(h.fake)) t.notMatch(b, 'hunter2', 'the secret is in no posted body');
  const thread = diffThreads(h, project.id, 4).map((d) => d.notes[0]!).find((n) => n.body.includes('--password-stdin'))!;
  t.ok(thread, 'the finding has a thread');
  t.match(thread.body, '```suggestion:-0+0\n    - echo -n "$REGISTRY_PASSWORD" | docker login -u deploy --password-stdin registry.example.com\n```');
  t.match(thread.body, 'rotate it');
  t.equal(thread.suggestions?.length, 1, 'GitLab sees an appliable suggestion');
  // Applied, it removes its finding and adds none.
  const fixed = applySuggestion(ci, thread.position!.new_line!, thread.body);
  const before = runStaticChecks(buildCheckContext(await resolveCiConfigFromFiles(new Map([['.gitlab-ci.yml', ci]])), new Map()));
  const after = runStaticChecks(buildCheckContext(await resolveCiConfigFromFiles(new Map([['.gitlab-ci.yml', fixed]])), new Map()));
  t.ok(before.some((f) => f.ruleId === 'docker-login-password-argv'));
  t.same(after.map((f) => f.ruleId).sort(), before.map((f) => f.ruleId).filter((r) => r !== 'docker-login-password-argv').sort());
});

const TWO_MAINTAINERS = 'FROM alpine:3\nMAINTAINER me\nRUN true\nMAINTAINER me\n';

t.test('two identical lines get two threads; after the fix both are resolved', async (t) => {
  const h = await harness(t, { seed: (fake) => openMr(fake, [{ path: 'Dockerfile', newText: TWO_MAINTAINERS }]) });
  await h.deliver('Merge Request Hook', hook());
  t.equal((await h.idle()).dead, 0);
  const threads = diffThreads(h, project.id, 4).filter((d) => d.notes[0]!.body.includes('MAINTAINER'));
  t.same(threads.map((d) => d.notes[0]!.position?.new_line).sort(), [2, 4], 'one thread per line');
  const markers = threads.map((d) => /ci-medic:finding (\S+)/.exec(d.notes[0]!.body)![1]);
  t.equal(new Set(markers).size, 2, 'two fingerprints');

  const fixedSha = '7'.repeat(40);
  h.fake.addMrVersion({ project: project.id, iid: 4, headSha: fixedSha, files: [{ path: 'Dockerfile', newText: 'FROM alpine:3\nLABEL maintainer=me\nRUN true\n' }] });
  await h.deliver('Merge Request Hook', hook(fixedSha, 'update'));
  t.equal((await h.idle()).dead, 0);
  for (const d of h.fake.discussions(project.id, 4).filter((x) => threads.some((y) => y.id === x.id))) {
    t.ok(d.notes.every((n) => n.resolved), `thread on line ${d.notes[0]!.position?.new_line} resolved`);
    t.match(d.notes[d.notes.length - 1]!.body, `Fixed in ${fixedSha}`);
  }
});

for (const status of [400, 403, 413] as const) {
  t.test(`GitLab refuses one thread with ${status}: its finding moves to the summary, the rest is posted, the task succeeds`, async (t) => {
    const h = await harness(t, { seed: (fake) => openMr(fake, [{ path: 'Dockerfile', newText: TWO_MAINTAINERS }]) });
    // The thread on line 2 only: every retry of it is refused too.
    const rule: FaultRule = { fault: { kind: 'reject', status }, method: 'POST', path: '/discussions', bodyIncludes: '"new_line":2', count: 10 };
    h.fake.faults.set(rule);
    await h.deliver('Merge Request Hook', hook());
    const stats = await h.idle();
    t.equal(stats.dead, 0, 'not dead-lettered');
    t.equal(h.fake.faults.injected[String(status)], 1, 'refused once, not retried');
    t.equal(await h.service.queue.getResult(`review-mr:${project.id}:4`, head), 'reviewed', 'the review completed');
    const lines = diffThreads(h, project.id, 4).filter((d) => d.notes[0]!.body.includes('MAINTAINER')).map((d) => d.notes[0]!.position?.new_line);
    t.same(lines, [4], 'the other thread is posted');
    const summary = plainNotes(h, project.id, 4)[0]!.body;
    t.match(summary, '#### Findings GitLab did not accept as threads');
    t.match(summary, `\`Dockerfile:2\` (GitLab answered ${status})`);
  });
}

t.test('a CI-config problem is posted once (ci-config-invalid) and its one thread is resolved by the fix', async (t) => {
  const bad = 'stages: [build]\nbuild:\n  stage: deploy\n  script: [make]\n';
  const h = await harness(t, { seed: (fake) => openMr(fake, [{ path: '.gitlab-ci.yml', oldText: 'stages: [build]\nbuild:\n  stage: build\n  script: [make]\n', newText: bad }]) });
  await h.deliver('Merge Request Hook', hook());
  t.equal((await h.idle()).dead, 0);
  const threads = diffThreads(h, project.id, 4).filter((d) => d.notes[0]!.body.includes('uses stage'));
  t.equal(threads.length, 1, 'one thread');
  const summary = plainNotes(h, project.id, 4)[0]!.body;
  t.equal(summary.split('\n').filter((l) => l.startsWith('- ') && l.includes('uses stage')).length, 1, 'one summary entry');
  t.match(summary, 'Found 1 problem');
  t.match(summary, '`ci-config-invalid`');

  const fixedSha = '6'.repeat(40);
  h.fake.addMrVersion({ project: project.id, iid: 4, headSha: fixedSha, files: [{ path: '.gitlab-ci.yml', newText: 'stages: [build]\nbuild:\n  stage: build\n  script: [make]\n' }] });
  await h.deliver('Merge Request Hook', hook(fixedSha, 'update'));
  t.equal((await h.idle()).dead, 0);
  const after = h.fake.discussions(project.id, 4).filter((d) => d.notes[0]!.author.id === 99 && d.notes[0]!.type === 'DiffNote');
  t.ok(after.length >= 1 && after.every((d) => d.notes.every((n) => n.resolved)), 'every thread of the fixed problem resolved');
});
