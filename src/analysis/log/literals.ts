// Which literal text every match of a regex must contain: "one of these lower-case fragments
// occurs in any string the regex matches". A line containing none of them cannot match, so the
// scanner skips the regex. The analysis is deliberately conservative: anything it does not fully
// understand yields `undefined` (no requirement, the regex is always tested), never a guess.

/** Lower-case ASCII fragments, one of which is in every match; undefined when none is provable. */
export type Requirement = readonly string[] | undefined;

class Unsupported extends Error {}

type Atom =
  | { kind: 'char'; ch: string }
  | { kind: 'group'; req: Requirement }
  // Anything matching text we do not track (classes, `.`, `\d`, non-ASCII, backreferences)
  // or nothing at all (`^`, `$`, `\b`, lookarounds): it ends a run of literal characters.
  | { kind: 'opaque' };

const QUANTIFIER = /^\{(\d+)(?:,(\d*))?\}/;
const CLASS_ESCAPES = 'dDwWsSbBnrtvf0123456789';
const PRINTABLE_ASCII = /^[\x20-\x7e]$/;
const ALNUM = /^[A-Za-z0-9]$/;

/**
 * Lower-casing is only sound for ASCII: without the `u` flag, `i` matches an ASCII letter only
 * with its ASCII other case, so a lower-cased line contains the lower-cased fragment.
 */
function lowerAscii(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

class Parser {
  private at = 0;
  constructor(private readonly src: string) {}

  parse(): Requirement {
    const req = this.alternation();
    if (this.at !== this.src.length) throw new Unsupported('unbalanced )');
    return req;
  }

  private alternation(): Requirement {
    const branches: Requirement[] = [this.sequence()];
    while (this.src[this.at] === '|') {
      this.at++;
      branches.push(this.sequence());
    }
    if (branches.some((b) => b === undefined)) return undefined;
    return minimise(branches.flatMap((b) => b as readonly string[]));
  }

  private sequence(): Requirement {
    const candidates: (readonly string[])[] = [];
    let run = '';
    const closeRun = (): void => {
      if (run.length > 0) candidates.push([run]);
      run = '';
    };
    while (this.at < this.src.length && this.src[this.at] !== '|' && this.src[this.at] !== ')') {
      const atom = this.atom();
      const { min, max } = this.quantifier();
      if (atom.kind === 'char' && min >= 1) {
        run += atom.ch;
        // `ab+c`: the first `b` follows `a`, but `c` need not follow that `b`.
        if (max !== 1) closeRun();
        continue;
      }
      closeRun();
      if (atom.kind === 'group' && min >= 1 && atom.req !== undefined) candidates.push(atom.req);
    }
    closeRun();
    return best(candidates);
  }

  private atom(): Atom {
    const c = this.src[this.at++]!;
    switch (c) {
      case '\\':
        return this.escape();
      case '.':
      case '^':
      case '$':
        return { kind: 'opaque' };
      case '[':
        this.skipClass();
        return { kind: 'opaque' };
      case '(':
        return this.group();
      case '*':
      case '+':
      case '?':
        throw new Unsupported('quantifier without atom');
      case '{':
        if (QUANTIFIER.test(this.src.slice(this.at - 1))) throw new Unsupported('quantifier without atom');
        return { kind: 'char', ch: '{' };
      default:
        return PRINTABLE_ASCII.test(c) ? { kind: 'char', ch: lowerAscii(c) } : { kind: 'opaque' };
    }
  }

  private escape(): Atom {
    const c = this.src[this.at++];
    if (c === undefined) throw new Unsupported('trailing backslash');
    if (CLASS_ESCAPES.includes(c)) {
      // A backreference may be followed by more digits (`\12`): consume them with it.
      if (c >= '1' && c <= '9') while (/[0-9]/.test(this.src[this.at] ?? '')) this.at++;
      return { kind: 'opaque' };
    }
    // `\x41`, `\u0041`, `\cJ`, `\k<name>`, `\p{..}`: their meaning depends on what follows.
    if (ALNUM.test(c)) throw new Unsupported(`escape \\${c}`);
    return PRINTABLE_ASCII.test(c) ? { kind: 'char', ch: c } : { kind: 'opaque' };
  }

  private group(): Atom {
    let zeroWidth = false;
    if (this.src[this.at] === '?') {
      const head = this.src.slice(this.at, this.at + 3);
      if (head.startsWith('?:')) this.at += 2;
      else if (head.startsWith('?=') || head.startsWith('?!')) {
        this.at += 2;
        zeroWidth = true;
      } else if (head === '?<=' || head === '?<!') {
        this.at += 3;
        zeroWidth = true;
      } else if (head.startsWith('?<')) {
        const close = this.src.indexOf('>', this.at);
        if (close < 0) throw new Unsupported('group name');
        this.at = close + 1;
      } else throw new Unsupported(`group (${head}`);
    }
    const req = this.alternation();
    if (this.src[this.at] !== ')') throw new Unsupported('unclosed group');
    this.at++;
    return zeroWidth ? { kind: 'opaque' } : { kind: 'group', req };
  }

  private skipClass(): void {
    // Without the `u`/`v` flags a class ends at the first unescaped `]` (`[]` is the empty class).
    while (this.at < this.src.length) {
      const c = this.src[this.at++];
      if (c === '\\') this.at++;
      else if (c === ']') return;
    }
    throw new Unsupported('unclosed class');
  }

  private quantifier(): { min: number; max: number } {
    let bounds = { min: 1, max: 1 };
    const c = this.src[this.at];
    if (c === '*') bounds = { min: 0, max: Infinity };
    else if (c === '+') bounds = { min: 1, max: Infinity };
    else if (c === '?') bounds = { min: 0, max: 1 };
    else if (c === '{') {
      const m = QUANTIFIER.exec(this.src.slice(this.at));
      if (!m) return bounds;
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[2] === '' ? Infinity : Number(m[2]);
      this.at += m[0].length - 1;
      bounds = { min, max };
    } else return bounds;
    this.at++;
    if (this.src[this.at] === '?') this.at++;
    return bounds;
  }
}

/** Drops fragments that contain another one: finding the shorter one is enough. */
function minimise(fragments: readonly string[]): readonly string[] {
  const unique = [...new Set(fragments)].sort((a, b) => a.length - b.length);
  return unique.filter((f, i) => !unique.slice(0, i).some((shorter) => f.includes(shorter)));
}

/** The most selective requirement: longest shortest fragment, then fewest fragments. */
function best(candidates: readonly (readonly string[])[]): Requirement {
  let chosen: readonly string[] | undefined;
  let score = -1;
  for (const c of candidates) {
    const s = Math.min(...c.map((f) => f.length)) * 1000 - c.length;
    if (s > score) {
      chosen = c;
      score = s;
    }
  }
  return chosen;
}

/**
 * The literal requirement of a regex source. Only flags `i` (or none) are analysed: with `u`/`v`
 * case folding and syntax differ, so such a regex gets no requirement.
 */
export function requiredLiterals(source: string, flags = ''): Requirement {
  if (/[^igmsdy]/.test(flags)) return undefined;
  try {
    return new Parser(source).parse();
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
}
