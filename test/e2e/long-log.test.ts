// A job log longer than MAX_LOG_BYTES_PER_JOB keeps its END in the service too (issue 14 §3):
// the failure in its last lines is diagnosed, and the note says only the end was scanned.
import t from 'tap';
import { pipelineHook } from '../fake-gitlab/index.js';
import { REGISTRY, seedWorld } from '../demo/world.js';
import { harness, plainNotes } from './helpers.js';

t.test('a log longer than the limit is scanned from its end', async (t) => {
  const h = await harness(t, {
    seed: (fake) => {
      seedWorld(fake);
      const job = fake.state.project(REGISTRY.project.id)!.pipelines.get(REGISTRY.pipeline.id)!.jobs.find((j) => j.id === REGISTRY.pipeline.jobs[1]!.id)!;
      const original = typeof job.trace === 'string' ? job.trace : '';
      t.ok(original.includes('denied'), 'the seed log ends in the registry denial');
      // 300 KiB of build output before the failure: far past the 64 KiB limit below.
      job.trace = `${'Step 2/9 : RUN make all\n compiling module\n'.repeat(8000)}${original}`;
    },
    env: { MAX_LOG_BYTES_PER_JOB: String(64 * 1024) },
  });
  const s = REGISTRY;
  await h.deliver('Pipeline Hook', pipelineHook(s.project, {
    id: s.pipeline.id, sha: s.mr.headSha, ref: s.mr.sourceBranch, status: 'failed', mr: s.mr,
    jobs: s.pipeline.jobs.map((j) => ({ id: j.id, name: j.name, stage: j.stage, status: j.status })),
  }));
  const stats = await h.idle(15_000);
  t.equal(stats.dead, 0);
  const note = plainNotes(h, s.project.id, s.mr.iid).find((n) => n.body.includes('ci-medic:diagnosis'));
  t.ok(note, 'a diagnosis was posted');
  t.match(note!.body, 'Image pushed to the GitLab registry without docker login', 'the failure in the last lines is found');
  t.match(note!.body.replace(/\\/g, ''), /last 65536 bytes/, 'the note says only the end was scanned');
});
