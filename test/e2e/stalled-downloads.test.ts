// Stalled downloads end to end (issue 9 item 5): a job log that sends its headers and then
// nothing must not hold its task, nor the tasks queued behind it.
import t from 'tap';
import { pipelineHook } from '../fake-gitlab/index.js';
import { FROM_ARG, REGISTRY, seedWorld, type Scenario } from '../demo/world.js';
import { harness, plainNotes } from './helpers.js';

const failedPipeline = (s: Scenario) =>
  pipelineHook(s.project, {
    id: s.pipeline.id, sha: s.mr.headSha, ref: s.mr.sourceBranch, status: 'failed', mr: s.mr,
    jobs: s.pipeline.jobs.map((j) => ({ id: j.id, name: j.name, stage: j.stage, status: j.status })),
  });

t.test('a job log that stalls after its headers: the task finishes without it, the next task runs', async (t) => {
  // One worker: the second pipeline only runs once the stalled one has let go.
  const h = await harness(t, { seed: seedWorld, env: { CONCURRENCY: '1', HTTP_IDLE_TIMEOUT_MS: '1000' } });
  h.fake.faults.set({ fault: { kind: 'stall', afterBytes: 40 }, method: 'GET', path: `/jobs/${REGISTRY.pipeline.jobs[1]!.id}/trace`, count: 1 });
  t.equal((await h.deliver('Pipeline Hook', failedPipeline(REGISTRY))).status, 202);
  t.equal((await h.deliver('Pipeline Hook', failedPipeline(FROM_ARG))).status, 202);
  const stats = await h.idle(15_000);
  t.equal(stats.dead, 0, 'nothing dead-lettered');
  t.equal(h.fake.faults.injected.stall, 1, 'the stall was injected');

  const stalled = plainNotes(h, REGISTRY.project.id, REGISTRY.mr.iid).find((n) => n.body.includes('ci-medic:diagnosis'));
  t.ok(stalled, 'the stalled pipeline still got its diagnosis');
  t.match(stalled!.body, `_The log of job ${REGISTRY.pipeline.jobs[1]!.id} stopped arriving, no data for 1000 ms. That job was diagnosed without its log._`);
  t.notMatch(stalled!.body, 'without docker login', 'no cause claimed from a log that was not read');

  const other = plainNotes(h, FROM_ARG.project.id, FROM_ARG.mr.iid).find((n) => n.body.includes('ci-medic:diagnosis'));
  t.ok(other, 'the task behind it ran');
  t.match(other!.body, 'FROM uses a variable that no ARG before the first FROM declares');
  t.notMatch(other!.body, 'stopped arriving');
});

t.test('a file download that stalls is retried and the review completes', async (t) => {
  const h = await harness(t, { seed: seedWorld, env: { HTTP_IDLE_TIMEOUT_MS: '1000' } });
  h.fake.faults.set({ fault: { kind: 'stall', afterBytes: 10 }, method: 'GET', path: '/repository/files/.gitlab-ci.yml/raw', count: 1 });
  const { mergeRequestHook } = await import('../fake-gitlab/index.js');
  await h.deliver('Merge Request Hook', mergeRequestHook(REGISTRY.project, REGISTRY.mr, { action: 'open' }));
  const stats = await h.idle(15_000);
  t.equal(stats.dead, 0);
  t.equal(h.fake.faults.injected.stall, 1, 'the stall was injected');
  t.match(plainNotes(h, REGISTRY.project.id, REGISTRY.mr.iid)[0]?.body ?? '', 'Image pushed to the GitLab registry without docker login', 'the review used the file read on the retry');
});

t.test('a CI file larger than MAX_YAML_BYTES is reported, not analysed', async (t) => {
  const h = await harness(t, {
    seed: (fake) => {
      seedWorld(fake);
      // A 3 MB head version of the CI file.
      fake.addMrVersion({
        project: REGISTRY.project.id, iid: REGISTRY.mr.iid, headSha: 'e'.repeat(40),
        files: [{ path: '.gitlab-ci.yml', newText: `# ${'x'.repeat(3 * 1024 * 1024)}\njob:\n  script: [true]\n` }],
      });
    },
    env: { MAX_YAML_BYTES: '65536' },
  });
  const { mergeRequestHook } = await import('../fake-gitlab/index.js');
  await h.deliver('Merge Request Hook', mergeRequestHook(REGISTRY.project, { ...REGISTRY.mr, headSha: 'e'.repeat(40) }, { action: 'update', oldrev: REGISTRY.mr.headSha }));
  const stats = await h.idle(15_000);
  t.equal(stats.dead, 0);
  const summary = plainNotes(h, REGISTRY.project.id, REGISTRY.mr.iid)[0]?.body ?? '';
  t.match(summary, 'larger than 65536 bytes', 'the summary says the file was too large');
});
