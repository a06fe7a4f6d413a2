// Files of other projects end to end (issue 9 item 1): an MR that includes a private project is
// reviewed with the MR author's rights, not the bot's. Asserts on every body that reached the fake.
import t from 'tap';
import type { FakeGitlab } from '../fake-gitlab/index.js';
import { mergeRequestHook } from '../fake-gitlab/index.js';
import { ACCESS } from '../fake-gitlab/state.js';
import { pipelineHook } from '../fake-gitlab/index.js';
import { harness, plainNotes, writes } from './helpers.js';
import type { Harness } from '../demo/world.js';

const PROJECT = { id: 42, path: 'acme/web-app' };
const PRIVATE = { id: 77, path: 'secret-group/private-ci' };
const AUTHOR = { id: 7, username: 'alice', name: 'Alice Example' };
const head = 'c'.repeat(40);
const base = 'd'.repeat(40);
const MR = { iid: 5, sourceBranch: 'ci/shared-build', headSha: head, title: 'Use the shared build template' };

// Words that exist only in the private file: none may appear in anything the bot posts.
const SECRET_WORDS = ['zebra42', 'private_deploy_job', 'registry.internal.example'];
const PRIVATE_FILE = `private_deploy_job:
  stage: build
  image: docker:24.0.5
  services:
    - docker:24.0.5-dind
  variables:
    DEPLOY_HINT: zebra42
  script:
    - docker build . -t $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA
    - docker push $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA
    - echo registry.internal.example
`;
const MR_CI = `include:
  - project: ${PRIVATE.path}
    file: templates/build.yml
stages:
  - build
unit:
  stage: build
  image: node:20-alpine
  script:
    - npm test
`;

function seed(authorAccess: number | null, visibility: 'private' | 'internal' | 'public' = 'private') {
  return (fake: FakeGitlab) => {
    fake.addProject(PROJECT);
    // The bot's token can read the private project (it is a Maintainer there); the author may not.
    fake.addProject({ ...PRIVATE, visibility });
    fake.setFile(PRIVATE.id, 'HEAD', 'templates/build.yml', PRIVATE_FILE);
    const author = fake.state.user(AUTHOR);
    if (authorAccess !== null) fake.state.addMember(PRIVATE.id, author, authorAccess);
    fake.addMergeRequest({
      project: PROJECT.id, iid: MR.iid, sourceBranch: MR.sourceBranch, title: MR.title, baseSha: base, headSha: head, author,
      files: [{ path: '.gitlab-ci.yml', oldText: 'unit:\n  script:\n    - npm test\n', newText: MR_CI }],
    });
    fake.addPipeline({
      project: PROJECT.id, id: 3001, sha: head, ref: MR.sourceBranch, user: author,
      jobs: [{ id: 7001, name: 'private_deploy_job', stage: 'build', status: 'failed', allow_failure: false, trace: '$ docker push x\ndenied: requested access to the resource is denied\n' }],
    });
  };
}

/** Every body the bot sent to GitLab (notes, threads, replies, edits). */
function postedBodies(h: Harness): string[] {
  return writes(h).map((r) => JSON.stringify(r.body));
}

const review = async (h: Awaited<ReturnType<typeof harness>>) => {
  t.equal((await h.deliver('Merge Request Hook', mergeRequestHook(PROJECT, MR, { action: 'open' }))).status, 202);
  await h.idle();
};

t.test('author not a member of the private project: nothing of its content is posted, the summary says it was unreadable', async (t) => {
  const h = await harness(t, { seed: seed(null) });
  await review(h);
  const bodies = postedBodies(h);
  t.ok(bodies.length > 0, 'the review posted something');
  for (const word of SECRET_WORDS) t.notOk(bodies.some((b) => b.includes(word)), `no posted body mentions ${word}`);
  t.same(h.fake.calls('GET', '/repository/files/templates/build.yml'), [], 'the private file was never downloaded');
  const summary = plainNotes(h, PROJECT.id, MR.iid)[0]!.body;
  t.match(summary, "An included file from another project could not be read with the merge request author's rights; ci-medic did not use it");
  t.notMatch(summary, 'without docker login', 'no finding from the private file');
  t.same(h.fake.calls('GET', `/projects/${PRIVATE.id}/members/all/${AUTHOR.id}`).length, 1, 'the author was looked up once');
});

t.test('author a Guest of the private project: still unreadable (private repositories need Reporter)', async (t) => {
  const h = await harness(t, { seed: seed(ACCESS.guest) });
  await review(h);
  for (const word of SECRET_WORDS) t.notOk(postedBodies(h).some((b) => b.includes(word)), `no posted body mentions ${word}`);
  t.match(plainNotes(h, PROJECT.id, MR.iid)[0]!.body, "could not be read with the merge request author's rights");
});

t.test('author a Reporter of the private project: its content is used, links go into that project', async (t) => {
  const h = await harness(t, { seed: seed(ACCESS.reporter) });
  await review(h);
  const summary = plainNotes(h, PROJECT.id, MR.iid)[0]!.body;
  t.match(summary, 'Image pushed to the GitLab registry without docker login', 'the finding in the included file is reported');
  t.match(summary, `(https://gitlab.example.com/${PRIVATE.path}/-/blob/main/templates/build.yml#L`, 'the row links into the other project');
  t.notMatch(summary, `acme/web-app/-/blob/${head}/secret-group`, 'not into the MR project');
  t.notMatch(summary, "author's rights");
});

t.test('a public project is readable without membership', async (t) => {
  const h = await harness(t, { seed: seed(null, 'public') });
  await review(h);
  t.match(plainNotes(h, PROJECT.id, MR.iid)[0]!.body, 'Image pushed to the GitLab registry without docker login');
  t.same(h.fake.calls('GET', '/members/all/').length, 0, 'no membership lookup for a public repository');
});

t.test('a pipeline run by a non-member: the diagnosis uses nothing of the private file', async (t) => {
  const h = await harness(t, { seed: seed(null) });
  const hook = pipelineHook(PROJECT, {
    id: 3001, sha: head, ref: MR.sourceBranch, status: 'failed', mr: MR,
    jobs: [{ id: 7001, name: 'private_deploy_job', stage: 'build', status: 'failed' }],
  });
  t.equal((await h.deliver('Pipeline Hook', hook)).status, 202);
  await h.idle();
  const note = plainNotes(h, PROJECT.id, MR.iid).find((n) => n.body.includes('ci-medic:diagnosis'));
  t.ok(note, 'a diagnosis was posted');
  t.match(note!.body, "could not be read with the merge request author's rights");
  t.same(h.fake.calls('GET', '/repository/files/templates/build.yml'), [], 'the private file was never downloaded');
  // The job's name is GitLab's (the pipeline ran it), but nothing from the file is quoted.
  for (const word of ['zebra42', 'registry.internal.example']) t.notOk(postedBodies(h).some((b) => b.includes(word)), `no posted body mentions ${word}`);
});

t.test("GitLab's lint result is not used when it includes a component of a project the author cannot read", async (t) => {
  const h = await harness(t, {
    seed: (fake) => {
      fake.addProject(PROJECT);
      fake.addProject(PRIVATE);
      const author = fake.state.user(AUTHOR);
      const ci = `include:\n  - component: gitlab.example.com/${PRIVATE.path}/build@1.0\nunit:\n  script:\n    - npm test\n`;
      fake.addMergeRequest({
        project: PROJECT.id, iid: MR.iid, sourceBranch: MR.sourceBranch, baseSha: base, headSha: head, author,
        files: [{ path: '.gitlab-ci.yml', oldText: 'unit:\n  script:\n    - npm test\n', newText: ci }],
      });
      // What GitLab's lint answers with the bot's token: the component's jobs merged in.
      fake.state.mustProject(PROJECT.id).lint.set(head, {
        valid: true, errors: [], warnings: [],
        merged_yaml: `unit:\n  script:\n  - npm test\n${PRIVATE_FILE}`,
        includes: [{
          type: 'component', location: `gitlab.example.com/${PRIVATE.path}/build@1.0`, blob: null, raw: null,
          extra: {}, context_project: PROJECT.path, context_sha: head,
        }],
        jobs: [],
      });
    },
  });
  await review(h);
  for (const word of SECRET_WORDS) t.notOk(postedBodies(h).some((b) => b.includes(word)), `no posted body mentions ${word}`);
  t.match(plainNotes(h, PROJECT.id, MR.iid)[0]!.body, "GitLab's CI lint result was not used: it includes files the merge request author cannot read.");
});
