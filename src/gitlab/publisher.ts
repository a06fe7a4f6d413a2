// Posts a review to a merge request: one summary note edited in place, one inline discussion
// per finding on a changed line (with suggestion blocks), and a resolving reply when a
// finding disappears. Every write is found again by a hidden marker, so re-runs and retries
// never post twice.
import type { Finding } from '../analysis/types.js';
import type { ChangedLines } from '../analysis/fixes/diff.js';
import { renderFix } from '../analysis/fixes/render.js';
import type { GitlabClient } from './client.js';
import { GitlabUnavailableError } from './errors.js';
import { findingFingerprint, findingKeyIn, findingMarker, RESOLVED_MARKER, SUMMARY_MARKER, withMarker } from './markers.js';
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
  findings: Finding[];
  summaryMarkdown: string;
  changedLines: ChangedLines;
  /** File text at headSha (suggestions replace whole lines, fingerprints read the line). */
  fileText: (path: string) => string | undefined;
  /** The MR's diffs, if the caller already has them (saves one call). */
  diffs?: MrDiff[];
  /** Append the `diff` blocks of fixes outside the diff to the summary (default true). */
  appendOutsidePatches?: boolean;
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
  /** Patches for fixes outside the diff (markdown), also appended to the summary. */
  outside: string;
}

interface PlannedThread {
  key: string;
  path: string;
  line: number;
  body: string;
  /** The suggestion blocks in the body. */
  blocks: string[];
}

function plan(args: PublishReviewArgs): { threads: PlannedThread[]; outside: string[] } {
  const threads: PlannedThread[] = [];
  const outside: string[] = [];
  for (const f of args.findings) {
    const fp = findingFingerprint(f, args.fileText);
    const rendered = f.fix ? renderFix(f.fix, args.fileText, args.changedLines) : { inline: [], outside: '' };
    const head = `**${f.title}**\n\n${f.message}`;
    if (rendered.outside) outside.push(`**${f.title}** — ${f.fix!.description}\n\n${rendered.outside}`);
    // One thread per anchor: GitLab suggestions are relative to the thread's line.
    const byAnchor = new Map<string, { path: string; line: number; blocks: string[] }>();
    for (const s of rendered.inline) {
      const k = `${s.path}\0${s.anchorLine}`;
      const g = byAnchor.get(k) ?? { path: s.path, line: s.anchorLine, blocks: [] };
      g.blocks.push(s.body);
      byAnchor.set(k, g);
    }
    const groups = [...byAnchor.values()];
    const loc = f.location;
    if (groups.length === 0 && loc && args.changedLines.get(loc.path)?.has(loc.line)) {
      groups.push({ path: loc.path, line: loc.line, blocks: [] });
    }
    groups.forEach((g, i) => {
      const intro = i === 0 ? head : `Part ${i + 1} of the fix for **${f.title}**: ${f.fix?.description ?? ''}`;
      const text = [intro, ...g.blocks].join('\n\n');
      const key = i === 0 ? fp : `${fp}-${i + 1}`;
      threads.push({ key, path: g.path, line: g.line, body: withMarker(text, findingMarker(key)), blocks: g.blocks });
    });
  }
  return { threads, outside };
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
  const { client, project, mrIid: iid } = args;
  const me = await client.currentUser();
  const refs = await client.latestDiffRefs(project, iid);
  if (!refs) {
    throw new GitlabUnavailableError(`merge request !${iid} has no diff version yet`, {
      method: 'GET', path: `/projects/${project}/merge_requests/${iid}/versions`, attempts: 1, ambiguous: false,
    });
  }
  const result: PublishReviewResult = { status: 'published', created: [], kept: [], resolved: [], outside: '' };
  if (refs.head_sha !== args.headSha) return { ...result, status: 'stale' };
  const diffs = args.diffs ?? (await client.mrDiffs(project, iid));
  const { threads, outside } = plan(args);
  result.outside = outside.join('\n\n');

  const discussions = await client.discussions(project, iid);
  const existing = ownThreads(discussions, me.id);
  const wanted = new Set<string>();
  for (const t of threads) {
    const pos = positionFor(refs, diffs, t.path, t.line);
    if (!pos) continue;
    wanted.add(t.key);
    const have = existing.get(t.key);
    if (have) {
      result.kept.push(t.key);
      if (isResolved(have)) await client.resolveDiscussion(project, iid, have.id, false);
      continue;
    }
    // A pipeline diagnosis may already have posted this very suggestion on this line.
    if (t.blocks.length > 0 && discussions.some((d) => carriesSuggestions(d, me.id, t))) {
      result.kept.push(t.key);
      continue;
    }
    await postOnce(
      async () => ownThreads(await client.discussions(project, iid), me.id).get(t.key),
      () => client.createDiffDiscussion(project, iid, t.body, pos),
    );
    result.created.push(t.key);
  }

  for (const [key, d] of existing) {
    if (wanted.has(key) || isResolved(d)) continue;
    const replied = d.notes.some((n) => n.author.id === me.id && n.body.includes(RESOLVED_MARKER));
    if (!replied) {
      const body = withMarker(`Fixed in ${args.headSha}: ci-medic no longer finds this problem.`, RESOLVED_MARKER);
      await postOnce(
        async () => {
          const now = (await client.discussions(project, iid)).find((x) => x.id === d.id);
          return now?.notes.find((n) => n.author.id === me.id && n.body.includes(RESOLVED_MARKER));
        },
        () => client.replyToDiscussion(project, iid, d.id, body),
      );
    }
    await client.resolveDiscussion(project, iid, d.id, true);
    result.resolved.push(key);
  }

  let summary = args.summaryMarkdown;
  if (result.outside && args.appendOutsidePatches !== false) {
    summary = `${summary.trimEnd()}\n\n#### Changes outside this merge request's diff\n\n${result.outside}`;
  }
  result.summaryNoteId = (await upsertNote(client, project, iid, me.id, SUMMARY_MARKER, withMarker(summary, SUMMARY_MARKER))).id;
  return result;
}
