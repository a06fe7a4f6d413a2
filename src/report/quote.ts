// Log lines quoted into a GitLab comment. Every value goes through the helpers of
// src/text/markdown.ts (one code node each); the names below are kept for existing callers.
import { code, fence, plain, prose } from '../text/markdown.js';

export { code, fence, plain, prose } from '../text/markdown.js';

/** Text shown outside code (titles, messages ci-medic wrote): see `plain`. */
export const escapeMarkdownText = plain;
/** ci-medic's own markdown with code spans: see `prose`. */
export const safeMarkdown = prose;
/** A fenced block: see `fence`. */
export const codeBlock = fence;
/** A one-line code span: see `code`. */
export const inlineCode = code;

export interface QuotedLine {
  number: number;
  text: string;
}

export interface QuoteOptions {
  /** The job's web URL: each line links to `<url>#L<n>`, GitLab's log line anchor. */
  jobUrl?: string;
  /** Characters shown per line; longer lines are cut with a note. */
  maxLineChars?: number;
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… [${text.length - max} more characters]` : text;
}

/**
 * Log lines as markdown. With a job URL each line is its own list item whose number links to
 * the line in GitLab's log view; without one, a fenced block with line numbers. Gaps in the
 * numbering are shown as `…`.
 */
export function quoteLog(lines: readonly QuotedLine[], opts: QuoteOptions = {}): string {
  const max = opts.maxLineChars ?? 300;
  const out: string[] = [];
  let prev: number | undefined;
  if (opts.jobUrl) {
    for (const l of lines) {
      if (prev !== undefined && l.number > prev + 1) out.push('- …');
      out.push(`- [L${l.number}](${opts.jobUrl}#L${l.number})${l.text === '' ? '' : ` ${code(cut(l.text, max))}`}`);
      prev = l.number;
    }
    return out.join('\n');
  }
  const width = String(lines.length ? lines[lines.length - 1]!.number : 0).length;
  for (const l of lines) {
    if (prev !== undefined && l.number > prev + 1) out.push('…');
    out.push(`${String(l.number).padStart(width)} | ${cut(l.text, max)}`);
    prev = l.number;
  }
  return fence(out.join('\n'));
}
