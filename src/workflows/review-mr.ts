// review-mr: list the MR's diffs first (one API call when no CI-relevant file changed), then
// load the CI config and the Dockerfiles at the MR's current head, run the static checks, and
// publish: inline suggestion threads on changed lines, one summary note edited in place.
import { isDockerfilePath } from '../analysis/dockerfile/paths.js';
import { changedLinesFromDiffs } from '../analysis/fixes/diff.js';
import type { Finding } from '../analysis/types.js';
import type { ReviewMrTask } from '../events/types.js';
import { keyFindings } from '../gitlab/markers.js';
import { publishReview } from '../gitlab/publisher.js';
import type { MrDiff } from '../gitlab/types.js';
import { planReview, resolvedReply } from '../report/markdown/review.js';
import { renderReviewSummary } from '../report/markdown/summary.js';
import { readProjectMemory, rememberProject, writeProjectMemory, type ProjectMemory } from './memory.js';
import { readSettingsText, SETTINGS_PATH } from './project-settings.js';
import { analysisPool, DEFAULT_ANALYSIS_TIMEOUT_MS } from './analysis-pool.js';
import { DEFAULT_CI_PATH, dependencyPaths, loadSnapshot, snapshotNotes, type RepoSnapshot } from './snapshot.js';
import { AuthorAccess } from '../gitlab/access.js';
import type { WorkflowContext, WorkflowOutcome } from './types.js';

/** The paths of a diff list that can change what ci-medic reports. */
export function relevantChanges(diffs: readonly MrDiff[], memory: Pick<ProjectMemory, 'ciPath' | 'paths'>): string[] {
  const ciPath = memory.ciPath ?? DEFAULT_CI_PATH;
  const known = new Set([ciPath, SETTINGS_PATH, ...memory.paths]);
  const out = new Set<string>();
  for (const d of diffs) {
    for (const p of [d.new_path, d.old_path]) {
      if (known.has(p) || isDockerfilePath(p) || p.endsWith('.gitlab-ci.yml')) out.add(p);
    }
  }
  return [...out].sort();
}

/** Project CI config path as GitLab reports it; remote (`file@group/project`) paths fall back to the default. */
function ciPathOf(project: { ci_config_path?: string | null }): string {
  const p = project.ci_config_path?.trim();
  return p && !p.includes('@') && !/^https?:/.test(p) ? p.replace(/^\/+/, '') : DEFAULT_CI_PATH;
}

function projectUrlFrom(mrWebUrl: string | undefined): string | undefined {
  return mrWebUrl?.replace(/\/-\/merge_requests\/\d+\/?$/, '');
}

export const ANALYSIS_TOO_COMPLEX = 'analysis-too-complex';

/** The review's findings, computed in a worker thread within ANALYSIS_TIMEOUT_MS. */
async function collectFindings(snap: RepoSnapshot, ctx: WorkflowContext, settingsText: string | undefined, changed: ReadonlySet<string>) {
  const timeoutMs = ctx.config.limits.analysisTimeoutMs ?? DEFAULT_ANALYSIS_TIMEOUT_MS;
  const result = await analysisPool.run({
    ...(snap.ci ? { ci: snap.ci } : {}),
    dockerfiles: [...snap.dockerfiles].map(([p, df]) => [p, df.text]),
    rules: ctx.rules,
    ...(settingsText !== undefined ? { settingsText } : {}),
    changed: [...changed],
    maxFindings: ctx.config.limits.maxFindingsPerMr,
  }, timeoutMs, ctx.signal);
  if (result.ok) return result.value;
  const meta = snap.context.meta(ANALYSIS_TOO_COMPLEX);
  const tooComplex: Finding = {
    ruleId: ANALYSIS_TOO_COMPLEX, severity: meta.severity, title: meta.title,
    message: `Checking the CI files and Dockerfiles of this push took longer than ANALYSIS_TIMEOUT_MS (${timeoutMs} ms): the analysis was stopped and nothing else was checked.`,
    evidence: { timeoutMs },
  };
  return { findings: [tooComplex], omitted: 0, settingsProblems: [] };
}

export async function reviewMr(task: ReviewMrTask, ctx: WorkflowContext): Promise<WorkflowOutcome> {
  const { client, queue, logger } = ctx;
  const project = task.projectId;
  if (await queue.hasResult(task.key, task.headSha)) return { outcome: 'skipped', reason: 'head already reviewed' };

  const memory = await readProjectMemory(queue, project);
  const diffs = await client.mrDiffs(project, task.mrIid);
  await rememberProject(queue, project);
  const relevant = relevantChanges(diffs, memory);
  if (relevant.length === 0) {
    await queue.recordResult(task.key, task.headSha, 'no-ci-change');
    return { outcome: 'no-ci-change' };
  }

  const mr = await client.mergeRequest(project, task.mrIid);
  if (mr.state !== 'opened') return { outcome: 'skipped', reason: `merge request is ${mr.state}` };
  const headSha = mr.sha ?? mr.diff_refs?.head_sha ?? task.headSha;
  if (headSha !== task.headSha) {
    logger.info({ key: task.key, taskHead: task.headSha, currentHead: headSha }, 'review superseded by a newer push: reviewing the current head');
    if (await queue.hasResult(task.key, headSha)) return { outcome: 'skipped', reason: 'current head already reviewed' };
  }

  let ciPath = memory.ciPath;
  let projectUrl = memory.webUrl ?? projectUrlFrom(mr.web_url);
  if (ciPath === undefined) {
    const info = await client.project(project);
    ciPath = ciPathOf(info as { ci_config_path?: string | null });
    projectUrl = info.web_url ?? projectUrl;
  }
  const changedDockerfiles = diffs.filter((d) => !d.deleted_file && isDockerfilePath(d.new_path)).map((d) => d.new_path);
  const snap = await loadSnapshot({
    client, project, sha: headSha, ciPath, extraDockerfiles: changedDockerfiles,
    limits: ctx.config.limits, rules: ctx.rules, logger,
    // Other projects' files count only when the MR author could read them.
    access: new AuthorAccess(client, mr.author?.id, project),
  });
  const settings = await readSettingsText(client, project, headSha, ctx.config.limits.maxSettingsBytes ?? 64 * 1024);
  const settingsText = settings.text;
  const changedPaths = new Set(diffs.filter((d) => !d.deleted_file).map((d) => d.new_path));
  const { findings, omitted, settingsProblems } = await collectFindings(snap, ctx, settingsText, changedPaths);
  for (const p of settingsProblems) logger.warn({ key: task.key, problem: p.message, line: p.line }, 'project settings ignored in part');

  const notes = snapshotNotes(snap);
  if (settings.note) notes.push(settings.note);
  const fileText = (p: string) => snap.files.get(p);
  const { keyed, duplicates } = keyFindings(findings, fileText);
  for (const f of duplicates) logger.warn({ key: task.key, rule: f.ruleId, location: f.location }, 'duplicate finding (same rule, line and message) posted once');
  const changedLines = changedLinesFromDiffs(diffs);
  const plan = planReview(keyed, fileText, changedLines);
  const reported = keyed.map((k) => k.finding);
  const result = await publishReview({
    client, project, mrIid: task.mrIid, headSha, threads: plan.threads, diffs, logger,
    resolvedBody: resolvedReply(headSha),
    summary: (unposted) => renderReviewSummary({
      ...(projectUrl ? { projectUrl } : {}), headSha, findings: reported, omitted, notes, outside: plan.outside, unposted, fileText,
      ...(snap.fileUrls ? { fileUrls: snap.fileUrls } : {}),
      maxChars: ctx.config.limits.maxCommentChars - 1_000,
    }),
  });
  if (result.status === 'stale') {
    // A push landed while reviewing; its own event (or the reconciler) reviews the new head.
    return { outcome: 'stale', reason: 'the merge request moved on while reviewing' };
  }

  await writeProjectMemory(queue, project, { ciPath, ...(projectUrl ? { webUrl: projectUrl } : {}), paths: dependencyPaths(snap) });
  await queue.recordResult(task.key, headSha, 'reviewed');
  return {
    outcome: 'reviewed',
    details: { headSha, findings: reported.length, created: result.created.length, kept: result.kept.length, resolved: result.resolved.length, unposted: result.unposted.length },
  };
}
