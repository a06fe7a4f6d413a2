// The MR review summary note: which commit was reviewed, how many problems of each severity,
// one list item per finding linking to its file and line, the patches that have no line in the
// diff and the findings GitLab refused as threads. Posted even when nothing is found, so the
// author sees the bot ran. Pure: the caller passes the project URL and the SHA.
import { trimTrailing } from '../../text/linear.js';
import type { Finding, Severity } from '../../analysis/types.js';
import { redact } from '../../text/redact.js';
import { NOTE_LIMIT } from './diagnosis.js';
import { unpostedSection, type UnpostedThread } from './review.js';
import { code, link, plain, prose, safeUrl } from '../../text/markdown.js';

export interface ReviewSummaryInput {
  /** Project web URL (`https://gitlab.example.com/acme/app`), for blob links. */
  projectUrl?: string;
  headSha: string;
  findings: readonly Finding[];
  /** Findings left out because of MAX_FINDINGS_PER_MR. */
  omitted?: number;
  /** One-line notes for the reader (e.g. includes that could not be resolved); ci-medic's own words. */
  notes?: readonly string[];
  /** Blob URLs of files that live in other projects (keyed like finding paths): links go there. */
  fileUrls?: ReadonlyMap<string, string>;
  /** Markdown sections (from planReview) for fixes outside the MR's diff. */
  outside?: readonly string[];
  /** Threads GitLab refused: their findings are listed with their patches. */
  unposted?: readonly UnpostedThread[];
  /** File text at the head, for the patches of refused threads. */
  fileText?: (path: string) => string | undefined;
  /** Character budget; past it the patches are left out. Default: GitLab's note limit with a margin. */
  maxChars?: number;
}

const ORDER: readonly Severity[] = ['error', 'warning', 'info'];
const ICON: Record<Severity, string> = { error: '🔴', warning: '🟠', info: '🔵' };

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `<project>/-/blob/<sha>/<path>#L<n>`, or undefined when the URL is unusable. */
export function blobUrl(projectUrl: string | undefined, sha: string, path: string, line?: number): string | undefined {
  const base = safeUrl(projectUrl);
  if (!base || !/^[0-9a-f]{7,64}$/i.test(sha)) return undefined;
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  return `${trimTrailing(base, '/')}/-/blob/${sha}/${encoded}${line ? `#L${line}` : ''}`;
}

function where(f: Finding, input: ReviewSummaryInput): string {
  if (!f.location) return '—';
  const { path, line } = f.location;
  const elsewhere = input.fileUrls?.get(path);
  const url = elsewhere !== undefined ? safeUrl(`${elsewhere}${line ? `#L${line}` : ''}`) : blobUrl(input.projectUrl, input.headSha, path, line);
  return link(code(`${path}:${line}`), url);
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

function render(input: ReviewSummaryInput, withPatches: boolean): string {
  const short = input.headSha.slice(0, 8);
  const commitUrl = safeUrl(input.projectUrl) && /^[0-9a-f]{7,64}$/i.test(input.headSha)
    ? `${trimTrailing(input.projectUrl!, '/')}/-/commit/${input.headSha}`
    : undefined;
  const out: string[] = ['## ci-medic review', `Reviewed commit ${link(code(short), commitUrl)} (head of this merge request).`];
  const counts = countBySeverity(input.findings);
  if (input.findings.length === 0) {
    out.push('✅ ci-medic found no problems in the CI configuration and Dockerfiles of this commit.');
  } else {
    const parts = ORDER.filter((s) => counts[s] > 0).map((s) => `${ICON[s]} ${plural(counts[s], s)}`);
    out.push(`Found ${plural(input.findings.length, 'problem')}: ${parts.join(', ')}.`);
    // A list, not a table: a table row is split at `|` before code spans are seen.
    out.push(input.findings.map((f) =>
      `- ${ICON[f.severity]} ${f.severity} · ${where(f, input)} · ${code(f.ruleId)} · **${plain(f.title)}** ${prose(redact(f.message))}`,
    ).join('\n'));
    out.push('Findings on lines this merge request changed are posted as threads with a suggestion you can apply.');
  }
  if (input.omitted && input.omitted > 0) {
    out.push(`_${plural(input.omitted, 'more finding')} not shown (MAX\\_FINDINGS\\_PER\\_MR)._`);
  }
  for (const n of input.notes ?? []) out.push(`_${plain(n)}_`);
  if (input.unposted?.length) out.push(unpostedSection(input.unposted, input.fileText ?? (() => undefined), withPatches));
  if (input.outside?.length) {
    out.push(withPatches
      ? `#### Changes outside this merge request's diff\n\n${input.outside.join('\n\n')}`
      : `_${plural(input.outside.length, 'patch')} for lines outside this merge request's diff left out: the note reached GitLab's size limit._`);
  }
  return out.join('\n\n') + '\n';
}

export function renderReviewSummary(input: ReviewSummaryInput): string {
  const budget = input.maxChars ?? NOTE_LIMIT - 10_000;
  const full = render(input, true);
  return full.length <= budget ? full : render(input, false);
}
