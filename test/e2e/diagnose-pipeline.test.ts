// Pipeline diagnosis end to end: Pipeline and Job Hooks over HTTP into the real service.
import t from 'tap';
import { jobHook, pipelineHook, type JobInfo } from '../fake-gitlab/index.js';
import { FROM_ARG, logFile, REGISTRY, seedFile, seedWorld, type Scenario } from '../demo/world.js';
import { applySuggestion, diffThreads, harness, plainNotes, writes } from './helpers.js';

const failedPipeline = (s: Scenario, mr: Scenario['mr'] | null = s.mr) =>
  pipelineHook(s.project, {
    id: s.pipeline.id, sha: s.mr.headSha, ref: s.mr.sourceBranch, status: 'failed', mr,
    jobs: s.pipeline.jobs.map((j) => ({ id: j.id, name: j.name, stage: j.stage, status: j.status })),
  });

t.test('seed 1 Pipeline Hook: a diagnosis note naming the cause, the docker login patch as a suggestion', async (t) => {
  const h = await harness(t, { seed: seedWorld });
  t.equal((await h.deliver('Pipeline Hook', failedPipeline(REGISTRY))).status, 202);
  await h.idle();
  const notes = plainNotes(h, 42, 1);
  t.equal(notes.length, 1, 'one diagnosis note, no review summary (no MR event was sent)');
  const body = notes[0]!.body;
  t.match(body, '<!-- ci-medic:diagnosis pipeline=1001 -->');
  t.match(body, '## ci-medic: pipeline [\\#1001](https://gitlab.example.com/acme/web-app/-/pipelines/1001) failed');
  t.match(body, '### [build](https://gitlab.example.com/acme/web-app/-/jobs/5002): Image pushed to the GitLab registry without docker login');
  t.match(body, 'Failing command: `docker push $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA`');
  t.match(body, '[L44](https://gitlab.example.com/acme/web-app/-/jobs/5002#L44) `denied: requested access to the resource is denied`');
  t.notMatch(body, '### [test]', 'the successful job is not listed');

  const threads = diffThreads(h, 42, 1);
  t.equal(threads.length, 1, 'the patch as one inline suggestion');
  const note = threads[0]!.notes[0]!;
  t.match(note.body, 'pipeline #1001, job `build` failed because of this');
  t.match(note.body, '<!-- ci-medic:diagnosis-fix ');
  t.match(body, `Posted as a suggestion you can apply on [\`.gitlab-ci.yml\` line 18](https://gitlab.example.com/acme/web-app/-/merge_requests/1#note_${note.id})`);
  const fixed = applySuggestion(seedFile('registry-login.gitlab-ci.yml'), note.position!.new_line!, note.body);
  t.match(fixed, 'build:\n  before_script:\n    - echo -n "$CI_JOB_TOKEN" | docker login -u gitlab-ci-token --password-stdin "$CI_REGISTRY"\n  stage: build');

  // Re-delivery: nothing new.
  const before = writes(h).length;
  await h.deliver('Pipeline Hook', failedPipeline(REGISTRY));
  await h.idle();
  t.equal(writes(h).length, before, 'nothing posted or edited on redelivery');
});

t.test('seed 2 Pipeline Hook: ARG lines and --build-arg in the diagnosis', async (t) => {
  const h = await harness(t, { seed: seedWorld });
  await h.deliver('Pipeline Hook', failedPipeline(FROM_ARG));
  await h.idle();
  const body = plainNotes(h, 43, 2)[0]!.body;
  t.match(body, 'FROM uses a variable that no ARG before the first FROM declares');
  t.match(body, 'Build step: `Step 1/4 : FROM $CI_REGISTRY_IMAGE:$CI_COMMIT_BEFORE_SHA`');
  const suggestions = diffThreads(h, 43, 2).map((d) => d.notes[0]!.body).join('\n');
  // The patch is posted only when ci-medic's own lint accepts it once applied; otherwise the
  // note says it was left out and why, and no suggestion is posted.
  if (body.includes("ci-medic's patch for it was left out")) {
    t.match(body, /patch for it was left out: applied, the patch (adds|leaves)/);
    t.equal(suggestions, '', 'no suggestion for a patch that fails lint');
  } else {
    t.match(suggestions, /ARG CI_REGISTRY_IMAGE/);
    t.match(suggestions, '--build-arg CI_REGISTRY_IMAGE=$CI_REGISTRY_IMAGE');
  }
});

t.test('outside the MR diff the patch is a diff block in the note', async (t) => {
  // The same failure on the target branch's own pipeline, reported on an MR whose diff does not show the lines.
  const h = await harness(t, { seed: seedWorld });
  const other = 'abababab'.repeat(5);
  h.fake.setFile(42, other, '.gitlab-ci.yml', seedFile('registry-login.gitlab-ci.yml'));
  h.fake.addPipeline({ project: 42, id: 1500, sha: other, ref: 'main', status: 'failed', source: 'push', jobs: [{ id: 5500, name: 'build', stage: 'build', status: 'failed', allow_failure: false, trace: logFile('seed-registry/job.log') }] });
  await h.deliver('Pipeline Hook', pipelineHook(REGISTRY.project, { id: 1500, sha: other, ref: 'main', status: 'failed', mr: REGISTRY.mr, jobs: [{ id: 5500, name: 'build', stage: 'build', status: 'failed' }] }));
  await h.idle();
  const body = plainNotes(h, 42, 1)[0]!.body;
  t.match(body, '```diff\n--- a/.gitlab-ci.yml\n+++ b/.gitlab-ci.yml\n');
  t.match(body, '+    - echo -n "$CI_JOB_TOKEN" | docker login -u gitlab-ci-token --password-stdin "$CI_REGISTRY"');
  t.same(diffThreads(h, 42, 1), [], 'no inline thread for lines of another commit');
});

t.test('3 failed jobs + pipeline event + job events: ONE diagnosis note; unknown cause listed as such', async (t) => {
  const project = { id: 70, path: 'acme/platform' };
  const headSha = '7'.repeat(40);
  const jobs: Array<JobInfo & { log: string }> = [
    { id: 7001, name: 'build', stage: 'build', status: 'failed', log: logFile('seed-registry/job.log') },
    { id: 7002, name: 'image', stage: 'build', status: 'failed', log: logFile('seed-dockerfile/job.log') },
    { id: 7003, name: 'unit', stage: 'test', status: 'failed', log: '\u001b[32;1m$ make test\u001b[0;m\r\nsection_start:1:step_script\r\u001b[0Kgo test ./...\nFAIL\tgithub.com/acme/platform/api\t0.412s\nERROR: Job failed: exit code 2\n' },
    { id: 7004, name: 'lint', stage: 'test', status: 'failed', allowFailure: true, log: 'ERROR: lint\n' },
    { id: 7005, name: 'deploy', stage: 'deploy', status: 'skipped', log: '' },
  ];
  const h = await harness(t, {
    seed: (fake) => {
      fake.addProject(project);
      fake.addMergeRequest({
        project: 70, iid: 5, sourceBranch: 'ci/all', baseSha: '6'.repeat(40), headSha,
        files: [{ path: '.gitlab-ci.yml', newText: seedFile('registry-login.gitlab-ci.yml') }],
      });
      fake.addPipeline({
        project: 70, id: 7000, sha: headSha, ref: 'ci/all', status: 'failed',
        jobs: jobs.map((j) => ({ id: j.id, name: j.name, stage: j.stage, status: j.status, allow_failure: !!j.allowFailure, trace: j.log })),
      });
    },
  });
  const mr = { iid: 5, sourceBranch: 'ci/all', headSha };
  const infos = jobs.map(({ log: _log, ...j }) => j);
  const deliveries = [
    h.deliver('Pipeline Hook', pipelineHook(project, { id: 7000, sha: headSha, ref: 'ci/all', status: 'failed', mr, jobs: infos })),
    ...infos.filter((j) => j.status === 'failed').map((j) => h.deliver('Job Hook', jobHook(project, { ...j, pipelineId: 7000, sha: headSha, ref: 'ci/all' }))),
  ];
  for (const res of await Promise.all(deliveries)) t.equal(res.status, 202);
  await h.idle();

  const notes = plainNotes(h, 70, 5).filter((n) => n.body.includes('ci-medic:diagnosis pipeline=7000'));
  t.equal(notes.length, 1, 'one diagnosis note');
  const body = notes[0]!.body;
  const sections = [...body.matchAll(/^### \[(\w+)\]/gm)].map((m) => m[1]);
  t.same(sections, ['build', 'image', 'unit'], 'the three failed jobs, in job order; allow_failure and skipped left out');
  t.match(body, '### [build](https://gitlab.example.com/acme/platform/-/jobs/7001): Image pushed to the GitLab registry without docker login');
  t.match(body, '### [image](https://gitlab.example.com/acme/platform/-/jobs/7002): FROM uses a variable');
  t.match(body, '### [unit](https://gitlab.example.com/acme/platform/-/jobs/7003): no known cause');
  t.match(body, "GitLab's failure reason: `script_failure`");
  t.match(body, '[L4](https://gitlab.example.com/acme/platform/-/jobs/7003#L4) `ERROR: Job failed: exit code 2`', 'the last error lines are quoted');
});

t.test('a pipeline with no MR gets a commit comment', async (t) => {
  const project = { id: 80, path: 'acme/solo' };
  const sha = '8'.repeat(40);
  const h = await harness(t, {
    seed: (fake) => {
      fake.addProject(project);
      fake.setFile(80, sha, '.gitlab-ci.yml', seedFile('registry-login.gitlab-ci.yml'));
      fake.addPipeline({ project: 80, id: 8000, sha, ref: 'main', status: 'failed', source: 'push', jobs: [{ id: 8001, name: 'build', stage: 'build', status: 'failed', allow_failure: false, trace: logFile('seed-registry/job.log') }] });
    },
  });
  await h.deliver('Pipeline Hook', pipelineHook(project, { id: 8000, sha, ref: 'main', status: 'failed', mr: null, jobs: [{ id: 8001, name: 'build', stage: 'build', status: 'failed' }] }));
  await h.idle();
  t.ok(h.fake.calls('GET', `/projects/80/repository/commits/${sha}/merge_requests`).length >= 1, 'looked for an MR first');
  const comments = h.fake.state.project(80)!.commitComments.get(sha) ?? [];
  t.equal(comments.length, 1, 'one commit comment');
  t.match(comments[0]!.note, '<!-- ci-medic:diagnosis pipeline=8000 -->');
  t.match(comments[0]!.note, 'Image pushed to the GitLab registry without docker login');
  t.match(comments[0]!.note, '```diff\n--- a/.gitlab-ci.yml');
  await h.deliver('Pipeline Hook', pipelineHook(project, { id: 8000, sha, ref: 'main', status: 'failed', mr: null, jobs: [{ id: 8001, name: 'build', stage: 'build', status: 'failed' }] }));
  await h.idle();
  t.equal((h.fake.state.project(80)!.commitComments.get(sha) ?? []).length, 1, 'not posted twice');
});
