// Review analysis runs in a worker thread with a time budget: the service keeps answering while
// an analysis is in progress, and an analysis over ANALYSIS_TIMEOUT_MS ends the review with one
// analysis-too-complex finding instead of hanging. The pool's pause() holds an analysis inside
// its worker, so "while the analysis runs" is a state the test controls, not a timing guess.
import t from 'tap';
import { mergeRequestHook } from '../fake-gitlab/index.js';
import { REGISTRY, seedWorld } from '../demo/world.js';
import { analysisPool } from '../../src/workflows/analysis-pool.js';
import { diffThreads, harness, plainNotes } from './helpers.js';

const openHook = () => mergeRequestHook(REGISTRY.project, REGISTRY.mr, { action: 'open' });

async function until(what: string, cond: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

t.test('the service answers /healthz while a review analysis is in its worker', async (t) => {
  const h = await harness(t, { seed: seedWorld });
  const held = analysisPool.pause();
  t.teardown(() => held.release());
  t.equal((await h.deliver('Merge Request Hook', openHook())).status, 202);
  await until('the analysis to start', () => analysisPool.busy > 0);

  const res = await fetch(`${h.service.url}/healthz`);
  t.equal(res.status, 200, '/healthz answered');
  t.same(await res.json(), { status: 'ok' });
  const webhook = await h.deliver('Merge Request Hook', openHook());
  t.equal(webhook.status, 202, 'a webhook is accepted too');
  t.equal(analysisPool.busy, 1, 'the analysis has not finished: both answers came while it ran');
  t.equal(plainNotes(h, 42, 1).length, 0, 'nothing posted yet');

  held.release();
  await h.idle();
  const notes = plainNotes(h, 42, 1);
  t.equal(notes.length, 1, 'one summary once the analysis finished');
  t.match(notes[0]!.body, 'Found 1 problem: 🔴 1 error.', 'the same findings as an in-process review');
  t.equal(diffThreads(h, 42, 1).length, 1, 'the seed thread is posted');
  t.equal(analysisPool.busy, 0);
});

t.test('an analysis over ANALYSIS_TIMEOUT_MS ends with one analysis-too-complex finding', async (t) => {
  const h = await harness(t, { seed: seedWorld, env: { ANALYSIS_TIMEOUT_MS: '1' } });
  // Held in the worker, the analysis cannot finish: only the budget can end it.
  const held = analysisPool.pause();
  t.teardown(() => held.release());
  t.equal((await h.deliver('Merge Request Hook', openHook())).status, 202);
  const stats = await h.idle();
  t.equal(stats.dead, 0, 'the task was not dead-lettered');
  t.equal(analysisPool.busy, 0, 'the worker was stopped');
  const notes = plainNotes(h, 42, 1);
  t.equal(notes.length, 1, 'one summary');
  const summary = notes[0]!.body;
  t.match(summary, 'Found 1 problem');
  t.match(summary, '`analysis-too-complex`');
  t.match(summary, 'analysis stopped: file too complex');
  t.match(summary, /ANALYSIS\\?_TIMEOUT\\?_MS \(1 ms\)/, 'the budget is named');
  t.notMatch(summary, 'registry-login-missing', 'no other finding is reported');
  t.equal(diffThreads(h, 42, 1).length, 0, 'no inline thread');
});

t.test('a hostile CI file with a tiny budget is stopped by the budget, not held', async (t) => {
  const h = await harness(t, {
    env: { ANALYSIS_TIMEOUT_MS: '1' },
    seed: (fake) => {
      seedWorld(fake);
      // Thousands of jobs with long scripts: far more than a millisecond of checks and round trips.
      const jobs = Array.from({ length: 1000 }, (_, i) => `job${i}:\n  image: docker:24\n  script:\n    - docker build -t "$CI_REGISTRY_IMAGE:${i}" ${'--label x=y '.repeat(50)}.\n    - docker push "$CI_REGISTRY_IMAGE:${i}"\n`).join('');
      fake.setFile(REGISTRY.project.id, REGISTRY.mr.headSha, '.gitlab-ci.yml', jobs);
    },
  });
  t.equal((await h.deliver('Merge Request Hook', openHook())).status, 202);
  const stats = await h.idle();
  t.equal(stats.dead, 0);
  const summary = plainNotes(h, 42, 1)[0]?.body ?? '';
  t.match(summary, '`analysis-too-complex`');
  t.equal(analysisPool.busy, 0);
});
