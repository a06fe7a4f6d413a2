// What one task reads is capped (issue 9 item 5): files, Dockerfiles, failed jobs and the
// settings file; the comment says what was left out, and nothing beyond the caps is fetched.
import t from 'tap';
import type { FakeGitlab } from '../fake-gitlab/index.js';
import { mergeRequestHook, pipelineHook } from '../fake-gitlab/index.js';
import { harness, plainNotes } from './helpers.js';

const PROJECT = { id: 50, path: 'acme/caps' };
const head = '1'.repeat(40);
const base = '2'.repeat(40);
const MR = { iid: 3, sourceBranch: 'ci/many', headSha: head, title: 'Many files' };

const CI = `include:
  - local: ci/a.yml
  - local: ci/b.yml
  - local: ci/c.yml
build:
  script:
    - echo build
`;

function seed(fake: FakeGitlab): void {
  fake.addProject(PROJECT);
  fake.addMergeRequest({
    project: PROJECT.id, iid: MR.iid, sourceBranch: MR.sourceBranch, title: MR.title, baseSha: base, headSha: head,
    files: [
      { path: '.gitlab-ci.yml', oldText: 'build:\n  script:\n    - echo build\n', newText: CI },
      { path: 'ci/a.yml', newText: 'a:\n  script: [echo a]\n' },
      { path: 'ci/b.yml', newText: 'b:\n  script: [echo b]\n' },
      { path: 'ci/c.yml', newText: 'c:\n  script: [echo c]\n' },
      { path: 'one/Dockerfile', newText: 'FROM alpine:3.20\n' },
      { path: 'two/Dockerfile', newText: 'FROM alpine:3.20\n' },
      { path: '.gitlab/ci-medic.yml', newText: `# ${'x'.repeat(2000)}\ndisable: [dockerfile-maintainer-deprecated]\n` },
    ],
  });
  fake.addPipeline({
    project: PROJECT.id, id: 4001, sha: head, ref: MR.sourceBranch,
    jobs: [1, 2, 3].map((n) => ({ id: 8000 + n, name: `job${n}`, stage: 'test', status: 'failed', allow_failure: false, trace: '$ false\nERROR: Job failed: exit code 1\n' })),
  });
}

/** The words a reader sees: markdown backslash escapes removed. */
const unescaped = (markdown: string): string => markdown.replace(/\\([\\`*_{}\[\]()#+\-.!|<>~])/g, '$1');

t.test('review: files, Dockerfiles and the settings file beyond their caps are not read, and the summary says so', async (t) => {
  const h = await harness(t, { seed, env: { MAX_FILES_PER_REVIEW: '3', MAX_DOCKERFILES_PER_REVIEW: '1', MAX_SETTINGS_BYTES: '1024' } });
  await h.deliver('Merge Request Hook', mergeRequestHook(PROJECT, MR, { action: 'open' }));
  t.equal((await h.idle()).dead, 0);
  const summary = plainNotes(h, PROJECT.id, MR.iid)[0]!.body;
  t.match(unescaped(summary), 'More files are needed than MAX_FILES_PER_REVIEW (3)');
  t.match(unescaped(summary), '1 of 2 Dockerfiles were not read (MAX_DOCKERFILES_PER_REVIEW is 1)');
  t.match(unescaped(summary), 'is larger than MAX_SETTINGS_BYTES (1024 bytes): it was ignored');
  const fileReads = h.fake.calls('GET', '/repository/files/').filter((r) => !r.path.includes('ci-medic.yml'));
  t.equal(fileReads.length, 3, 'no more than MAX_FILES_PER_REVIEW file downloads');
  t.same(h.fake.calls('GET', 'two/Dockerfile'), [], 'the Dockerfile over the cap was never fetched');
});

t.test('diagnosis: failed jobs beyond MAX_FAILED_JOBS_PER_PIPELINE are not read, and the note says so', async (t) => {
  const h = await harness(t, { seed, env: { MAX_FAILED_JOBS_PER_PIPELINE: '1' } });
  const hook = pipelineHook(PROJECT, {
    id: 4001, sha: head, ref: MR.sourceBranch, status: 'failed', mr: MR,
    jobs: [1, 2, 3].map((n) => ({ id: 8000 + n, name: `job${n}`, stage: 'test', status: 'failed' })),
  });
  await h.deliver('Pipeline Hook', hook);
  t.equal((await h.idle()).dead, 0);
  const note = plainNotes(h, PROJECT.id, MR.iid).find((n) => n.body.includes('ci-medic:diagnosis'))!;
  t.match(unescaped(note.body), '2 more failed jobs were not read (MAX_FAILED_JOBS_PER_PIPELINE is 1)');
  t.equal(h.fake.calls('GET', '/trace').length, 1, 'one job log read');
});
