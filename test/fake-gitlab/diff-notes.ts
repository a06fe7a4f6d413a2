// Position validation and suggestion parsing for diff discussions, modelled on GitLab:
// the position must name a line the latest diff version shows (added or context) with a
// valid line code, otherwise 400 `line_code can't be blank`.
import { parseHunks, splitLines } from '../../src/analysis/fixes/diff.js';
import { intParam, lineCodeError, validationError, type Params } from './http-util.js';
import { sha1, type FakeMr, type FakeState, type FakeProject, type Position, type Suggestion } from './state.js';

/** `<sha1(path)>_<old>_<new>`; for added lines `old` is the next old line, as GitLab's parser counts. */
export function lineCodeFor(diffText: string, path: string, oldLine: number | null, newLine: number | null): string | undefined {
  for (const h of parseHunks(diffText)) {
    let oldNo = h.oldLines === 0 ? h.oldStart + 1 : h.oldStart;
    let newNo = h.newLines === 0 ? h.newStart + 1 : h.newStart;
    for (const l of h.lines) {
      if (l.kind === '+') {
        if (oldLine === null && newLine === newNo) return `${sha1(path)}_${oldNo}_${newNo}`;
        newNo++;
      } else if (l.kind === '-') {
        if (newLine === null && oldLine === oldNo) return `${sha1(path)}_${oldNo}_${newNo}`;
        oldNo++;
      } else {
        if (oldLine === oldNo && newLine === newNo) return `${sha1(path)}_${oldNo}_${newNo}`;
        oldNo++;
        newNo++;
      }
    }
  }
  return undefined;
}

export function validatePosition(mr: FakeMr, raw: Params): Position {
  const str = (k: string) => (typeof raw[k] === 'string' ? (raw[k] as string) : undefined);
  for (const k of ['base_sha', 'start_sha', 'head_sha', 'position_type']) {
    if (!str(k)) throw validationError(`position[${k}] is missing`);
  }
  if (str('position_type') !== 'text') throw validationError('position[position_type] does not have a valid value');
  const latest = mr.versions[mr.versions.length - 1]!;
  const newPath = str('new_path');
  const oldPath = str('old_path');
  const oldLine = intParam(raw.old_line) ?? null;
  const newLine = intParam(raw.new_line) ?? null;
  const position: Position = {
    base_sha: str('base_sha')!,
    start_sha: str('start_sha')!,
    head_sha: str('head_sha')!,
    old_path: oldPath ?? '',
    new_path: newPath ?? '',
    position_type: 'text',
    old_line: oldLine,
    new_line: newLine,
  };
  if (raw.line_range !== undefined) position.line_range = raw.line_range;
  const shasMatch =
    position.base_sha === latest.base_commit_sha &&
    position.start_sha === latest.start_commit_sha &&
    position.head_sha === latest.head_commit_sha;
  const diff = latest.diffs.find((d) => d.new_path === newPath && d.old_path === oldPath);
  if (!shasMatch || !diff || (oldLine === null && newLine === null)) throw lineCodeError();
  if (!lineCodeFor(diff.diff, diff.new_path, oldLine, newLine)) throw lineCodeError();
  return position;
}

const SUGGESTION_OPEN = /^(`{3,}|~{3,})suggestion(?::(?:-(\d+))?(?:\+(\d+))?)?\s*$/;

function closesFence(line: string, fence: string): boolean {
  const t = line.trim();
  return t.length >= fence.length && t === fence[0]!.repeat(t.length);
}

/** Suggestion records for each ```suggestion:-A+B block, against the file at the head SHA. */
export function parseSuggestions(state: FakeState, project: FakeProject, position: Position, body: string): Suggestion[] {
  const anchor = position.new_line;
  if (anchor === null) return [];
  const fileLines = splitLines(state.file(project, position.head_sha, position.new_path) ?? '');
  const out: Suggestion[] = [];
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = SUGGESTION_OPEN.exec(lines[i]!);
    if (!m) continue;
    const fence = m[1]!;
    const above = Math.min(100, Number(m[2] ?? 0));
    const below = Math.min(100, Number(m[3] ?? 0));
    const content: string[] = [];
    let j = i + 1;
    while (j < lines.length && !closesFence(lines[j]!, fence)) {
      content.push(lines[j]!);
      j++;
    }
    const from = anchor - above;
    const to = anchor + below;
    const fromContent = fileLines.slice(from - 1, to).map((l) => l + '\n').join('');
    const toContent = content.map((l) => l + '\n').join('');
    out.push({
      id: state.nextSuggestionId(),
      from_line: from,
      to_line: to,
      appliable: from >= 1 && to <= fileLines.length && fromContent !== toContent,
      applied: false,
      from_content: fromContent,
      to_content: toContent,
    });
    i = j;
  }
  return out;
}
