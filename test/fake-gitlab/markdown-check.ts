// Renders every body posted to the fake GitLab (notes, discussions, replies, edits, commit
// comments) with a CommonMark parser (markdown-it, GFM tables and strikethrough on, raw HTML
// on as GitLab allows it) and records what GitLab would turn into a notification or markup:
//
// - a live mention: `@name` (GitLab's user/group reference pattern, `@all` included) in a text
//   node that is not inside code, a code block or a link (GitLab's reference filters skip
//   `code`, `pre` and `a`: IGNORE_PARENTS in lib/banzai/filter/references/reference_filter.rb);
// - raw HTML outside code, except the bot's own fixed markup: its hidden marker comments
//   (`<!-- ci-medic:summary -->`, `… resolved`, `… finding <hex16>[-n]`, `… diagnosis
//   pipeline=<n>`, `… diagnosis-fix <hex16>`) and the bare tags `<details>`, `</details>`,
//   `<summary>`, `</summary>` (no attributes);
// - an image (ci-medic never posts one; a remote image in a comment is a tracking pixel).
import MarkdownIt from 'markdown-it';

export interface BodyViolation {
  kind: 'mention' | 'html' | 'image';
  /** The mention, the HTML or the image URL. */
  detail: string;
  /** Where the body was posted (`POST /projects/42/merge_requests/1/notes`). */
  where: string;
}

type Token = ReturnType<InstanceType<typeof MarkdownIt>['parse']>[number];

const md = new MarkdownIt({ html: true, linkify: false });

// User and group references (User.reference_pattern: `(?<!\w)@` + a namespace path).
const MENTION = /(?<![A-Za-z0-9_])@([A-Za-z0-9_][A-Za-z0-9_.-]*)/g;
const MARKER = /<!-- ci-medic:(?:summary|resolved|finding [0-9a-f]{16}(?:-\d+)?|diagnosis pipeline=\d+|diagnosis-fix [0-9a-f]{16}) -->/g;
const ALLOWED_TAG = /<\/?(?:details|summary)>/g;

function checkHtml(html: string, out: Omit<BodyViolation, 'where'>[]): void {
  const rest = html.replace(MARKER, '').replace(ALLOWED_TAG, '');
  if (rest.includes('<')) out.push({ kind: 'html', detail: html.trim() });
  // Text between allowed tags (a <summary> line) is rendered and scanned for references.
  mentionsIn(rest, out);
}

function mentionsIn(text: string, out: Omit<BodyViolation, 'where'>[]): void {
  for (const m of text.matchAll(MENTION)) out.push({ kind: 'mention', detail: m[0] });
}

function walk(tokens: readonly Token[], out: Omit<BodyViolation, 'where'>[]): void {
  let inLink = 0;
  for (const tok of tokens) {
    switch (tok.type) {
      case 'html_block':
      case 'html_inline':
        checkHtml(tok.content, out);
        break;
      case 'image':
        out.push({ kind: 'image', detail: String(tok.attrGet('src') ?? '') });
        break;
      case 'link_open':
        inLink++;
        break;
      case 'link_close':
        inLink--;
        break;
      case 'text':
        if (inLink === 0) mentionsIn(tok.content, out);
        break;
      default:
        break;
    }
    if (tok.children) walk(tok.children, out);
  }
}

/** What GitLab would render live in `body` (empty: nothing). */
export function checkBody(body: string): Omit<BodyViolation, 'where'>[] {
  const out: Omit<BodyViolation, 'where'>[] = [];
  walk(md.parse(body, {}), out);
  return out;
}

/** Every code node of `body` (inline spans and blocks), in order, with its content. */
export function codeNodes(body: string): Array<{ type: 'code_inline' | 'fence' | 'code_block'; content: string; info?: string }> {
  const out: Array<{ type: 'code_inline' | 'fence' | 'code_block'; content: string; info?: string }> = [];
  const visit = (tokens: readonly Token[]) => {
    for (const tok of tokens) {
      if (tok.type === 'code_inline' || tok.type === 'code_block') out.push({ type: tok.type, content: tok.content });
      if (tok.type === 'fence') out.push({ type: 'fence', content: tok.content, info: tok.info });
      if (tok.children) visit(tok.children);
    }
  };
  visit(md.parse(body, {}));
  return out;
}

/** The parsed tokens, for tests that look at structure. */
export function parseMarkdown(body: string): Token[] {
  return md.parse(body, {});
}

/** Collects violations per posted body; the fake's server calls `inspect` for each write. */
export class BodyChecker {
  readonly violations: BodyViolation[] = [];
  /** Bodies checked, for tests that want to see the check ran. */
  checked = 0;

  inspect(where: string, body: unknown): void {
    if (typeof body !== 'string') return;
    this.checked++;
    for (const v of checkBody(body)) this.violations.push({ ...v, where });
  }
}
