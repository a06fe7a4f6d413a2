// Hand-written scans for the string operations a backtracking regex would make quadratic on
// hostile text (`/\/+$/` retries from every slash of a long run; `/\s*\n\s*/g` from every space).
// Each function reads its input a bounded number of times.

/** `s` without the trailing run of `ch` (one character). */
export function trimTrailing(s: string, ch: string): string {
  let end = s.length;
  while (end > 0 && s[end - 1] === ch) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** `s` without the leading run of `ch` (one character). */
export function trimLeading(s: string, ch: string): string {
  let start = 0;
  while (start < s.length && s[start] === ch) start++;
  return start === 0 ? s : s.slice(start);
}

/** What `s.replace(/\s*\n\s*\/g, sep)` returns: each newline and the whitespace around it becomes `sep`. */
export function collapseNewlines(s: string, sep = ' '): string {
  const parts = s.split('\n');
  if (parts.length === 1) return s;
  const middle = parts.slice(1, -1).map((p) => p.trim()).filter((p) => p !== '');
  return [parts[0]!.trimEnd(), ...middle, parts[parts.length - 1]!.trimStart()].join(sep);
}

/** `s` with every regex metacharacter escaped: a literal inside a `new RegExp`. */
export function escapeRegExp(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** A reference to shell/CI variable `name` (`$NAME` or `${NAME`), `$1` capturing the brace. */
export function varReferencePattern(name: string, flags = 'g'): RegExp {
  // The name is escaped, so the source is `\$(\{?)<literal>\b` whatever it holds: linear.
  return new RegExp(`\\$(\\{?)${escapeRegExp(name)}\\b`, flags);
}

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\f' || c === '\v' || (c > '\x7f' && c.trim() === '');

/** `s.replace(/\s+#.*$/, '')` for one line: cut at the first `#` that follows whitespace. */
export function stripHashComment(s: string): string {
  for (let i = s.indexOf('#', 1); i > 0; i = s.indexOf('#', i + 1)) {
    if (!isSpace(s[i - 1]!)) continue;
    let start = i - 1;
    while (start > 0 && isSpace(s[start - 1]!)) start--;
    return s.slice(0, start);
  }
  return s;
}

/** `/:\s*(#.*)?$/.test(s)` for one line: some `:` is followed only by whitespace and maybe a comment. */
export function endsWithColon(s: string): boolean {
  for (let p = s.indexOf(':'); p >= 0; p = s.indexOf(':', p + 1)) {
    let k = p + 1;
    while (k < s.length && isSpace(s[k]!)) k++;
    if (k === s.length || s[k] === '#') return true;
  }
  return false;
}
