// diagnose-pipeline: read the failed jobs of a pipeline (logs streamed, bounded), name each
// job's cause with the rules, tie it to the CI config and Dockerfiles at the pipeline's SHA,
// and post one diagnosis per pipeline: a note on the MR (edited as more jobs fail, inline
// suggestions where the MR changed the lines) or a comment on the commit.
import { diagnoseJob, verifyFixes, withEvidencePatterns, type Diagnosis } from '../analysis/diagnose/index.js';
import { scanLog, type LogScanResult } from '../analysis/log/index.js';
import type { DiagnosePipelineTask } from '../events/types.js';
import { isNotFound } from '../gitlab/errors.js';
import { publishDiagnosis, type DiagnosisTarget } from '../gitlab/publisher.js';
import type { Job, MergeRequest, ProjectId } from '../gitlab/types.js';
import { renderDiagnosis, type DiagnosisJob } from '../report/markdown/diagnosis.js';
import { fixRenderer, postDiagnosisSuggestions } from './diagnosis-suggestions.js';
import { readProjectMemory, rememberProject } from './memory.js';
import { loadSnapshot, snapshotNotes, type RepoSnapshot } from './snapshot.js';
import { AuthorAccess } from '../gitlab/access.js';
import { TransferTimeoutError } from '../gitlab/http.js';
import type { WorkflowContext, WorkflowOutcome } from './types.js';

/** Result ref for one set of failed jobs: a re-delivery with the same jobs posts nothing new. */
export const jobSetRef = (jobIds: readonly number[]) => `jobs:${[...jobIds].sort((a, b) => a - b).join(',')}`;
/** Any diagnosis of the pipeline happened (the reconciler's test). */
export const DIAGNOSED_REF = 'diagnosed';

type Where = { kind: 'mr'; project: ProjectId; iid: number; webUrl?: string } | { kind: 'commit'; project: ProjectId; sha: string };

async function target(task: DiagnosePipelineTask, sha: string, ctx: WorkflowContext): Promise<Where> {
  if (task.mergeRequestIid !== undefined) {
    const project = task.mergeRequestProjectId ?? task.projectId;
    return { kind: 'mr', project, iid: task.mergeRequestIid };
  }
  const open = (await ctx.client.mergeRequestsForCommit(task.projectId, sha)).filter((m: MergeRequest) => m.state === 'opened');
  const mr = open[0];
  if (mr) return { kind: 'mr', project: mr.project_id, iid: mr.iid, webUrl: mr.web_url };
  return { kind: 'commit', project: task.projectId, sha };
}

/**
 * The scan of a job's log, keeping its END when it is longer than MAX_LOG_BYTES_PER_JOB: that is
 * where failures are. GitLab's trace endpoint gives no size up front, so a log found too long is
 * read twice more (counted, then scanned from `total - max`); logs that fit are read once.
 */
async function scanJobLog(job: Job, task: DiagnosePipelineTask, ctx: WorkflowContext): Promise<LogScanResult> {
  const maxBytes = ctx.config.limits.maxLogBytesPerJob;
  const patterns = withEvidencePatterns(ctx.rules);
  const trace = () => ctx.client.streamJobTrace(task.projectId, job.id);
  const first = await scanLog(trace(), patterns, { maxBytes });
  if (!first.truncated) return first;
  let total = 0;
  for await (const chunk of trace()) total += chunk.byteLength;
  const skippedBytes = Math.max(0, total - maxBytes);
  return scanLog(dropBytes(trace(), skippedBytes), patterns, { maxBytes, skippedBytes });
}

/** The stream without its first `count` bytes. */
async function* dropBytes(chunks: AsyncIterable<Uint8Array>, count: number): AsyncIterable<Uint8Array> {
  let left = count;
  for await (const chunk of chunks) {
    if (left >= chunk.byteLength) {
      left -= chunk.byteLength;
      continue;
    }
    yield left > 0 ? chunk.subarray(left) : chunk;
    left = 0;
  }
}

async function diagnoseOne(job: Job, task: DiagnosePipelineTask, snap: RepoSnapshot | undefined, ctx: WorkflowContext, notes: string[]): Promise<Diagnosis> {
  const opts = { maxBytes: ctx.config.limits.maxLogBytesPerJob };
  let scan;
  try {
    scan = await scanJobLog(job, task, ctx);
  } catch (err) {
    // A log that stops arriving must not hold the task: diagnose this job without it.
    if (!(err instanceof TransferTimeoutError)) throw err;
    ctx.logger.warn({ key: task.key, job: job.id, err: err.message }, 'job log stalled: diagnosed without it');
    const why = err.reason === 'idle' ? `no data for ${ctx.config.limits.httpIdleTimeoutMs} ms` : `still arriving after ${ctx.config.limits.httpTotalTimeoutMs} ms`;
    notes.push(`The log of job ${job.id} stopped arriving, ${why}. That job was diagnosed without its log.`);
    scan = await scanLog([], withEvidencePatterns(ctx.rules), opts);
  }
  if (scan.truncated) ctx.logger.warn({ key: task.key, job: job.id, truncated: scan.truncated }, 'job log longer than MAX_LOG_BYTES_PER_JOB: only its end was scanned');
  const files = {
    ...(snap?.ci ? { ci: snap.ci } : {}),
    ...(snap ? { dockerfiles: snap.dockerfiles } : {}),
    jobName: job.name,
  };
  const result = diagnoseJob({ scan, rules: ctx.rules, ...files, ...(job.failure_reason ? { failureReason: job.failure_reason } : {}) });
  // The patch is posted only when it passes ci-medic's own lint once applied.
  return verifyFixes(result, { rules: ctx.rules, ...files });
}

export async function diagnosePipeline(task: DiagnosePipelineTask, ctx: WorkflowContext): Promise<WorkflowOutcome> {
  const { client, queue, logger } = ctx;
  await rememberProject(queue, task.projectId);
  const pipeline = await client.pipeline(task.projectId, task.pipelineId);
  const failed = (await client.failedJobs(task.projectId, task.pipelineId))
    .filter((j) => j.status === 'failed' && !j.allow_failure)
    .sort((a, b) => a.id - b.id);
  if (failed.length === 0) return { outcome: 'skipped', reason: 'no failed jobs to diagnose' };
  const ref = jobSetRef(failed.map((j) => j.id));
  if (await queue.hasResult(task.key, ref)) return { outcome: 'skipped', reason: 'these failed jobs were already diagnosed' };

  const notes: string[] = [];
  const maxJobs = ctx.config.limits.maxFailedJobsPerPipeline ?? 20;
  const jobs = failed.slice(0, maxJobs);
  if (failed.length > maxJobs) notes.push(`${failed.length - maxJobs} more failed jobs were not read (MAX_FAILED_JOBS_PER_PIPELINE is ${maxJobs}).`);

  // One snapshot per task: every job of a pipeline runs the same SHA.
  const memory = await readProjectMemory(queue, task.projectId);
  let snap: RepoSnapshot | undefined;
  try {
    snap = await loadSnapshot({
      client, project: task.projectId, sha: pipeline.sha, ...(memory.ciPath ? { ciPath: memory.ciPath } : {}),
      limits: ctx.config.limits, rules: ctx.rules, logger,
      // GitLab evaluated `include:project` with the rights of whoever ran the pipeline.
      access: new AuthorAccess(client, pipeline.user?.id, task.projectId),
    });
    notes.push(...snapshotNotes(snap));
  } catch (err) {
    // Without the files the log still names the cause; only the patch is lost. Outages retry.
    if (!isNotFound(err)) throw err;
    logger.warn({ key: task.key, err: (err as Error).message }, 'files at the pipeline SHA could not be read');
  }

  const results: DiagnosisJob[] = [];
  for (const job of jobs) {
    const result = await diagnoseOne(job, task, snap, ctx, notes);
    results.push({ name: job.name, id: job.id, webUrl: job.web_url, ...(job.failure_reason ? { failureReason: job.failure_reason } : {}), result });
  }

  const where = await target(task, pipeline.sha, ctx);
  const fileText = (p: string) => snap?.files.get(p);
  let posted = new Map();
  if (where.kind === 'mr') {
    const webUrl = where.webUrl ?? (await client.mergeRequest(where.project, where.iid).catch(() => undefined))?.web_url;
    posted = await postDiagnosisSuggestions({
      client, project: where.project, mrIid: where.iid, ...(webUrl ? { mrWebUrl: webUrl } : {}),
      pipelineId: pipeline.id, sha: pipeline.sha, fileText,
      findings: results.flatMap((j) => j.result.findings.map((finding) => ({ finding, job: j.name }))),
    });
  }
  const markdown = renderDiagnosis({
    pipeline: { id: pipeline.id, url: pipeline.web_url, sha: pipeline.sha, ref: pipeline.ref },
    jobs: results,
    rules: ctx.rules,
    renderFix: fixRenderer(posted, fileText),
    fileText,
    maxChars: ctx.config.limits.maxCommentChars - 1_000,
    notes,
  });
  const publishTarget: DiagnosisTarget = where.kind === 'mr' ? { kind: 'mr', iid: where.iid } : { kind: 'commit', sha: where.sha };
  await publishDiagnosis({ client, project: where.project, target: publishTarget, pipelineId: pipeline.id, markdown });

  await queue.recordResult(task.key, ref, 'diagnosed');
  await queue.recordResult(task.key, DIAGNOSED_REF, ref);
  const causes = results.map((j) => `${j.name}=${j.result.findings[0]?.ruleId ?? 'unknown'}`);
  return { outcome: 'diagnosed', details: { pipeline: pipeline.id, target: where.kind, jobs: causes } };
}
