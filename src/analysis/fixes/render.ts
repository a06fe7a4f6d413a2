// Turns a Fix into GitLab `suggestion` blocks (for edits that sit inside one hunk of the MR
// diff) and `diff` blocks (for everything else). Pure: file text comes in through a function.
import type { Fix, TextEdit } from '../types.js';
import { longestRun } from '../../text/markdown.js';
import { redact } from '../../text/redact.js';
import { splitLines, unifiedPatch, type ChangedLines } from './diff.js';

export interface InlineSuggestion {
  path: string;
  /** New-file line the diff discussion is anchored on (the last replaced line). */
  anchorLine: number;
  /** A fenced `suggestion:-N+0` block. */
  body: string;
}

export interface RenderedFix {
  inline: InlineSuggestion[];
  /** Zero or more fenced `diff` blocks, separated by blank lines; '' when everything is inline. */
  outside: string;
}

/** GitLab accepts at most 100 lines above and 100 below the anchor. */
export const MAX_SUGGESTION_ABOVE = 100;

/** A fence longer than any backtick run inside `content` (at least three). */
export function fenceFor(content: string): string {
  return '`'.repeat(Math.max(3, longestRun(content, '`') + 1));
}

export function suggestionBlock(above: number, lines: readonly string[]): string {
  const content = lines.join('\n');
  const fence = fenceFor(content);
  return `${fence}suggestion:-${above}+0\n${content}${lines.length ? '\n' : ''}${fence}`;
}

/** A fenced `diff` block; every line (context, removed, added) is redacted: a diff quotes the file. */
export function diffBlock(patch: string): string {
  patch = redact(patch);
  const fence = fenceFor(patch);
  return `${fence}diff\n${patch.endsWith('\n') ? patch : patch + '\n'}${fence}`;
}

interface Replacement {
  start: number;
  end: number;
  lines: string[];
}

/**
 * The line range a suggestion must replace for this edit. Suggestions replace whole existing
 * lines, so an insertion or a pure deletion borrows a neighbouring line, keeping it in the
 * content. The neighbour must itself be a shown line of the diff.
 */
function toReplacement(edit: TextEdit, file: string[], shown: Set<number>): Replacement | undefined {
  const { startLine: s, endLine: e, newLines } = edit;
  if (e >= s && newLines.length > 0) return { start: s, end: e, lines: [...newLines] };
  const above = s - 1;
  const below = e + 1;
  if (above >= 1 && above <= file.length && shown.has(above)) {
    return { start: above, end: Math.max(e, above), lines: [file[above - 1]!, ...newLines] };
  }
  if (below >= 1 && below <= file.length && shown.has(below)) {
    return { start: Math.min(s, below), end: below, lines: [...newLines, file[below - 1]!] };
  }
  return undefined;
}

function inlineFor(edit: TextEdit, file: string[], changed: ChangedLines): InlineSuggestion | undefined {
  const shown = changed.get(edit.path);
  if (!shown) return undefined;
  const r = toReplacement(edit, file, shown);
  if (!r || r.start < 1 || r.end > file.length) return undefined;
  if (r.end - r.start > MAX_SUGGESTION_ABOVE) return undefined;
  // Every replaced line must be shown; consecutive shown lines are one hunk.
  for (let l = r.start; l <= r.end; l++) if (!shown.has(l)) return undefined;
  // A suggestion is applied verbatim, so it cannot be redacted: a line that holds a secret is
  // shown only in a (redacted) `diff` block.
  if (r.lines.some((l) => redact(l) !== l)) return undefined;
  return { path: edit.path, anchorLine: r.end, body: suggestionBlock(r.end - r.start, r.lines) };
}

/** Applies edits to one file's lines; edits are applied bottom-up so line numbers stay valid. */
export function applyEdits(lines: readonly string[], edits: readonly TextEdit[]): string[] {
  const out = [...lines];
  const sorted = [...edits].sort((a, b) => b.startLine - a.startLine);
  for (const e of sorted) out.splice(e.startLine - 1, Math.max(0, e.endLine - e.startLine + 1), ...e.newLines);
  return out;
}

function joinLines(lines: readonly string[], trailingNewline: boolean): string {
  return lines.length === 0 ? '' : lines.join('\n') + (trailingNewline ? '\n' : '');
}

export function renderFix(
  fix: Fix,
  fileText: (path: string) => string | undefined,
  changed: ChangedLines,
): RenderedFix {
  const inline: InlineSuggestion[] = [];
  const outsideByPath = new Map<string, TextEdit[]>();
  for (const edit of fix.edits) {
    const text = fileText(edit.path) ?? '';
    const hit = inlineFor(edit, splitLines(text), changed);
    if (hit) inline.push(hit);
    else outsideByPath.set(edit.path, [...(outsideByPath.get(edit.path) ?? []), edit]);
  }
  const blocks: string[] = [];
  for (const [path, edits] of outsideByPath) {
    const text = fileText(path) ?? '';
    const trailing = text === '' || text.endsWith('\n');
    const after = joinLines(applyEdits(splitLines(text), edits), trailing);
    const patch = unifiedPatch(path, text, after);
    if (patch) blocks.push(diffBlock(patch));
  }
  return { inline, outside: blocks.join('\n\n') };
}
