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
 * Stable identity of a finding: rule, path and the text of its line (so it survives line
 * shifts), hashed so that file content never lands in the marker.
 */
export function findingFingerprint(f: Finding, fileText: (path: string) => string | undefined): string {
  const path = f.location?.path ?? '';
  const line = f.location ? ((fileText(path) ?? '').split('\n')[f.location.line - 1] ?? '') : '';
  // Two jobs can share an identical line: the job name keeps their findings apart.
  const job = typeof f.evidence?.job === 'string' ? f.evidence.job : '';
  const extra = f.location ? job : `${job}|${f.message}`;
  return createHash('sha256').update(fingerprintOf(f.ruleId, path, line, extra)).digest('hex').slice(0, 16);
}

/** Appends a marker on its own paragraph. */
export const withMarker = (body: string, marker: string) => (hasMarker(body, marker) ? body.trimEnd() : `${body.trimEnd()}\n\n${marker}`);
