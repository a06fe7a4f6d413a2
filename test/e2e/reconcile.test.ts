// Catch-up: an MR whose webhook GitLab dropped is reviewed by the reconciler at start.
import t from 'tap';
import { GitlabClient } from '../../src/gitlab/client.js';
import { reconcile } from '../../src/workflows/index.js';
import { mergeRequestHook } from '../fake-gitlab/index.js';
import { GITLAB_TOKEN, REGISTRY, FROM_ARG, seedWorld } from '../demo/world.js';
import { diffThreads, harness, plainNotes } from './helpers.js';

t.test('reconciler at start reviews open MRs of allowed projects that have no result', async (t) => {
  const h = await harness(t, { seed: seedWorld, reconciler: true, env: { ALLOWED_PROJECTS: '42,acme/model-server' } });
  // No webhook at all: the reconciler found both MRs.
  const until = Date.now() + 15_000;
  while (plainNotes(h, 42, 1).length === 0 || plainNotes(h, 43, 2).length === 0) {
    if (Date.now() > until) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await h.idle();
  // The fake's single-MR view reports each head's failed pipeline: it is diagnosed in a second note.
  t.equal(plainNotes(h, 42, 1).filter((n) => n.body.includes('<!-- ci-medic:summary -->')).length, 1, 'seed 1 summary');
  t.equal(diffThreads(h, 42, 1).length, 1, 'seed 1 suggestion');
  t.equal(plainNotes(h, 43, 2).filter((n) => n.body.includes('<!-- ci-medic:summary -->')).length, 1, 'seed 2 summary');
  t.equal(await h.service.queue.getResult('review-mr:42:1', REGISTRY.mr.headSha), 'reviewed');
});

t.test('reconcile() skips heads that already have a result', async (t) => {
  const h = await harness(t, { seed: seedWorld });
  await h.deliver('Merge Request Hook', mergeRequestHook(REGISTRY.project, REGISTRY.mr, { action: 'open' }));
  await h.idle();
  const client = new GitlabClient({ host: h.fake.url, token: GITLAB_TOKEN });
  const result = await reconcile({ client, queue: h.service.queue, projects: [42, 43, 'acme/'] });
  t.same(result, { projects: 2, mergeRequests: 2, reviews: 1, diagnoses: 2, errors: 0 }, 'only !2 needs a review, both failed head pipelines a diagnosis; the group entry is skipped');
  await h.idle();
  t.equal(await h.service.queue.getResult('review-mr:43:2', FROM_ARG.mr.headSha), 'reviewed');
  const again = await reconcile({ client, queue: h.service.queue, projects: [42, 43] });
  t.equal(again.reviews, 0, 'nothing left to do');
  t.equal(again.diagnoses, 0, 'no diagnosis queued twice');
});
