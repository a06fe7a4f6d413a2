// Line diffs: jsdiff's Myers diff and hunks (used by the fake GitLab and by `diff` blocks),
// a parser for GitLab's hunk text, and the "changed lines" view of an MR diff that decides
// whether a fix can be an inline suggestion. Pure: no I/O.

import { diffArrays, structuredPatch } from 'diff';

export type DiffLineKind = ' ' | '+' | '-';

export interface DiffLine {
  kind: DiffLineKind;
  text: string;
  /** 1-based line in the old file (context and removed lines). */
  oldLine?: number;
  /** 1-based line in the new file (context and added lines). */
  newLine?: number;
}

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: DiffLine[];
}

/** Splits text into lines the way git counts them: a trailing newline does not start a line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The shortest edit script between two line arrays (jsdiff's Myers implementation), line by line. */
export function diffLines(oldLines: readonly string[], newLines: readonly string[]): DiffLine[] {
  const out: DiffLine[] = [];
  let oldNo = 0;
  let newNo = 0;
  for (const change of diffArrays(oldLines as string[], newLines as string[])) {
    for (const text of change.value) {
      if (change.added) out.push({ kind: '+', text, newLine: ++newNo });
      else if (change.removed) out.push({ kind: '-', text, oldLine: ++oldNo });
      else out.push({ kind: ' ', text, oldLine: ++oldNo, newLine: ++newNo });
    }
  }
  return out;
}

/** Both sides end in a newline, so jsdiff adds no "\\ No newline" markers: git counts lines the same either way. */
const terminated = (text: string): string => (text === '' || text.endsWith('\n') ? text : `${text}\n`);

/** A line diff grouped into hunks with `context` unchanged lines around each change (git's default 3). */
export function unifiedHunks(oldText: string, newText: string, context = 3): Hunk[] {
  const patch = structuredPatch('a', 'b', terminated(oldText), terminated(newText), '', '', { context });
  return patch.hunks.map((h) => {
    // jsdiff numbers an empty side from the line after it; git writes the line before (`@@ -0,0 +1,3 @@`).
    const oldStart = h.oldLines === 0 ? h.oldStart - 1 : h.oldStart;
    const newStart = h.newLines === 0 ? h.newStart - 1 : h.newStart;
    let oldNo = h.oldLines === 0 ? oldStart + 1 : oldStart;
    let newNo = h.newLines === 0 ? newStart + 1 : newStart;
    const lines: DiffLine[] = [];
    for (const raw of h.lines) {
      const kind = raw[0];
      const text = raw.slice(1);
      if (kind === '+') lines.push({ kind: '+', text, newLine: newNo++ });
      else if (kind === '-') lines.push({ kind: '-', text, oldLine: oldNo++ });
      else if (kind === ' ') lines.push({ kind: ' ', text, oldLine: oldNo++, newLine: newNo++ });
    }
    return { oldStart, oldLines: h.oldLines, newStart, newLines: h.newLines, lines };
  });
}

/** Hunks as GitLab's `diff` field shows them: `@@` headers and prefixed lines, no file header. */
export function hunksToText(hunks: readonly Hunk[]): string {
  let out = '';
  for (const h of hunks) {
    out += `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@\n`;
    for (const l of h.lines) out += `${l.kind}${l.text}\n`;
  }
  return out;
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** Parses hunk text (GitLab's `diff` field, or a unidiff with ---/+++ headers) back into hunks. */
export function parseHunks(diffText: string): Hunk[] {
  const hunks: Hunk[] = [];
  let cur: Hunk | undefined;
  let oldNo = 0;
  let newNo = 0;
  for (const raw of diffText.split('\n')) {
    const m = HUNK_HEADER.exec(raw);
    if (m) {
      cur = {
        oldStart: Number(m[1]),
        oldLines: m[2] === undefined ? 1 : Number(m[2]),
        newStart: Number(m[3]),
        newLines: m[4] === undefined ? 1 : Number(m[4]),
        lines: [],
      };
      hunks.push(cur);
      oldNo = cur.oldLines === 0 ? cur.oldStart + 1 : cur.oldStart;
      newNo = cur.newLines === 0 ? cur.newStart + 1 : cur.newStart;
      continue;
    }
    if (!cur || raw.length === 0 || raw.startsWith('\\')) continue;
    const kind = raw[0];
    const text = raw.slice(1);
    if (kind === '+') cur.lines.push({ kind: '+', text, newLine: newNo++ });
    else if (kind === '-') cur.lines.push({ kind: '-', text, oldLine: oldNo++ });
    else if (kind === ' ') cur.lines.push({ kind: ' ', text, oldLine: oldNo++, newLine: newNo++ });
  }
  return hunks;
}

/** Per new path, the new-file lines an MR diff shows (added and context lines). */
export type ChangedLines = Map<string, Set<number>>;

/** The subset of GitLab's MR diff item this module reads. */
export interface DiffLike {
  new_path: string;
  diff: string;
  deleted_file?: boolean;
}

export function changedLinesFromDiffs(diffs: readonly DiffLike[]): ChangedLines {
  const out: ChangedLines = new Map();
  for (const d of diffs) {
    if (d.deleted_file) continue;
    const set = out.get(d.new_path) ?? new Set<number>();
    for (const h of parseHunks(d.diff)) {
      for (const l of h.lines) if (l.newLine !== undefined) set.add(l.newLine);
    }
    out.set(d.new_path, set);
  }
  return out;
}

/** For one file's diff: new line -> old line (null for added lines). Lines outside hunks are absent. */
export function newLineIndex(diffText: string): Map<number, number | null> {
  const out = new Map<number, number | null>();
  for (const h of parseHunks(diffText)) {
    for (const l of h.lines) {
      if (l.newLine === undefined) continue;
      out.set(l.newLine, l.kind === '+' ? null : (l.oldLine ?? null));
    }
  }
  return out;
}

/** A `diff` block body (---/+++ header and hunks) showing how `oldText` becomes `newText`. */
export function unifiedPatch(path: string, oldText: string, newText: string, context = 3): string {
  const hunks = unifiedHunks(oldText, newText, context);
  if (hunks.length === 0) return '';
  return `--- a/${path}\n+++ b/${path}\n${hunksToText(hunks)}`;
}
