// Adds `--build-arg NAME=$NAME` to a job's `docker build` command where it is written in the CI
// file: on the same line for a one-line command, or as new lines inside a multi-line block scalar.
import type { TextEdit } from '../types.js';
import type { DockerBuild } from '../shell/types.js';
import { stripHashComment } from '../../text/linear.js';

/**
 * Where the docker build command ends on a line: before the whitespace ahead of the first shell
 * operator (`&&`, `||`, `|`, `;`). A scan, since `/\s*(?:&&|...)/` retries from every space.
 */
function commandEnd(text: string): number | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === ';' || c === '|' || (c === '&' && text[i + 1] === '&')) {
      let at = i;
      while (at > 0 && /\s/.test(text[at - 1]!)) at--;
      return at;
    }
  }
  return undefined;
}

export function addBuildArgsEdit(ciText: string, build: DockerBuild, names: string[]): TextEdit | undefined {
  const wanted = names.filter((n) => !build.buildArgs.some((a) => a.name === n));
  if (wanted.length === 0) return undefined;
  const pos = build.invocation.source.pos;
  const lines = ciText.split(/\r?\n/);
  const first = pos.line;
  let last = Math.min(Math.max(pos.endLine ?? pos.line, first), lines.length);
  // A block scalar's range can end on trailing blank lines: the command ends at its last text.
  while (last > first && (lines[last - 1] ?? '').trim() === '') last--;
  const flags = wanted.map((n) => `--build-arg ${n}=$${n}`);

  // Find the line holding the build verb, then where the build command ends.
  let buildLine = -1;
  for (let l = first; l <= last; l++) {
    if (/\bbuild\b/.test(lines[l - 1] ?? '')) {
      buildLine = l;
      break;
    }
  }
  if (buildLine < 0) return undefined;
  for (let l = buildLine; l <= last; l++) {
    const text = lines[l - 1] ?? '';
    const from = l === buildLine ? text.search(/\bbuild\b/) : 0;
    const end = commandEnd(text.slice(from));
    if (end !== undefined) {
      // The command ends inside this line (`docker build . && docker push`): insert before the operator.
      const at = from + end;
      return lineEdit(pos.path, l, text.slice(0, at) + ' ' + flags.join(' ') + text.slice(at));
    }
  }
  if (last === first || isSingleScalarLine(lines, first, last)) {
    const text = lines[last - 1] ?? '';
    return lineEdit(pos.path, last, insertAtScalarEnd(text, flags.join(' ')));
  }
  // Multi-line block scalar: continue the command on new lines with the block's indentation.
  const lastText = lines[last - 1] ?? '';
  const indent = /^\s*/.exec(lastText)![0];
  const continued = /\\\s*$/.test(lastText);
  const literal = isLiteralBlock(lines, first);
  if (literal && !continued) {
    // `|` keeps newlines: a new line would be a new command, so extend the last line instead.
    return lineEdit(pos.path, last, insertAtScalarEnd(lastText, flags.join(' ')));
  }
  const sep = literal ? ' \\' : '';
  const head = literal && !continued ? lastText + sep : lastText;
  const added = flags.map((f, i) => `${indent}${f}${literal && i < flags.length - 1 ? sep : ''}`);
  if (literal && continued) added[added.length - 1] += ' \\';
  return { path: pos.path, startLine: last, endLine: last, newLines: [head, ...added] };
}

function lineEdit(path: string, line: number, text: string): TextEdit {
  return { path, startLine: line, endLine: line, newLines: [text] };
}

/** `pos.line..endLine` may cover a key and a one-line value; treat as one line when only one has text. */
function isSingleScalarLine(lines: string[], first: number, last: number): boolean {
  return lines.slice(first - 1, last).filter((l) => l.trim() !== '').length <= 1;
}

function isLiteralBlock(lines: string[], first: number): boolean {
  // The block indicator sits on the line before the content (`- |`, `script: |-`) or on the first line.
  for (const l of [lines[first - 2] ?? '', lines[first - 1] ?? '']) {
    if (/[|>][-+0-9]*\s*$/.test(l)) return /\|[-+0-9]*\s*$/.test(l);
  }
  return false;
}

/** Appends before a closing quote and a trailing comment of a YAML scalar line. */
function insertAtScalarEnd(text: string, addition: string): string {
  // What `/^(.*?)(["']?)(\s+#.*)?\s*$/` would capture, by scanning (that regex is cubic on spaces).
  const cut = stripHashComment(text).length;
  const comment = text.slice(cut);
  let end = comment !== '' ? cut : text.trimEnd().length;
  let quote = text[end - 1] === '"' || text[end - 1] === "'" ? text[end - 1]! : '';
  if (quote) end--;
  let body = text.slice(0, end);
  const quoted = /^\s*(?:-\s+|[\w.-]+:\s+)?["']/.test(text);
  if (quote && !quoted) {
    body += quote;
    quote = '';
  }
  return `${body} ${addition}${quote}${comment}`;
}
