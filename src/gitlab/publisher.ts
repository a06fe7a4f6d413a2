// Posts a review to a merge request: one summary note edited in place, one inline discussion
// per finding on a changed line (with suggestion blocks), and a resolving reply when a
// finding disappears. Every write is found again by a hidden marker, so re-runs and retries
// never post twice.
import type { Logger } from '../logger.js';
import type { PlannedThread, UnpostedThread } from '../report/markdown/review.js';
import type { GitlabClient } from './client.js';
import { GitlabRequestError, GitlabUnavailableError } from './errors.js';
import { findingKeyIn, hasMarker, RESOLVED_MARKER, SUMMARY_MARKER, withMarker } from './markers.js';
import { postOnce } from './post-once.js';
import { upsertNote } from './upsert-note.js';
import type { Discussion, MrDiff, ProjectId } from './types.js';
import { positionFor } from './position.js';

export { publishDiagnosis, type PublishDiagnosisArgs, type DiagnosisTarget } from './publish-diagnosis.js';
export { upsertNote } from './upsert-note.js';

export interface PublishReviewArgs {
  client: GitlabClient;
  project: ProjectId;
  mrIid: number;
  headSha: string;
  /** Thread bodies from planReview (src/report/markdown/review.ts), markers included. */
  threads: readonly PlannedThread[];
  /** The summary body, given the threads GitLab refused (usually none). */
  summary: (unposted: readonly UnpostedThread[]) => string;
  /** The reply posted before resolving the thread of a finding that is gone (marker included). */
  resolvedBody: string;
  /** The MR's diffs, if the caller already has them (saves one call). */
  diffs?: MrDiff[];
  logger?: Logger;
}

export interface PublishReviewResult {
  status: 'published' | 'stale';
  summaryNoteId?: number;
  /** Finding keys (fingerprint[-part]) whose discussion was created by this run. */
  created: string[];
  /** Keys that already had a discussion. */
  kept: string[];
  /** Keys whose discussion was resolved because the finding is gone. */
  resolved: string[];
  /** Keys GitLab refused a thread for (4xx): their findings are in the summary instead. */
  unposted: string[];
}

/**
 * GitLab refused this one write (a position it rejects, a body too long, no right on this
 * endpoint): retrying cannot help, but the rest of the review can still be posted.
 */
export function isRejected(e: unknown): e is GitlabRequestError {
  return e instanceof GitlabRequestError && [400, 403, 413, 422].includes(e.status);
}

/** The bot's finding threads, by key. Only threads the bot started count. */
function ownThreads(discussions: Discussion[], botId: number): Map<string, Discussion> {
  const out = new Map<string, Discussion>();
  for (const d of discussions) {
    const first = d.notes[0];
    if (!first || first.author.id !== botId) continue;
    const key = findingKeyIn(first.body);
    if (key) out.set(key, d);
  }
  return out;
}

/** An open thread of the bot at the planned line that already holds all its suggestion blocks. */
function carriesSuggestions(d: Discussion, botId: number, t: PlannedThread): boolean {
  const first = d.notes[0];
  return first?.author.id === botId && first.position?.new_path === t.path && first.position?.new_line === t.line
    && t.blocks.every((b) => first.body.includes(b)) && !isResolved(d);
}

const isResolved = (d: Discussion) => d.notes.some((n) => n.resolvable) && d.notes.every((n) => !n.resolvable || n.resolved);

export async function publishReview(args: PublishReviewArgs): Promise<PublishReviewResult> {
  const { client, project, mrIid: iid, logger } = args;
  const me = await client.currentUser();
  const refs = await client.latestDiffRefs(project, iid);
  if (!refs) {
    throw new GitlabUnavailableError(`merge request !${iid} has no diff version yet`, {
      method: 'GET', path: `/projects/${project}/merge_requests/${iid}/versions`, attempts: 1, ambiguous: false,
    });
  }
  const result: PublishReviewResult = { status: 'published', created: [], kept: [], resolved: [], unposted: [] };
  if (refs.head_sha !== args.headSha) return { ...result, status: 'stale' };
  const diffs = args.diffs ?? (await client.mrDiffs(project, iid));
  const unposted: UnpostedThread[] = [];
  const rejected = (what: string, e: GitlabRequestError, extra: Record<string, unknown>) =>
    logger?.warn({ project, mr: iid, status: e.status, err: e.gitlabMessage, ...extra }, `GitLab refused ${what}; the review goes on`);

  const discussions = await client.discussions(project, iid);
  const existing = ownThreads(discussions, me.id);
  const wanted = new Set<string>();
  for (const t of args.threads) {
    // Two findings with one key would share (and fight over) one thread.
    if (wanted.has(t.key)) {
      logger?.warn({ project, mr: iid, key: t.key, rule: t.finding.ruleId }, 'two findings with one fingerprint: the second is not posted');
      continue;
    }
    const pos = positionFor(refs, diffs, t.path, t.line);
    if (!pos) continue;
    wanted.add(t.key);
    const have = existing.get(t.key);
    if (have) {
      result.kept.push(t.key);
      if (isResolved(have)) {
        await client.resolveDiscussion(project, iid, have.id, false).catch((e: unknown) => {
          if (!isRejected(e)) throw e;
          rejected('reopening a thread', e, { key: t.key });
        });
      }
      continue;
    }
    // A pipeline diagnosis may already have posted this very suggestion on this line.
    if (t.blocks.length > 0 && discussions.some((d) => carriesSuggestions(d, me.id, t))) {
      result.kept.push(t.key);
      continue;
    }
    try {
      await postOnce(
        async () => ownThreads(await client.discussions(project, iid), me.id).get(t.key),
        () => client.createDiffDiscussion(project, iid, t.body, pos),
      );
      result.created.push(t.key);
    } catch (e) {
      if (!isRejected(e)) throw e;
      rejected('a thread', e, { key: t.key, rule: t.finding.ruleId, path: t.path, line: t.line });
      unposted.push({ thread: t, status: e.status });
      result.unposted.push(t.key);
    }
  }

  for (const [key, d] of existing) {
    if (wanted.has(key) || isResolved(d)) continue;
    try {
      const replied = d.notes.some((n) => n.author.id === me.id && hasMarker(n.body, RESOLVED_MARKER));
      if (!replied) {
        await postOnce(
          async () => {
            const now = (await client.discussions(project, iid)).find((x) => x.id === d.id);
            return now?.notes.find((n) => n.author.id === me.id && hasMarker(n.body, RESOLVED_MARKER));
          },
          () => client.replyToDiscussion(project, iid, d.id, args.resolvedBody),
        );
      }
      await client.resolveDiscussion(project, iid, d.id, true);
      result.resolved.push(key);
    } catch (e) {
      if (!isRejected(e)) throw e;
      rejected('closing a fixed thread', e, { key });
    }
  }

  const summary = args.summary(unposted);
  result.summaryNoteId = (await upsertNote(client, project, iid, me.id, SUMMARY_MARKER, withMarker(summary, SUMMARY_MARKER))).id;
  return result;
}
