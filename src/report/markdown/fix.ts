// Default rendering of a fix in a comment: `diff` blocks. The service may pass its own renderer
// (inline suggestions where the lines are in the MR diff).
import { renderFix } from '../../analysis/fixes/render.js';
import type { Fix } from '../../analysis/types.js';
import { redact } from '../../text/redact.js';
import { fence, prose } from '../../text/markdown.js';

export type FileText = (path: string) => string | undefined;

/** Without the file text, the edits alone: each as its target lines and the lines it writes. */
function editsOnly(fix: Fix): string {
  const parts = fix.edits.map((e) => {
    const range = e.endLine < e.startLine ? `insert before line ${e.startLine}` : `lines ${e.startLine}-${e.endLine}`;
    return `--- ${e.path} (${range})\n${e.newLines.map((l) => `+${l}`).join('\n')}`;
  });
  return fence(redact(parts.join('\n')), 'diff');
}

export function renderFixDiff(fix: Fix, fileText?: FileText): string {
  const description = prose(redact(fix.description));
  if (!fileText || fix.edits.some((e) => fileText(e.path) === undefined)) return `${description}\n\n${editsOnly(fix)}`;
  const { outside } = renderFix(fix, fileText, new Map());
  // `outside` is fenced `diff` blocks, redacted line by line by renderFix.
  return `${description}\n\n${outside || editsOnly(fix)}`;
}
