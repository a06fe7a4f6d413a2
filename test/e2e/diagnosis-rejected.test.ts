// Issue 9 item 8 for diagnoses: GitLab refusing the suggestion thread of a diagnosis does not
// fail the diagnosis; the note shows the patch as a `diff` block instead.
import t from 'tap';
import { pipelineHook } from '../fake-gitlab/index.js';
import { REGISTRY, seedWorld } from '../demo/world.js';
import { diffThreads, harness, plainNotes } from './helpers.js';

t.test('a 400 on the diagnosis suggestion thread: the patch goes into the note, the task succeeds', async (t) => {
  const h = await harness(t, { seed: seedWorld });
  h.fake.faults.set({ fault: { kind: 'reject', status: 400 }, method: 'POST', path: '/discussions', count: 10 });
  const hook = pipelineHook(REGISTRY.project, {
    id: REGISTRY.pipeline.id, sha: REGISTRY.mr.headSha, ref: REGISTRY.mr.sourceBranch, status: 'failed', mr: REGISTRY.mr,
    jobs: REGISTRY.pipeline.jobs.map((j) => ({ id: j.id, name: j.name, stage: j.stage, status: j.status })),
  });
  t.equal((await h.deliver('Pipeline Hook', hook)).status, 202);
  const stats = await h.idle();
  t.equal(stats.dead, 0, 'not dead-lettered');
  t.equal(h.fake.faults.injected['400'], 1, 'GitLab refused the thread once; it was not retried');
  t.same(diffThreads(h, 42, 1), [], 'no thread');
  const body = plainNotes(h, 42, 1)[0]!.body;
  t.match(body, 'Image pushed to the GitLab registry without docker login');
  t.match(body, '```diff\n', 'the patch is in the note');
  t.match(body, '+    - echo -n "$CI_JOB_TOKEN" | docker login -u gitlab-ci-token --password-stdin "$CI_REGISTRY"');
  t.notMatch(body, 'Posted as a suggestion');
});
