// Puts untrusted text (log lines, file content) into a GitLab comment so that it shows as
// written and does nothing else: no mention notifies anyone, no fence closes early, no HTML
// renders, and no hidden ci-medic marker can be forged.

const ZWJ = '\u200D';

/** `@all`, `@group/sub`, `@user.name` -> `@\u200Dall`: GitLab's reference parser no longer sees a mention. */
export function neutraliseMentions(text: string): string {
  return text.replace(/@(?=[A-Za-z0-9_])/g, `@${ZWJ}`);
}

/** Quoted text must never carry something the publisher would take for its own marker. */
export function neutraliseMarkers(text: string): string {
  return text.replace(/<!--/g, `<!${ZWJ}--`).replace(/-->/g, `--${ZWJ}>`);
}

/** Escapes HTML and GitLab markdown syntax for text shown outside code (titles, messages). */
export function escapeMarkdownText(text: string): string {
  const html = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  // Markdown punctuation that could start links, emphasis, code, tables or references.
  const md = html.replace(/([\\`*_{}[\]()#+!|~$%^])/g, '\\$1');
  return neutraliseMentions(md).replace(/\r?\n/g, ' ');
}

/**
 * Markdown written by ci-medic itself (finding messages, fix descriptions) that may embed
 * quoted values in code spans: code spans stay as they are, the prose around them gets HTML
 * escaped and mentions and markers neutralised.
 */
export function safeMarkdown(text: string): string {
  const prose = (s: string): string =>
    neutraliseMarkers(neutraliseMentions(s.replace(/&(?:[a-z]+;|#\d+;)?/gi, (m) => (m.length > 1 ? m : '&amp;')).replace(/</g, '&lt;').replace(/>/g, '&gt;')));
  let out = '';
  let pos = 0;
  const runs = /`+/g;
  for (let m = runs.exec(text); m; m = runs.exec(text)) {
    // A code span closes at the next run of the same length; without one the backticks are literal.
    const end = closingRun(text, m.index + m[0].length, m[0].length);
    if (end < 0) continue;
    out += prose(text.slice(pos, m.index)) + safeCode(text.slice(m.index, end + m[0].length));
    pos = end + m[0].length;
    runs.lastIndex = pos;
  }
  return (out + prose(text.slice(pos))).replace(/\r?\n/g, ' ');
}

/** Start of the next run of exactly `n` backticks at or after `from`, or -1. */
function closingRun(text: string, from: number, n: number): number {
  for (let i = text.indexOf('`', from); i >= 0; ) {
    let j = i;
    while (text[j] === '`') j++;
    if (j - i === n) return i;
    i = text.indexOf('`', j);
  }
  return -1;
}

function longestRun(text: string, ch: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === ch ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return longest;
}

/** Text made safe to sit inside a code block or code span. */
function safeCode(text: string): string {
  return neutraliseMarkers(neutraliseMentions(text));
}

/** A fenced code block whose fence is longer than any backtick run inside it. */
export function codeBlock(text: string, lang = ''): string {
  const body = safeCode(text);
  const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1));
  // An info string cannot hold backticks; a language is a plain word anyway.
  const info = lang.replace(/[^A-Za-z0-9_+\-.]/g, '');
  return `${fence}${info}\n${body}${body.endsWith('\n') || body === '' ? '' : '\n'}${fence}`;
}

/** A one-line code span, delimited by more backticks than any run inside. */
export function inlineCode(text: string): string {
  const body = safeCode(text.replace(/\r?\n/g, ' '));
  if (body.trim() === '') return body === '' ? '` `' : `\`${body}\``;
  const ticks = '`'.repeat(longestRun(body, '`') + 1);
  // Padding stops a leading or trailing backtick from merging with the delimiter.
  const pad = body.startsWith('`') || body.endsWith('`') || ticks.length > 1 ? ' ' : '';
  return `${ticks}${pad}${body}${pad}${ticks}`;
}

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
      out.push(`- [L${l.number}](${opts.jobUrl}#L${l.number}) ${inlineCode(cut(l.text, max))}`);
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
  return codeBlock(out.join('\n'));
}
