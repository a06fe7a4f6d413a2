// A fake GitLab filled with many seed-style merge requests and failed pipelines, the webhook
// deliveries that describe them, and the checks that every bot comment exists exactly once.
import { createHash } from 'node:crypto';
import { deliverWebhook, mergeRequestHook, pipelineHook, type FakeGitlab } from '../fake-gitlab/index.js';
import { logFile, seedFile } from '../demo/world.js';

export const BOT_ID = 99;

export const hexSha = (seed: string) => createHash('sha1').update(seed).digest('hex');

export interface Delivery {
  event: string;
  payload: unknown;
  /** Kept across redeliveries of one delivery, as GitLab does. */
  key: string;
}

export interface SeededMr {
  project: { id: number; path: string };
  iid: number;
  sourceBranch: string;
  heads: string[];
  pipelineId?: number;
}

/**
 * `count` MRs in one project, each adding a `docker push` without login to .gitlab-ci.yml; every
 * second MR gets a newer push (same change, new head); every `pipelineEvery`-th a failed pipeline
 * whose build job log shows the registry denial.
 */
export function seedManyMrs(fake: FakeGitlab, project: { id: number; path: string }, count: number, pipelineEvery = 3): SeededMr[] {
  fake.addProject(project);
  const base = hexSha(`base-${project.id}`);
  const oldCi = seedFile('registry-login.base.gitlab-ci.yml');
  const newCi = seedFile('registry-login.gitlab-ci.yml');
  const out: SeededMr[] = [];
  for (let iid = 1; iid <= count; iid++) {
    const sourceBranch = `ci/push-${iid}`;
    const heads = [hexSha(`${project.id}-${iid}-1`)];
    fake.addMergeRequest({ project: project.id, iid, sourceBranch, headSha: heads[0]!, baseSha: base, files: [{ path: '.gitlab-ci.yml', oldText: oldCi, newText: newCi }] });
    if (iid % 2 === 0) {
      heads.push(hexSha(`${project.id}-${iid}-2`));
      fake.addMrVersion({ project: project.id, iid, headSha: heads[1]!, files: [{ path: '.gitlab-ci.yml', newText: `${newCi}# second push\n` }] });
    }
    const mr: SeededMr = { project, iid, sourceBranch, heads };
    if (iid % pipelineEvery === 0) {
      mr.pipelineId = 10_000 + project.id * 1000 + iid;
      fake.addPipeline({
        project: project.id, id: mr.pipelineId, sha: heads[heads.length - 1]!, ref: sourceBranch, status: 'failed',
        jobs: [{ id: 500_000 + project.id * 1000 + iid, name: 'build', stage: 'build', status: 'failed', allow_failure: false, failure_reason: 'script_failure', trace: logFile('seed-registry/job.log') }],
      });
    }
    out.push(mr);
  }
  return out;
}

/** The deliveries GitLab would make for these MRs (open, newer pushes, pipelines), each sent `copies` times (resends). */
export function deliveriesFor(mrs: SeededMr[], copies = 2): Delivery[] {
  const repeat = (d: Delivery): Delivery[] => Array.from({ length: copies }, () => ({ ...d }));
  const out: Delivery[] = [];
  for (const m of mrs) {
    const info = (head: string) => ({ iid: m.iid, sourceBranch: m.sourceBranch, headSha: head });
    const open: Delivery = { event: 'Merge Request Hook', payload: mergeRequestHook(m.project, info(m.heads[0]!), { action: 'open' }), key: `open-${m.project.id}-${m.iid}` };
    out.push(...repeat(open));
    for (let i = 1; i < m.heads.length; i++) {
      const push: Delivery = {
        event: 'Merge Request Hook', key: `push-${m.project.id}-${m.iid}-${i}`,
        payload: mergeRequestHook(m.project, info(m.heads[i]!), { action: 'update', oldrev: m.heads[i - 1] }),
      };
      out.push(...repeat(push));
    }
    if (m.pipelineId !== undefined) {
      const head = m.heads[m.heads.length - 1]!;
      const pipeline: Delivery = {
        event: 'Pipeline Hook', key: `pipeline-${m.pipelineId}`,
        payload: pipelineHook(m.project, {
          id: m.pipelineId, sha: head, ref: m.sourceBranch, status: 'failed', mr: info(head),
          jobs: [{ id: 500_000 + m.project.id * 1000 + m.iid, name: 'build', stage: 'build', status: 'failed' }],
        }),
      };
      out.push(...repeat(pipeline));
    }
  }
  return out;
}

/** Delivers in order, `parallel` at a time; returns the deliveries that did not get a 202. */
export async function deliverAll(hookUrl: string, token: string, list: Delivery[], parallel = 8): Promise<Delivery[]> {
  const failed: Delivery[] = [];
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const d = list[next++]!;
      try {
        const res = await deliverWebhook(hookUrl, d.event, d.payload, { token, idempotencyKey: d.key });
        if (res.status !== 202) failed.push(d);
      } catch {
        failed.push(d);
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return failed;
}

/** The trailing `<!-- ci-medic:... -->` marker of each note the bot started (discussion first notes). */
export function botMarkers(fake: FakeGitlab, project: number, iid: number): string[] {
  return fake.discussions(project, iid)
    .map((d) => d.notes[0]!)
    .filter((n) => n.author.id === BOT_ID)
    .map((n) => /<!-- ci-medic:[^>]*-->\s*$/.exec(n.body)?.[0].trim() ?? `(no marker) ${n.body.slice(0, 60)}`);
}

/** Problems with "every expected comment exactly once" for these MRs (empty = all good). */
export function exactlyOnceProblems(fake: FakeGitlab, mrs: SeededMr[]): string[] {
  const problems: string[] = [];
  for (const m of mrs) {
    const markers = botMarkers(fake, m.project.id, m.iid);
    const where = `!${m.iid} (project ${m.project.id})`;
    const seen = new Map<string, number>();
    for (const k of markers) seen.set(k, (seen.get(k) ?? 0) + 1);
    for (const [k, n] of seen) if (n > 1) problems.push(`${where}: ${k} posted ${n} times`);
    if (seen.get('<!-- ci-medic:summary -->') !== 1) problems.push(`${where}: ${seen.get('<!-- ci-medic:summary -->') ?? 0} summary notes`);
    const threads = fake.discussions(m.project.id, m.iid).filter((d) => d.notes[0]?.author.id === BOT_ID && d.notes[0].type === 'DiffNote');
    if (!threads.some((d) => d.notes[0]!.body.includes('docker login'))) problems.push(`${where}: no docker login suggestion`);
    // The same suggestion twice on one line (say, from the review and from a diagnosis) is a duplicate too.
    const suggestions = new Map<string, number>();
    for (const d of threads) {
      const n = d.notes[0]!;
      const block = /```suggestion[\s\S]*?\n```/.exec(n.body)?.[0];
      if (!block) continue;
      const k = `${n.position?.new_path}:${n.position?.new_line} ${block}`;
      suggestions.set(k, (suggestions.get(k) ?? 0) + 1);
    }
    for (const [k, n] of suggestions) if (n > 1) problems.push(`${where}: the suggestion at ${k.split(' ')[0]} posted ${n} times`);
    if (m.pipelineId !== undefined && seen.get(`<!-- ci-medic:diagnosis pipeline=${m.pipelineId} -->`) !== 1) {
      problems.push(`${where}: diagnosis of pipeline ${m.pipelineId} posted ${seen.get(`<!-- ci-medic:diagnosis pipeline=${m.pipelineId} -->`) ?? 0} times`);
    }
    const summary = fake.notes(m.project.id, m.iid).find((n) => n.author.id === BOT_ID && n.body.trimEnd().endsWith('<!-- ci-medic:summary -->'));
    const head = m.heads[m.heads.length - 1]!;
    if (summary && !summary.body.includes(head.slice(0, 8))) problems.push(`${where}: summary does not name the newest head ${head.slice(0, 8)}`);
  }
  return problems;
}

/** GitLab writes seen by the fake (anything but GET). */
export const writeCount = (fake: FakeGitlab) => fake.requests.filter((r) => r.method !== 'GET').length;
