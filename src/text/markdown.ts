// The only ways text an MR author or a job controls (job names, image names, paths, variable
// names, log lines, file content) enters a body ci-medic posts. GitLab's reference filters
// (mentions, issue links) skip text inside `code`, `pre` and `a`, and nothing inside a code span
// or a fenced block is HTML, so a value that stays inside one code node is inert whatever it
// holds. These helpers guarantee that it stays inside: the value comes back from a CommonMark
// parser as exactly one code node with the value as its content (test/report/safe.test.ts).
//
// Pure and dependency-free, so analysis code can build finding messages with them too.

/** The longest run of `ch` in `text`. */
export function longestRun(text: string, ch: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === ch ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return longest;
}

// CommonMark replaces U+0000 with U+FFFD; doing it here keeps the round trip exact.
const NUL = /\u0000/g;
const LINE_BREAK = /\r\n|\r|\n/g;

/**
 * What `code(value)` shows: a code span holds one line (CommonMark turns line endings into
 * spaces, and a line break would let the next line start a block), NUL becomes U+FFFD.
 */
export function codeContent(value: string): string {
  return value.replace(LINE_BREAK, ' ').replace(NUL, '\uFFFD');
}

/**
 * An inline code span showing `value` exactly (see codeContent): delimited by a backtick run
 * longer than any inside, padded with one space where CommonMark strips one (a value that starts
 * or ends with a backtick or a space). An empty value is shown as `(empty)` in italics.
 */
export function code(value: string): string {
  const body = codeContent(value);
  if (body === '') return '_(empty)_';
  const ticks = '`'.repeat(longestRun(body, '`') + 1);
  // An all-space content is never stripped; anything else loses one space on each side when
  // both sides have one, so pad whenever an edge is a space or a backtick.
  const allSpaces = /^ +$/.test(body);
  const edge = (c: string) => c === ' ' || c === '`';
  const pad = !allSpaces && (edge(body[0]!) || edge(body[body.length - 1]!)) ? ' ' : '';
  return `${ticks}${pad}${body}${pad}${ticks}`;
}

/** The content a fenced block shows for `value`: line endings as `\n`, NUL as U+FFFD. */
export function fenceContent(value: string): string {
  return value.replace(LINE_BREAK, '\n').replace(NUL, '\uFFFD');
}

/**
 * A fenced code block showing `value` verbatim (see fenceContent), with a backtick fence longer
 * than any backtick run inside (at least three), so no line of the value can close it. `lang`
 * is reduced to a plain word (an info string cannot hold backticks).
 */
export function fence(value: string, lang = ''): string {
  const body = fenceContent(value);
  const ticks = '`'.repeat(Math.max(3, longestRun(body, '`') + 1));
  const info = lang.replace(/[^A-Za-z0-9_+\-.:]/g, '');
  return `${ticks}${info}\n${body}${body.endsWith('\n') || body === '' ? '' : '\n'}${ticks}`;
}

const ZWJ = '\u200D';

/**
 * Text ci-medic wrote itself (rule titles, its own sentences) made inert as prose: HTML
 * characters as entities, markdown punctuation backslash-escaped, `@name` broken with a
 * zero-width joiner (GitLab's mention pattern no longer matches), one line. Not for user
 * values: those go through `code` or `fence`.
 */
export function plain(text: string): string {
  const html = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  // Emphasis, code, links and images, tables, headings and GitLab's own syntax: references
  // (`#1`, `!1`, `~label`, `%milestone`), math (`$`), inline diffs (`{+ +}`), footnotes (`^`).
  const md = html.replace(/([\\`*_{}[\]#!|~$%^])/g, '\\$1');
  return md.replace(/@(?=[A-Za-z0-9_])/g, `@${ZWJ}`).replace(LINE_BREAK, ' ');
}

/**
 * Markdown ci-medic composed from its own sentences and `code(...)` spans (finding messages,
 * fix descriptions): the code spans stay as they are, the prose between them is made inert
 * like `plain` (so a value that a check forgot to wrap still renders as text, never as HTML
 * or a mention), one line. Code spans are found as CommonMark finds them: a backtick run up
 * to the next run of the same length; a backslash-escaped backtick opens nothing.
 */
export function prose(markdown: string): string {
  const text = markdown.replace(LINE_BREAK, ' ');
  let out = '';
  let pos = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c !== '`') {
      i++;
      continue;
    }
    let j = i;
    while (j < text.length && text[j] === '`') j++;
    const run = j - i;
    const end = closingRun(text, j, run);
    if (end < 0) {
      i = j;
      continue;
    }
    out += plain(text.slice(pos, i)) + text.slice(i, end + run);
    pos = i = end + run;
  }
  return out + plain(text.slice(pos));
}

/** Index of the next backtick run of exactly `len` at or after `from`, or -1. */
function closingRun(text: string, from: number, len: number): number {
  let i = from;
  while (i < text.length) {
    if (text[i] !== '`') {
      i++;
      continue;
    }
    let j = i;
    while (j < text.length && text[j] === '`') j++;
    if (j - i === len) return i;
    i = j;
  }
  return -1;
}

/** Only http(s) links without characters that could end a markdown link early. */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url || !/^https?:\/\/[^\s()<>"'`\\[\]]+$/.test(url)) return undefined;
  return url;
}

/** `[label](url)`, or the label alone when the URL is not a plain http(s) URL. `label` is markdown made by these helpers. */
export function link(label: string, url: string | undefined): string {
  const safe = safeUrl(url);
  return safe ? `[${label}](${safe})` : label;
}
