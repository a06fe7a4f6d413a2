// Turns a raw GitLab job trace into the lines GitLab shows: split on `\n` only (GitLab numbers
// lines that way; a bare `\r` is a carriage-return overwrite inside one line), section markers
// interpreted and removed, ANSI escapes stripped. Memory stays bounded whatever the input size.
import type { LogLine } from './types.js';

export interface NormaliseOptions {
  /** Characters kept per raw line; the rest of an overlong line is dropped. */
  maxLineChars?: number;
  /** Bytes read before stopping; the stream is not consumed further. */
  maxBytes?: number;
}

export const DEFAULT_MAX_LINE_CHARS = 64 * 1024;
export const DEFAULT_MAX_BYTES = 200 * 1024 * 1024;

/** Counters shared with the caller: they are final once the generator returns. */
export interface NormaliseStats {
  totalLines: number;
  totalBytes: number;
  truncated: boolean;
}

// `section_start:1627233650:step_script[collapsed=true]` optionally followed by `\r` and `ESC[0K`.
const SECTION_MARKER = /section_(start|end):\d+:([A-Za-z0-9_.\-]+)(?:\[[^\]\r\n]*\])?\r?(?:\x1b\[0K)?/g;
// CSI (`ESC [ params intermediates final`), OSC (`ESC ] ... BEL|ESC \`), and two-byte escapes.
const ANSI = /\x1b\[[0-9;:?<=>]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]/g;

export function stripAnsi(text: string): string {
  return text.includes('\x1b') ? text.replace(ANSI, '') : text;
}

/** Tracks the open sections; the innermost one labels a line. */
class SectionStack {
  private readonly stack: string[] = [];

  apply(kind: string, name: string): void {
    if (kind === 'start') {
      // A runaway log of unbalanced starts must not grow memory without bound.
      if (this.stack.length >= 64) this.stack.shift();
      this.stack.push(name);
      return;
    }
    const at = this.stack.lastIndexOf(name);
    if (at >= 0) this.stack.length = at;
  }

  get current(): string | undefined {
    return this.stack[this.stack.length - 1];
  }
}

/** One raw line (without its `\n`) to the text GitLab displays, updating the section stack. */
function normaliseLine(raw: string, sections: SectionStack): { text: string; section?: string } {
  let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  let sectionForLine: string | undefined;
  if (line.includes('section_')) {
    line = line.replace(SECTION_MARKER, (_m, kind: string, name: string) => {
      sections.apply(kind, name);
      // A line that opens a section (its header, "Executing step_script...") belongs to it.
      if (kind === 'start') sectionForLine = name;
      return '';
    });
  }
  // A carriage return moves the cursor back: what shows is the last segment that printed
  // something (a trailing `\r` overwrites nothing).
  let end = line.length;
  while (end > 0 && line.charCodeAt(end - 1) === 13) end--;
  const cr = line.lastIndexOf('\r', end - 1);
  if (end < line.length || cr >= 0) line = line.slice(cr + 1, end);
  const section = sectionForLine ?? sections.current;
  return section === undefined ? { text: stripAnsi(line) } : { text: stripAnsi(line), section };
}

/**
 * Reads chunks (bytes or strings) and yields normalised lines with GitLab's 1-based numbers.
 * `stats` is filled in as it goes.
 */
export async function* normaliseLog(
  chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  stats: NormaliseStats,
  opts: NormaliseOptions = {},
): AsyncGenerator<LogLine> {
  const maxLine = opts.maxLineChars ?? DEFAULT_MAX_LINE_CHARS;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const decoder = new TextDecoder('utf-8');
  const sections = new SectionStack();
  let pending = '';
  let overflow = false;

  const emit = (raw: string): LogLine => {
    stats.totalLines++;
    const { text, section } = normaliseLine(raw, sections);
    const out: LogLine = { number: stats.totalLines, text };
    if (section !== undefined) out.section = section;
    return out;
  };

  const append = (piece: string): void => {
    if (overflow) return;
    const room = maxLine - pending.length;
    if (piece.length > room) {
      pending += piece.slice(0, room);
      overflow = true;
    } else pending += piece;
  };

  for await (const chunk of chunks) {
    let text: string;
    if (typeof chunk === 'string') {
      const bytes = Buffer.byteLength(chunk);
      const room = maxBytes - stats.totalBytes;
      // Slicing by characters keeps at most `room` bytes' worth of characters: close enough.
      text = bytes > room ? chunk.slice(0, room) : chunk;
      if (bytes > room) stats.truncated = true;
      stats.totalBytes += Math.min(bytes, room);
    } else {
      const room = maxBytes - stats.totalBytes;
      const part = chunk.byteLength > room ? chunk.subarray(0, room) : chunk;
      if (part !== chunk) stats.truncated = true;
      stats.totalBytes += part.byteLength;
      text = decoder.decode(part, { stream: true });
    }
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      append(text.slice(start, nl));
      yield emit(pending);
      pending = '';
      overflow = false;
      start = nl + 1;
    }
    if (start < text.length) append(text.slice(start));
    if (stats.truncated) break;
  }
  if (!stats.truncated) append(decoder.decode());
  if (pending.length > 0) yield emit(pending);
}
