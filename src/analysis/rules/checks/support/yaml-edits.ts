// Line edits on CI YAML that keep the file's own layout: insert a list item into an existing
// key, or add a key to a job. Each returns undefined when the layout is not one it can edit
// safely (the finding is then reported without a fix).
import type { TextEdit } from '../../../types.js';
import type { CiConfig, EffectiveJob, SourcePos } from '../../../ci-config/types.js';
import { fileLines } from '../../finding.js';
import { endsWithColon, stripHashComment } from '../../../../text/linear.js';

function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

function isBlankOrComment(line: string): boolean {
  return /^\s*(#.*)?$/.test(line);
}

/** First line after `line` that holds content (1-based), or undefined. */
function nextContentLine(lines: string[], line: number): number | undefined {
  for (let n = line + 1; n <= lines.length; n++) if (!isBlankOrComment(lines[n - 1]!)) return n;
  return undefined;
}

/**
 * Insert `item` as the first entry of the sequence under the key at `pos` (`key:` followed by
 * `- ...` lines). A key whose value sits on the same line (`key: [a, b]`, `key: !reference [...]`,
 * `key: cmd`) is rewritten as a block sequence whose second item is the old value: GitLab
 * flattens nested lists in scripts.
 */
export function insertFirstItem(ci: CiConfig | undefined, pos: SourcePos, key: string, item: string): TextEdit | undefined {
  const lines = fileLines(ci, pos.path);
  const keyLine = lines[pos.line - 1];
  if (keyLine === undefined) return undefined;
  const m = keyLineParts(keyLine, key);
  if (!m) return undefined;
  const inline = stripHashComment(m[3] ?? '').trim();
  if (inline === '' || /^&[\w-]+$/.test(inline)) {
    const first = nextContentLine(lines, pos.line);
    if (first === undefined) return undefined;
    const itemLine = lines[first - 1]!;
    const im = /^(\s*)- /.exec(itemLine);
    if (!im || im[1]!.length < m[1]!.length) return undefined;
    return { path: pos.path, startLine: first, endLine: first - 1, newLines: [`${im[1]}- ${item}`] };
  }
  if (/^[|>]/.test(inline)) return undefined;
  const keyIndent = m[1]! + (m[2] ? '  ' : '');
  const anchor = /^(&[\w-]+)\s+(\S.*)$/.exec(inline);
  const value = anchor ? anchor[2]! : inline;
  const head = `${m[1]}${m[2] ?? ''}${key}:${anchor ? ` ${anchor[1]}` : ''}`;
  return {
    path: pos.path,
    startLine: pos.line,
    endLine: pos.line,
    newLines: [head, `${keyIndent}  - ${item}`, `${keyIndent}  - ${value}`],
  };
}

/** Add `key:` with the given body lines (relative indentation) right after the job's key line. */
export function addKeyToJob(ci: CiConfig | undefined, job: EffectiveJob, key: string, body: string[]): TextEdit | undefined {
  const lines = fileLines(ci, job.pos.path);
  const jobLine = lines[job.pos.line - 1];
  if (jobLine === undefined || !endsWithColon(jobLine)) return undefined;
  const first = nextContentLine(lines, job.pos.line);
  const jobIndent = indentOf(jobLine);
  let indent = `${jobIndent}  `;
  if (first !== undefined) {
    const bodyIndent = indentOf(lines[first - 1]!);
    if (bodyIndent.length > jobIndent.length) indent = bodyIndent;
  }
  return {
    path: job.pos.path,
    startLine: job.pos.line + 1,
    endLine: job.pos.line,
    newLines: [`${indent}${key}:`, ...body.map((b) => `${indent}${b}`)],
  };
}

/**
 * Put a command first in the job's effective before_script: into the job's own (or inherited)
 * before_script, else default's, else the legacy top-level one, else a new key on the job.
 */
export function insertBeforeScriptLine(ci: CiConfig | undefined, job: EffectiveJob, command: string): TextEdit | undefined {
  const target = job.beforeScriptPos ?? ci?.defaultBeforeScriptPos ?? ci?.topLevelBeforeScriptPos;
  if (target) return insertFirstItem(ci, target, 'before_script', command);
  return addKeyToJob(ci, job, 'before_script', [`  - ${command}`]);
}

/** Replace the first occurrence of `from` with `to` on one line; undefined when absent. */
export function replaceOnLine(ci: CiConfig | undefined, path: string, line: number, from: string | RegExp, to: string): TextEdit | undefined {
  const text = fileLines(ci, path)[line - 1];
  if (text === undefined) return undefined;
  const next = text.replace(from, to);
  if (next === text) return undefined;
  return { path, startLine: line, endLine: line, newLines: [next] };
}

/**
 * `/^(\s*)(- )?KEY:\s*(.*)$/.exec(line)` as a scan: indentation, the sequence dash, and the value
 * after `KEY:` (the regex, built from the key, backtracks over the spaces around the value).
 */
function keyLineParts(line: string, key: string): [string, string, string | undefined, string] | undefined {
  let i = 0;
  while (i < line.length && /\s/.test(line[i]!)) i++;
  const indent = line.slice(0, i);
  const dash = line.startsWith('- ', i) ? '- ' : undefined;
  if (dash) i += 2;
  if (!line.startsWith(`${key}:`, i)) {
    // `\s*` may also have taken the space after a dash, leaving none for `(- )?`.
    return undefined;
  }
  const value = line.slice(i + key.length + 1).trimStart();
  return [line, indent, dash, value];
}
