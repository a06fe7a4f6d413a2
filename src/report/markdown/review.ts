// The bodies of an MR review, composed before anything is posted: one inline thread per
// anchor of each finding (its suggestion blocks and its hidden marker), the `diff` blocks of
// fixes outside the MR's diff, the reply that closes a fixed finding's thread. The publisher
// posts these bodies as they are.
import type { ChangedLines } from '../../analysis/fixes/diff.js';
import { renderFix } from '../../analysis/fixes/render.js';
import type { Finding } from '../../analysis/types.js';
import { findingMarker, RESOLVED_MARKER, withMarker, type KeyedFinding } from '../../gitlab/markers.js';
import { redact } from '../../text/redact.js';
import { code, plain, prose } from '../../text/markdown.js';

export interface PlannedThread {
  /** The finding key (fingerprint), `-N` for the N-th part of a fix anchored elsewhere. */
  key: string;
  path: string;
  line: number;
  /** The whole body, marker included. */
  body: string;
  /** The suggestion blocks in the body. */
  blocks: string[];
  finding: Finding;
}

export interface ReviewPlan {
  threads: PlannedThread[];
  /** One markdown section per fix (or part of one) that has no line in the MR's diff. */
  outside: string[];
}

/** `**Title**` then the message: the head of a finding's thread and of its summary entry. */
export function findingHead(f: Finding): string {
  return `**${plain(f.title)}**\n\n${prose(redact(f.message))}`;
}

function fixDescription(f: Finding): string {
  return f.fix ? prose(redact(f.fix.description)) : '';
}

export function planReview(keyed: readonly KeyedFinding[], fileText: (path: string) => string | undefined, changedLines: ChangedLines): ReviewPlan {
  const threads: PlannedThread[] = [];
  const outside: string[] = [];
  for (const { finding: f, key: fp } of keyed) {
    const rendered = f.fix ? renderFix(f.fix, fileText, changedLines) : { inline: [], outside: '' };
    if (rendered.outside) outside.push(`**${plain(f.title)}** — ${fixDescription(f)}\n\n${rendered.outside}`);
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
    if (groups.length === 0 && loc && changedLines.get(loc.path)?.has(loc.line)) {
      groups.push({ path: loc.path, line: loc.line, blocks: [] });
    }
    groups.forEach((g, i) => {
      const intro = i === 0 ? findingHead(f) : `Part ${i + 1} of the fix for **${plain(f.title)}**: ${fixDescription(f)}`;
      const key = i === 0 ? fp : `${fp}-${i + 1}`;
      threads.push({ key, path: g.path, line: g.line, body: withMarker([intro, ...g.blocks].join('\n\n'), findingMarker(key)), blocks: g.blocks, finding: f });
    });
  }
  return { threads, outside };
}

/** The reply that closes the thread of a finding the new head no longer has. */
export function resolvedReply(headSha: string): string {
  const sha = /^[0-9a-f]{7,64}$/i.test(headSha) ? headSha : code(headSha);
  return withMarker(`Fixed in ${sha}: ci-medic no longer finds this problem.`, RESOLVED_MARKER);
}

/** Why a planned thread was not posted, for the summary. */
export interface UnpostedThread {
  thread: PlannedThread;
  /** GitLab's HTTP status. */
  status: number;
}

/**
 * The summary section for threads GitLab refused (a position it rejects, a body too long, a 403):
 * each finding once, with where it is and its fix as a `diff` block, so nothing is lost.
 */
export function unpostedSection(unposted: readonly UnpostedThread[], fileText: (path: string) => string | undefined, withPatches = true): string {
  if (unposted.length === 0) return '';
  const seen = new Set<Finding>();
  const out = ['#### Findings GitLab did not accept as threads'];
  for (const { thread, status } of unposted) {
    const f = thread.finding;
    if (seen.has(f)) continue;
    seen.add(f);
    const where = `${code(`${thread.path}:${thread.line}`)} (GitLab answered ${status})`;
    const patch = withPatches && f.fix ? renderFix(f.fix, fileText, new Map()).outside : '';
    out.push([`${findingHead(f)}\n\nAt ${where}.`, ...(patch ? [`${fixDescription(f)}\n\n${patch}`] : [])].join('\n\n'));
  }
  return out.join('\n\n');
}
