// Hidden HTML comments that let ci-medic find its own notes again (GitLab does not render them).
import { createHash } from 'node:crypto';
import { fingerprintOf, type Finding } from '../analysis/types.js';

export const SUMMARY_MARKER = '<!-- ci-medic:summary -->';
export const RESOLVED_MARKER = '<!-- ci-medic:resolved -->';

export const findingMarker = (key: string) => `<!-- ci-medic:finding ${key} -->`;
export { diagnosisMarker } from '../report/markdown/diagnosis.js';

// Anchored at the end, where withMarker puts it: a body may quote file content (a suggestion)
// that contains marker text, which must not be taken for the bot's own marker.
const FINDING_RE = /<!-- ci-medic:finding ([0-9a-f]{16}(?:-\d+)?) -->\s*$/;

/** Whether `body` ends with `marker` (as withMarker writes it), not merely quotes it. */
export const hasMarker = (body: string, marker: string) => body.trimEnd().endsWith(marker);

export function findingKeyIn(body: string): string | undefined {
  return FINDING_RE.exec(body)?.[1];
}

/**
 * Identity of a finding before occurrences are told apart: rule, path and the text of its line
 * (so it survives line shifts), hashed so that file content never lands in the marker.
 */
export function findingFingerprint(f: Finding, fileText: (path: string) => string | undefined): string {
  const path = f.location?.path ?? '';
  const line = f.location ? ((fileText(path) ?? '').split('\n')[f.location.line - 1] ?? '') : '';
  // Two jobs can share an identical line: the job name keeps their findings apart.
  const job = typeof f.evidence?.job === 'string' ? f.evidence.job : '';
  const extra = f.location ? job : `${job}|${f.message}`;
  return hash16(fingerprintOf(f.ruleId, path, line, extra));
}

const hash16 = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

export interface KeyedFinding {
  finding: Finding;
  /** Unique within one review: the key of its thread marker. */
  key: string;
}

export interface KeyedFindings {
  keyed: KeyedFinding[];
  /** Findings dropped because an identical one (rule, path, line, message) came first. */
  duplicates: Finding[];
}

/**
 * Gives every finding of one review its own key. Findings that share a fingerprint (two
 * identical `MAINTAINER me` lines, two problems on one line) are ordered by line and message:
 * the first keeps the plain fingerprint (so a thread posted before occurrences were counted still
 * matches it), the n-th gets the fingerprint with its occurrence index. An exact duplicate
 * (same rule, path, line and message) is dropped: one finding, one thread.
 */
export function keyFindings(findings: readonly Finding[], fileText: (path: string) => string | undefined): KeyedFindings {
  const groups = new Map<string, Array<{ f: Finding; index: number }>>();
  findings.forEach((f, index) => {
    const fp = findingFingerprint(f, fileText);
    groups.set(fp, [...(groups.get(fp) ?? []), { f, index }]);
  });
  const keys = new Map<number, string>();
  const duplicates: Finding[] = [];
  for (const [fp, group] of groups) {
    const sorted = [...group].sort((a, b) => (a.f.location?.line ?? 0) - (b.f.location?.line ?? 0)
      || (a.f.message < b.f.message ? -1 : a.f.message > b.f.message ? 1 : 0) || a.index - b.index);
    let n = 0;
    let prev: Finding | undefined;
    for (const { f, index } of sorted) {
      if (prev && prev.location?.line === f.location?.line && prev.message === f.message) {
        duplicates.push(f);
        continue;
      }
      keys.set(index, n === 0 ? fp : hash16(`${fp}#${n}`));
      n++;
      prev = f;
    }
  }
  const keyed = findings.flatMap((finding, i) => (keys.has(i) ? [{ finding, key: keys.get(i)! }] : []));
  return { keyed, duplicates };
}

/** Appends a marker on its own paragraph. */
export const withMarker = (body: string, marker: string) => (hasMarker(body, marker) ? body.trimEnd() : `${body.trimEnd()}\n\n${marker}`);
