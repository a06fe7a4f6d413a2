// `npm run demo`: a fake GitLab with the two seed merge requests, the real ci-medic service,
// the webhooks GitLab would send (MR opened, then the failed pipelines), and every comment
// ci-medic posted, printed as markdown. No GitLab instance needed; runs in a few seconds.
import { deliverWebhook, mergeRequestHook, pipelineHook } from '../fake-gitlab/index.js';
import type { FakeGitlab } from '../fake-gitlab/index.js';
import { BOT_ID, FROM_ARG, REGISTRY, seedWorld, startHarness, WEBHOOK_SECRET, type Scenario } from './world.js';

const out = (s = '') => process.stdout.write(`${s}\n`);
const rule = (c: string) => c.repeat(78);

function printMr(fake: FakeGitlab, s: Scenario): void {
  out(rule('='));
  out(`${s.project.path} !${s.mr.iid}: ${s.mr.title}`);
  out(rule('='));
  const mr = fake.state.project(s.project.id)!.mrs.get(s.mr.iid)!;
  for (const d of mr.discussions) {
    for (const n of d.notes) {
      if (n.author.id !== BOT_ID) continue;
      const where = n.position
        ? `inline thread on ${n.position.new_path} line ${n.position.new_line}${n.resolved ? ' (resolved)' : ''}`
        : 'merge request note';
      out(`\n${rule('-')}\n[${where}]\n${rule('-')}`);
      out(n.body.trimEnd());
    }
  }
  for (const [sha, comments] of fake.state.project(s.project.id)!.commitComments) {
    for (const c of comments) {
      if (c.author.id !== BOT_ID) continue;
      out(`\n${rule('-')}\n[comment on commit ${sha.slice(0, 8)}]\n${rule('-')}`);
      out(c.note.trimEnd());
    }
  }
  out('');
}

async function main(): Promise<number> {
  const started = Date.now();
  const h = await startHarness({ seed: seedWorld });
  try {
    out(`fake GitLab at ${h.fake.url}; ci-medic listening at ${h.service.url}\n`);
    for (const s of [REGISTRY, FROM_ARG]) {
      const res = await deliverWebhook(h.hookUrl, 'Merge Request Hook', mergeRequestHook(s.project, s.mr, { action: 'open' }), { token: WEBHOOK_SECRET });
      out(`Merge Request Hook (open) for ${s.project.path} !${s.mr.iid} -> HTTP ${res.status}`);
    }
    await h.idle();
    for (const s of [REGISTRY, FROM_ARG]) {
      const payload = pipelineHook(s.project, {
        id: s.pipeline.id, sha: s.mr.headSha, ref: s.mr.sourceBranch, status: 'failed', mr: s.mr,
        jobs: s.pipeline.jobs.map((j) => ({ id: j.id, name: j.name, stage: j.stage, status: j.status })),
      });
      const res = await deliverWebhook(h.hookUrl, 'Pipeline Hook', payload, { token: WEBHOOK_SECRET });
      out(`Pipeline Hook (failed) for ${s.project.path} pipeline #${s.pipeline.id} -> HTTP ${res.status}`);
    }
    const stats = await h.idle();
    out(`\nqueue idle: ${JSON.stringify(stats)}\n`);
    printMr(h.fake, REGISTRY);
    printMr(h.fake, FROM_ARG);
    out(`demo finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return stats.dead === 0 ? 0 : 1;
  } finally {
    await h.close();
  }
}

main().then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    process.stderr.write(`demo failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
