// Turns a raw GitLab job trace into the lines GitLab shows: split on `\n` only (GitLab numbers
// lines that way; a bare `\r` is a carriage-return overwrite inside one line), section markers
// interpreted and removed, ANSI escapes stripped. Memory stays bounded whatever the input size.
import type { LogLine } from './types.js';

export interface NormaliseOptions {
  /** Characters kept per raw line; the rest of an overlong line is dropped. */
  maxLineChars?: number;
  /** Bytes read before stopping; the stream is not consumed further. */
  maxBytes?: number;
  /**
   * Bytes of the log before the first chunk: the caller started reading near the end (failures
   * are at the end). The first, partial line is dropped.
   */
  skippedBytes?: number;
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

const isDigit = (s: string, i: number): boolean => s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;

/** 32 for a line starting `YYYY-MM-DDTHH:MM:SS.ffffffZ SSO ` (or `+`), else 0. Fixed positions, no regex. */
export function timestampPrefixLength(s: string): number {
  if (s.length < 32 || s[4] !== '-' || s[10] !== 'T' || s[19] !== '.' || s[26] !== 'Z' || s[27] !== ' ') return 0;
  if (!isDigit(s, 0) || !isDigit(s, 25) || (s[30] !== 'O' && s[30] !== 'E') || (s[31] !== ' ' && s[31] !== '+')) return 0;
  return /^[0-9a-f]{2}$/.test(s.slice(28, 30)) ? 32 : 0;
}

/** Tracks the open sections; the innermost one labels a line. */
class SectionStack {
  private readonly stack: string[] = [];
  /** The last section opened on the line being normalised: that line (its header) belongs to it. */
  openedOnLine: string | undefined;

  apply(kind: string, name: string): void {
    if (kind === 'start') {
      this.openedOnLine = name;
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

  /** The section labelling the line just normalised; call once per line. */
  takeLineSection(): string | undefined {
    const opened = this.openedOnLine;
    this.openedOnLine = undefined;
    return opened ?? this.current;
  }
}

/** One raw line (without its `\n`) to the text GitLab displays, updating the section stack. */
function normaliseLine(raw: string, sections: SectionStack): string {
  let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (line.includes('section_')) {
    line = line.replace(SECTION_MARKER, (_m, kind: string, name: string) => {
      sections.apply(kind, name);
      return '';
    });
  }
  // A carriage return moves the cursor back: what shows is the last segment that printed
  // something (a trailing `\r` overwrites nothing).
  const cr = line.lastIndexOf('\r');
  if (cr >= 0) {
    let end = line.length;
    while (end > 0 && line.charCodeAt(end - 1) === 13) end--;
    line = line.slice(line.lastIndexOf('\r', end - 1) + 1, end);
  }
  return stripAnsi(line);
}

/**
 * The synchronous core: feed chunks, get the complete lines each one finished. Working a chunk
 * at a time keeps the per-line cost to plain function calls (an async step per line costs more
 * than the matching).
 */
export class LogNormaliser {
  readonly stats: NormaliseStats = { totalLines: 0, totalBytes: 0, truncated: false };
  private readonly maxLine: number;
  private readonly maxBytes: number;
  private readonly decoder = new TextDecoder('utf-8');
  private readonly sections = new SectionStack();
  private pending = '';
  private overflow = false;
  /** A timestamped line that the next one may continue. */
  private held: string | undefined;
  /** Dropping the partial line a mid-log start begins with. */
  private skipping: boolean;

  constructor(opts: NormaliseOptions = {}) {
    this.maxLine = opts.maxLineChars ?? DEFAULT_MAX_LINE_CHARS;
    this.maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
    this.skipping = (opts.skippedBytes ?? 0) > 0;
  }

  /** true once the byte limit is reached: further chunks are ignored. */
  get done(): boolean {
    return this.stats.truncated;
  }

  push(chunk: Uint8Array | string): LogLine[] {
    if (this.stats.truncated) return [];
    const text = this.decode(chunk);
    const out: LogLine[] = [];
    let start = 0;
    if (this.skipping) {
      const nl = text.indexOf('\n');
      if (nl < 0) return out;
      this.skipping = false;
      start = nl + 1;
    }
    for (let nl = text.indexOf('\n', start); nl >= 0; nl = text.indexOf('\n', start)) {
      this.append(text.slice(start, nl));
      this.completeLine(out);
      start = nl + 1;
    }
    if (start < text.length) this.append(text.slice(start));
    return out;
  }

  /** The last line, when the log does not end with a newline. */
  end(): LogLine[] {
    if (!this.stats.truncated && !this.skipping) this.append(this.decoder.decode());
    const out: LogLine[] = [];
    if (this.pending.length > 0) this.completeLine(out);
    this.flushHeld(out);
    return out;
  }

  /**
   * A raw line is complete. Timestamped logs (FF_TIMESTAMPS) prefix each with
   * `2024-05-01T12:00:00.123456Z 00O ` (stream, O/E, and `+` where the line continues the
   * previous one, as GitLab joins them): such a line is held until the next shows whether it
   * goes on.
   */
  private completeLine(out: LogLine[]): void {
    const raw = this.pending;
    this.pending = '';
    this.overflow = false;
    const ts = timestampPrefixLength(raw);
    if (ts === 0) {
      this.flushHeld(out);
      out.push(this.emit(raw));
      return;
    }
    const content = raw.slice(ts);
    if (raw.charCodeAt(ts - 1) === 43 /* + */ && this.held !== undefined) {
      if (this.held.length < this.maxLine) this.held = (this.held + content).slice(0, this.maxLine);
      return;
    }
    this.flushHeld(out);
    this.held = content;
  }

  private flushHeld(out: LogLine[]): void {
    if (this.held === undefined) return;
    out.push(this.emit(this.held));
    this.held = undefined;
  }

  private decode(chunk: Uint8Array | string): string {
    const room = this.maxBytes - this.stats.totalBytes;
    if (typeof chunk === 'string') {
      const bytes = Buffer.byteLength(chunk);
      if (bytes > room) this.stats.truncated = true;
      this.stats.totalBytes += Math.min(bytes, room);
      // Slicing by characters keeps at most `room` bytes' worth of characters: close enough.
      return bytes > room ? chunk.slice(0, room) : chunk;
    }
    const part = chunk.byteLength > room ? chunk.subarray(0, room) : chunk;
    if (part !== chunk) this.stats.truncated = true;
    this.stats.totalBytes += part.byteLength;
    return this.decoder.decode(part, { stream: true });
  }

  private append(piece: string): void {
    if (this.overflow) return;
    const room = this.maxLine - this.pending.length;
    if (piece.length > room) {
      this.pending += piece.slice(0, room);
      this.overflow = true;
    } else this.pending += piece;
  }

  private emit(raw: string): LogLine {
    this.stats.totalLines++;
    const text = normaliseLine(raw, this.sections);
    const section = this.sections.takeLineSection();
    return section === undefined ? { number: this.stats.totalLines, text } : { number: this.stats.totalLines, text, section };
  }
}

/** Reads chunks (bytes or strings) and yields normalised lines with GitLab's 1-based numbers. */
export async function* normaliseLog(
  chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  stats: NormaliseStats,
  opts: NormaliseOptions = {},
): AsyncGenerator<LogLine> {
  const n = new LogNormaliser(opts);
  const sync = (): void => {
    stats.totalLines = n.stats.totalLines;
    stats.totalBytes = n.stats.totalBytes;
    stats.truncated = n.stats.truncated;
  };
  for await (const chunk of chunks) {
    const lines = n.push(chunk);
    sync();
    yield* lines;
    if (n.done) break;
  }
  const last = n.end();
  sync();
  yield* last;
}
