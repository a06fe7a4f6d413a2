// The MR review summary note: which commit was reviewed, how many problems of each severity,
// and one row per finding linking to its file and line. Posted even when nothing is found, so
// the author sees the bot ran. Pure: the caller passes the project URL and the SHA.
import type { Finding, Severity } from '../../analysis/types.js';
import { escapeMarkdownText, inlineCode, safeMarkdown } from '../quote.js';
import { safeUrl } from './finding.js';
import { trimTrailing } from '../../text/linear.js';

export interface ReviewSummaryInput {
  /** Project web URL (`https://gitlab.example.com/acme/app`), for blob links. */
  projectUrl?: string;
  headSha: string;
  findings: readonly Finding[];
  /** Findings left out because of MAX_FINDINGS_PER_MR. */
  omitted?: number;
  /** One-line notes for the reader (e.g. includes that could not be resolved). */
  notes?: readonly string[];
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
  const label = escapeMarkdownText(`${path}:${line}`);
  const url = blobUrl(input.projectUrl, input.headSha, path, line);
  return url ? `[${label}](${url})` : label;
}

/** Table cells cannot hold a raw pipe or a line break. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/(?<!\\)\|/g, '\\|');
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

export function renderReviewSummary(input: ReviewSummaryInput): string {
  const short = input.headSha.slice(0, 8);
  const commitUrl = safeUrl(input.projectUrl) && /^[0-9a-f]{7,64}$/i.test(input.headSha)
    ? `${trimTrailing(input.projectUrl!, '/')}/-/commit/${input.headSha}`
    : undefined;
  const commit = commitUrl ? `[${inlineCode(short)}](${commitUrl})` : inlineCode(short);
  const out: string[] = ['## ci-medic review', `Reviewed commit ${commit} (head of this merge request).`];
  const counts = countBySeverity(input.findings);
  if (input.findings.length === 0) {
    out.push('✅ ci-medic found no problems in the CI configuration and Dockerfiles of this commit.');
  } else {
    const parts = ORDER.filter((s) => counts[s] > 0).map((s) => `${ICON[s]} ${plural(counts[s], s)}`);
    out.push(`Found ${plural(input.findings.length, 'problem')}: ${parts.join(', ')}.`);
    const rows = input.findings.map((f) =>
      `| ${ICON[f.severity]} ${f.severity} | ${cell(where(f, input))} | ${cell(inlineCode(f.ruleId))} | ${cell(`**${escapeMarkdownText(f.title)}** ${safeMarkdown(f.message)}`)} |`,
    );
    out.push(['| Severity | Where | Rule | Problem |', '| --- | --- | --- | --- |', ...rows].join('\n'));
    out.push('Findings on lines this merge request changed are posted as threads with a suggestion you can apply.');
  }
  if (input.omitted && input.omitted > 0) {
    out.push(`_${plural(input.omitted, 'more finding')} not shown (MAX_FINDINGS_PER_MR)._`);
  }
  for (const n of input.notes ?? []) out.push(`_${escapeMarkdownText(n)}_`);
  return out.join('\n\n') + '\n';
}
