// Variable expansion the way BuildKit's shell lexer does it for Dockerfile words
// (frontend/dockerfile/shell/lex.go): `$X`, `${X}`, `${X:-w}`, `${X-w}`, `${X:+w}`, `${X+w}`,
// `${X:?m}`, `${X#p}`/`${X%p}` ..., single quotes are literal, the escape character protects
// the next character. Names that were looked up are reported as matched or unmatched, which is
// what BuildKit's checks (UndefinedVar, UndefinedArgInFrom, RedundantTargetPlatform) work on.

export interface VarRef {
  name: string;
  /** `:-`, `-`, `:+`, `+`, `:?`, `?`, `#`, `##`, `%`, `%%`, `/`, `//`, or null for `$X` / `${X}`. */
  modifier: string | null;
  /** The reference as written (`$X`, `${X:-d}`). */
  raw: string;
}

export interface WordResult {
  result: string;
  matched: Set<string>;
  unmatched: Set<string>;
  refs: VarRef[];
}

export type EnvLookup = (name: string) => string | undefined;

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const MODIFIERS = [':-', ':+', ':?', '##', '%%', '//', '-', '+', '?', '#', '%', '/'];

class Lexer {
  pos = 0;
  readonly matched = new Set<string>();
  readonly unmatched = new Set<string>();
  readonly refs: VarRef[] = [];
  constructor(
    private readonly src: string,
    private readonly env: EnvLookup,
    private readonly escape: string,
  ) {}

  private get(name: string): string | undefined {
    const v = this.env(name);
    if (v === undefined) this.unmatched.add(name);
    else this.matched.add(name);
    return v;
  }

  /** Reads until `stop` (not consumed) or the end; returns the expanded text. */
  word(stop?: string): string {
    let out = '';
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos]!;
      if (stop !== undefined && ch === stop) return out;
      if (ch === this.escape) {
        this.pos++;
        if (this.pos < this.src.length) out += this.src[this.pos++];
        continue;
      }
      if (ch === "'") {
        const end = this.src.indexOf("'", this.pos + 1);
        const close = end < 0 ? this.src.length : end;
        out += this.src.slice(this.pos + 1, close);
        this.pos = close + 1;
        continue;
      }
      if (ch === '"') {
        this.pos++;
        out += this.doubleQuoted();
        continue;
      }
      out += this.referenceOrChar(ch);
    }
    return out;
  }

  private doubleQuoted(): string {
    let out = '';
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos]!;
      if (ch === '"') {
        this.pos++;
        return out;
      }
      if (ch === this.escape && this.pos + 1 < this.src.length) {
        const next = this.src[this.pos + 1]!;
        // Inside double quotes the escape only protects `"`, `$`, the escape itself and newlines.
        if (next === '"' || next === '$' || next === this.escape || next === '\n') {
          out += next;
          this.pos += 2;
          continue;
        }
      }
      out += this.referenceOrChar(ch);
    }
    return out;
  }

  /** The expansion of the `$` reference at `ch`, or `ch` itself when it is plain text. */
  private referenceOrChar(ch: string): string {
    if (ch === '$') return this.dollar();
    this.pos++;
    return ch;
  }

  private dollar(): string {
    const start = this.pos;
    this.pos++; // '$'
    const ch = this.src[this.pos];
    if (ch === '{') {
      this.pos++;
      const nameStart = this.pos;
      while (this.pos < this.src.length && NAME_CHAR.test(this.src[this.pos]!)) this.pos++;
      const name = this.src.slice(nameStart, this.pos);
      if (name === '') {
        // `${}` or `${#X}`: not something BuildKit expands into a variable we can judge.
        const close = this.src.indexOf('}', this.pos);
        this.pos = close < 0 ? this.src.length : close + 1;
        return '';
      }
      let modifier: string | null = null;
      for (const m of MODIFIERS) {
        if (this.src.startsWith(m, this.pos)) {
          modifier = m;
          this.pos += m.length;
          break;
        }
      }
      const value = this.get(name);
      let out = value ?? '';
      if (modifier !== null) {
        const w = this.word('}');
        out = applyModifier(modifier, value, w);
      } else if (this.src[this.pos] !== '}') {
        // Malformed (`${X y}`): skip to the closing brace like a failed parse would.
        const close = this.src.indexOf('}', this.pos);
        this.pos = close < 0 ? this.src.length : close;
      }
      if (this.src[this.pos] === '}') this.pos++;
      this.refs.push({ name, modifier, raw: this.src.slice(start, this.pos) });
      return out;
    }
    if (ch !== undefined && NAME_START.test(ch)) {
      const nameStart = this.pos;
      while (this.pos < this.src.length && NAME_CHAR.test(this.src[this.pos]!)) this.pos++;
      const name = this.src.slice(nameStart, this.pos);
      this.refs.push({ name, modifier: null, raw: this.src.slice(start, this.pos) });
      return this.get(name) ?? '';
    }
    // `$1`, `$@`, a lone `$`: BuildKit leaves it alone for our purposes.
    return '$';
  }
}

function applyModifier(mod: string, value: string | undefined, word: string): string {
  switch (mod) {
    case ':-':
      return value === undefined || value === '' ? word : value;
    case '-':
      return value === undefined ? word : value;
    case ':+':
      return value !== undefined && value !== '' ? word : '';
    case '+':
      return value !== undefined ? word : '';
    default:
      // `:?`/`?` would fail the build when unset; pattern operators keep the value approximately.
      return value ?? '';
  }
}

/** Expands one Dockerfile word; never throws. */
export function processWord(word: string, env: EnvLookup, escape = '\\'): WordResult {
  const lx = new Lexer(word, env, escape);
  const result = lx.word();
  return { result, matched: lx.matched, unmatched: lx.unmatched, refs: lx.refs };
}

/** Every variable reference in a text, in order (expansion against an empty environment). */
export function variableRefs(text: string, escape = '\\'): VarRef[] {
  return processWord(text, () => undefined, escape).refs;
}

/** Whitespace-split words, honouring quotes and the escape character (quotes kept). */
export function splitWords(text: string, escape = '\\'): string[] {
  const words: string[] = [];
  let cur = '';
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === escape && i + 1 < text.length && quote !== "'") {
      cur += ch + text[++i];
      continue;
    }
    if (quote) {
      if (ch === quote) quote = null;
      cur += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      cur += ch;
      continue;
    }
    if (/\s/.test(ch)) {
      if (cur) words.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur) words.push(cur);
  return words;
}
