// Removes secrets from text quoted out of logs and files before it is posted anywhere.
// Every pattern here is linear-time: job logs are written by whoever pushes code.

export const REDACTED = '[REDACTED]';

const GITLAB_TOKEN_PREFIXES = [
  'glpat', 'gldt', 'glrt', 'glrtr', 'glcbt', 'glptt', 'glft', 'glimt', 'glagent', 'gloas', 'glsoat',
  'glffct', 'glwt', 'gltst', 'glsa',
];
// The length (8 or more) is checked in code: a counted `{8,}` is beyond what recheck can decide.
export const GITLAB_TOKEN = new RegExp(`\\b(${GITLAB_TOKEN_PREFIXES.join('|')})-[A-Za-z0-9_.\\-]+`, 'g');
// Runner registration tokens: GR1348941 followed by the token.
const RUNNER_REGISTRATION = /\bGR1348941[A-Za-z0-9_\-]+/g;
// The scheme before the credentials is recognised in code (with it in the regex, recheck times out).
const AUTH_HEADER = /\b((?:Proxy-)?Authorization\s*:\s*)([^\s"',]+)/gi;
const AUTH_SCHEMES = new Set(['bearer', 'basic', 'token', 'digest', 'negotiate', 'aws4-hmac-sha256']);
const TOKEN_HEADER = /\b((?:PRIVATE|JOB|DEPLOY)-TOKEN\s*:\s*)([^\s"',]+)/gi;
const AWS_ACCESS_KEY = /\b(AKIA|ASIA|AIDA|AROA|AGPA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/g;
const JWT_START = /\beyJ/g;
// `key=value`, `key: value`, `"key": "value"`, `--key=value`; the key is checked in code. The key
// starts after a character that cannot be in it (not at any `\b`), so each run is tried once.
const KEY_VALUE = /(^|[^A-Za-z0-9_\-])([A-Za-z0-9_\-]+)(["']?[ \t]*[=:][ \t]*)(["']?)([^\s"',;&]+)/g;
const MAX_KEY_CHARS = 80;
const SECRET_WORDS = new Set(['password', 'passwd', 'pwd', 'pass', 'passphrase', 'secret', 'token', 'auth', 'apikey', 'credential', 'credentials']);
const KEY_QUALIFIERS = new Set(['api', 'access', 'private', 'secret', 'signing', 'encryption']);

/** `DOCKER_PASSWORD`, `accessToken`, `api-key`: a key name whose value is a secret. */
export function isSecretKeyName(key: string): boolean {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split(/[_\-.]+/).filter(Boolean);
  return words.some((w, i) => SECRET_WORDS.has(w) || (w === 'key' && i > 0 && KEY_QUALIFIERS.has(words[i - 1]!)));
}
// `docker login ... -p X` / `--password X` (space-separated, so KEY_VALUE cannot see it).
// An unclosed quote runs to the end of the line; `-pVALUE` with no gap never starts with `-` (checked in code).
const LOGIN_PASSWORD_FLAG = /(\s)(-p|--password)([ \t]*)("[^"]*"?|'[^']*'?|[^\s"']+)/g;
const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY( BLOCK)?-----/g;
const PEM_END = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY( BLOCK)?-----/;

/** Replaces each non-empty piece of `body` with the marker, keeping its newlines (line numbers stay put). */
function blank(body: string): string {
  return body.replace(/[^\n]+/g, REDACTED);
}

// A line that is nothing but base64 (optionally quoted or prefixed): key material near a lone END.
const KEY_MATERIAL_LINE = /^[\s"'`>|]*[A-Za-z0-9+/=]{16,}[\s"'`,]*(?:\\n[\s"'`,]*)?$/;

function redactPem(text: string): string {
  if (!text.includes('PRIVATE KEY')) return text;
  let out = '';
  let pos = 0;
  PEM_BEGIN.lastIndex = 0;
  for (let m = PEM_BEGIN.exec(text); m; m = PEM_BEGIN.exec(text)) {
    const bodyStart = m.index + m[0].length;
    out += text.slice(pos, bodyStart);
    const end = PEM_END.exec(text.slice(bodyStart));
    // No END in the quoted text: the key runs to its end.
    const bodyEnd = end ? bodyStart + end.index : text.length;
    out += blank(text.slice(bodyStart, bodyEnd));
    pos = bodyEnd;
    if (!end) break;
    PEM_BEGIN.lastIndex = bodyEnd;
  }
  out += text.slice(pos);
  // An excerpt may start inside a key: base64 lines just above a lone END are key material.
  const lines = out.split('\n');
  let open = false;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.includes('-----BEGIN')) open = true;
    if (!PEM_END.test(lines[i]!)) continue;
    if (!open) {
      const endAt = lines[i]!.search(/-----END/);
      const before = lines[i]!.slice(0, endAt);
      if (before.trim().length > 0) lines[i] = REDACTED + lines[i]!.slice(endAt);
      for (let j = i - 1; j >= 0 && KEY_MATERIAL_LINE.test(lines[j]!); j--) lines[j] = REDACTED;
    }
    open = false;
  }
  return lines.join('\n');
}

// Outside a login command `-p` means many things (`mkdir -p`), `--password` only one.
const PASSWORD_FLAG = /(\s)(--password)([ \t]*)("[^"]*"?|'[^']*'?|[^\s"']+)/g;

/** `-p X`, `-pX`, `--password=...` is KEY_VALUE's; `-p-x` is another flag, not a value. */
function redactFlagValue(m: string, sp: string, flag: string, gap: string, value: string): string {
  return gap === '' && value.startsWith('-') ? m : `${sp}${flag}${gap}${REDACTED}`;
}

function redactLoginFlags(line: string): string {
  const at = line.search(/\blogin\b/);
  if (at < 0) return line.includes('--password') ? line.replace(PASSWORD_FLAG, redactFlagValue) : line;
  const head = line.slice(0, at);
  const tail = line.slice(at).replace(LOGIN_PASSWORD_FLAG, redactFlagValue);
  return head + tail;
}

const inClass = (c: string | undefined, re: RegExp): boolean => c !== undefined && re.test(c);
const JWT_CHAR = /[A-Za-z0-9_\-]/;
const SCHEME_CHAR = /[A-Za-z0-9+.\-]/;

/** End of the run of `re` characters starting at `i`. */
function runEnd(text: string, i: number, re: RegExp): number {
  while (inClass(text[i], re)) i++;
  return i;
}

/**
 * JWTs (`eyJ<8+>.<8+>.<8+>`), by scanning: the regex with `{8,}` segments is retried from every
 * `eyJ` inside a long segment. A failed start skips the rest of its first segment, where every
 * later start would fail the same way.
 */
function redactJwts(text: string): string {
  if (!text.includes('eyJ')) return text;
  let out = '';
  let pos = 0;
  JWT_START.lastIndex = 0;
  for (let m = JWT_START.exec(text); m; m = JWT_START.exec(text)) {
    const a = runEnd(text, m.index + 3, JWT_CHAR);
    const b = a - m.index - 3 >= 8 && text[a] === '.' ? runEnd(text, a + 1, JWT_CHAR) : -1;
    const c = b - a - 1 >= 8 && text[b] === '.' ? runEnd(text, b + 1, JWT_CHAR) : -1;
    if (c - b - 1 >= 8) {
      out += text.slice(pos, m.index) + REDACTED;
      pos = c;
    }
    JWT_START.lastIndex = c - b - 1 >= 8 ? c : Math.max(a, m.index + 3);
  }
  return out + text.slice(pos);
}

/** `Authorization: [Scheme ]credentials` -> `Authorization: [Scheme ][REDACTED]`. */
function redactAuthHeaders(text: string): string {
  let out = '';
  let pos = 0;
  AUTH_HEADER.lastIndex = 0;
  for (let m = AUTH_HEADER.exec(text); m; m = AUTH_HEADER.exec(text)) {
    const [whole, head, first] = m as unknown as [string, string, string];
    let end = m.index + whole.length;
    let scheme = '';
    if (AUTH_SCHEMES.has(first.toLowerCase())) {
      let k = end;
      while (inClass(text[k], /\s/)) k++;
      const valueEnd = runEnd(text, k, /[^\s"',]/);
      if (k > end && valueEnd > k) {
        scheme = `${first} `;
        end = valueEnd;
      }
    }
    out += text.slice(pos, m.index) + head + scheme + REDACTED;
    pos = end;
    AUTH_HEADER.lastIndex = end;
  }
  return out + text.slice(pos);
}

/**
 * `scheme://user:password@` -> `scheme://user:[REDACTED]@`, found from each `://` (the regex form
 * retries from every letter of a long `a.a.a...` run).
 */
function redactUrlUserinfo(text: string): string {
  let out = '';
  let pos = 0;
  for (let at = text.indexOf('://'); at >= 0; at = text.indexOf('://', at + 3)) {
    let s = at;
    while (s > pos && inClass(text[s - 1], SCHEME_CHAR)) s--;
    // The scheme starts with a letter at a word boundary, as `\b[a-z]` required.
    while (s < at && !(/[A-Za-z]/.test(text[s]!) && !inClass(text[s - 1], /\w/))) s++;
    if (s === at) continue;
    const hostEnd = runEnd(text, at + 3, /[^\s/:@]/);
    if (hostEnd === at + 3 || text[hostEnd] !== ':') continue;
    const passEnd = runEnd(text, hostEnd + 1, /[^\s/@]/);
    if (passEnd === hostEnd + 1 || text[passEnd] !== '@') continue;
    out += `${text.slice(pos, hostEnd)}:${REDACTED}@`;
    pos = passEnd + 1;
    at = passEnd - 2;
  }
  return out + text.slice(pos);
}

/** Returns `text` with every known kind of secret replaced by `[REDACTED]` (kind-revealing prefixes kept). */
export function redact(text: string): string {
  let out = redactPem(text);
  out = out.replace(GITLAB_TOKEN, (m, prefix: string) => (m.length - prefix.length - 1 >= 8 ? `${prefix}-${REDACTED}` : m));
  out = out.replace(RUNNER_REGISTRATION, (m) => (m.length >= 9 + 8 ? `GR1348941${REDACTED}` : m));
  out = redactAuthHeaders(out);
  out = out.replace(TOKEN_HEADER, (_m, head: string) => `${head}${REDACTED}`);
  out = redactUrlUserinfo(out);
  out = out.replace(AWS_ACCESS_KEY, REDACTED);
  out = redactJwts(out);
  out = redactKeyValues(out);
  out = out.split('\n').map(redactLoginFlags).join('\n');
  return out;
}

/**
 * `key=value` pairs whose key names a secret. A pair whose key is harmless must not swallow its
 * value: in `error: password=X` the value `password=X` of `error` is itself a pair to check.
 */
function redactKeyValues(text: string): string {
  let out = '';
  let pos = 0;
  // Rescans inside one token are capped so `a=a=a=...` stays linear.
  let chainEnd = -1;
  let chained = 0;
  KEY_VALUE.lastIndex = 0;
  for (let m = KEY_VALUE.exec(text); m; m = KEY_VALUE.exec(text)) {
    const [whole0, lead, run, sep, quote, value] = m as unknown as [string, string, string, string, string, string];
    // As `\b[A-Za-z0-9_\-]{1,80}` chose: the leftmost word boundary in the run's last 80 characters.
    const key = keyAtBoundary(run) ?? run;
    const at = m.index + lead.length + run.length - key.length;
    const whole = whole0.slice(lead.length + run.length - key.length);
    // A path segment is no key: `Post "http://docker:2375/v1.24/auth": dial tcp ...`.
    const inPath = lead === '/';
    const secret = !inPath && key.length <= MAX_KEY_CHARS && isSecretKeyName(key) && !value.startsWith(REDACTED)
      // `$VAR` references name a secret without revealing it.
      && !/^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/.test(value);
    if (secret) {
      out += text.slice(pos, at) + `${key}${sep}${quote}${REDACTED}`;
      pos = at + whole.length;
    } else {
      chained = at < chainEnd ? chained + 1 : 0;
      chainEnd = Math.max(chainEnd, at + whole.length);
      // Look again from the value on (from the character before it, which KEY_VALUE's lead takes).
      if (chained < 8) KEY_VALUE.lastIndex = at + key.length + sep.length + quote.length - 1;
    }
  }
  return out + text.slice(pos);
}

function keyAtBoundary(run: string): string | undefined {
  if (run.length <= MAX_KEY_CHARS) return run;
  for (let s = run.length - MAX_KEY_CHARS; s < run.length; s++) {
    // `-` is the only non-word character a key holds.
    if ((run[s - 1] === '-') !== (run[s] === '-')) return run.slice(s);
  }
  return undefined;
}

/** Redacts a run of lines as one text, so a secret spanning lines (a PEM key) is caught whole. */
export function redactLines<T extends { text: string }>(lines: readonly T[]): T[] {
  const joined = redact(lines.map((l) => l.text).join('\n')).split('\n');
  // Redaction never adds or removes newlines, except when a PEM key swallows lines.
  if (joined.length === lines.length) return lines.map((l, i) => ({ ...l, text: joined[i]! }));
  return lines.map((l) => ({ ...l, text: redact(l.text) }));
}
