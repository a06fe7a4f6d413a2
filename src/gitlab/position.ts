// The `position` of a diff thread on one line of the MR's latest version.
import { newLineIndex } from '../analysis/fixes/diff.js';
import type { DiffRefs, MrDiff, TextPosition } from './types.js';

/** undefined when the line is not shown in the diff (GitLab would answer 400 line_code). */
export function positionFor(refs: DiffRefs, diffs: readonly MrDiff[], path: string, line: number): TextPosition | undefined {
  const d = diffs.find((x) => x.new_path === path && !x.deleted_file);
  if (!d) return undefined;
  const index = newLineIndex(d.diff);
  if (!index.has(line)) return undefined;
  const old = index.get(line);
  const pos: TextPosition = { position_type: 'text', ...refs, old_path: d.old_path, new_path: d.new_path, new_line: line };
  // Context lines need both numbers; added lines only new_line (doc/api/discussions.md).
  if (old !== null && old !== undefined) pos.old_line = old;
  return pos;
}
