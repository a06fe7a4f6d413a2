// Line diffs: a Myers diff for building hunks (used by the fake GitLab and by `diff` blocks),
// a parser for GitLab's hunk text, and the "changed lines" view of an MR diff that decides
// whether a fix can be an inline suggestion. Pure: no I/O.

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

/** Myers' O(ND) shortest edit script, as a sequence of context/added/removed lines. */
export function diffLines(oldLines: readonly string[], newLines: readonly string[]): DiffLine[] {
  const n = oldLines.length;
  const m = newLines.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)
          ? v[offset + k + 1]!
          : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && oldLines[x] === newLines[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk the trace backwards to recover the path.
  const out: DiffLine[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK =
      d === 0
        ? 0
        : k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!)
          ? k + 1
          : k - 1;
    const prevX = d === 0 ? 0 : vd[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      out.push({ kind: ' ', text: oldLines[x - 1]!, oldLine: x, newLine: y });
      x--;
      y--;
    }
    if (d === 0) break;
    if (x === prevX) out.push({ kind: '+', text: newLines[y - 1]!, newLine: y });
    else out.push({ kind: '-', text: oldLines[x - 1]!, oldLine: x });
    x = prevX;
    y = prevY;
  }
  return out.reverse();
}

/** Groups a line diff into hunks with `context` unchanged lines around each change (git's default 3). */
export function unifiedHunks(oldText: string, newText: string, context = 3): Hunk[] {
  const lines = diffLines(splitLines(oldText), splitLines(newText));
  const hunks: Hunk[] = [];
  let i = 0;
  while (i < lines.length) {
    if (lines[i]!.kind === ' ') {
      i++;
      continue;
    }
    // A change at i: extend until a run of more than 2*context unchanged lines.
    const start = Math.max(0, i - context);
    let end = i;
    let j = i;
    while (j < lines.length) {
      if (lines[j]!.kind !== ' ') {
        end = j;
        j++;
        continue;
      }
      let run = 0;
      while (j + run < lines.length && lines[j + run]!.kind === ' ') run++;
      if (j + run >= lines.length || run > 2 * context) break;
      j += run;
    }
    const stop = Math.min(lines.length, end + 1 + context);
    hunks.push(toHunk(lines.slice(start, stop), lines, start));
    i = stop;
  }
  return hunks;
}

function toHunk(slice: DiffLine[], all: DiffLine[], startIdx: number): Hunk {
  // Line numbers of the hunk start: count what precedes it.
  let oldBefore = 0;
  let newBefore = 0;
  for (let k = 0; k < startIdx; k++) {
    if (all[k]!.kind !== '+') oldBefore++;
    if (all[k]!.kind !== '-') newBefore++;
  }
  const oldLines = slice.filter((l) => l.kind !== '+').length;
  const newLines = slice.filter((l) => l.kind !== '-').length;
  return {
    // git writes start 0 for an empty side (`@@ -0,0 +1,3 @@`).
    oldStart: oldLines === 0 ? oldBefore : oldBefore + 1,
    oldLines,
    newStart: newLines === 0 ? newBefore : newBefore + 1,
    newLines,
    lines: slice,
  };
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
