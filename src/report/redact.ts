// Removes secrets from text quoted out of logs and files before it is posted anywhere.
// Every pattern here is linear-time: job logs are written by whoever pushes code.

export const REDACTED = '[REDACTED]';

const GITLAB_TOKEN_PREFIXES = [
  'glpat', 'gldt', 'glrt', 'glrtr', 'glcbt', 'glptt', 'glft', 'glimt', 'glagent', 'gloas', 'glsoat',
  'glffct', 'glwt', 'gltst', 'glsa',
];
const GITLAB_TOKEN = new RegExp(`\\b(${GITLAB_TOKEN_PREFIXES.join('|')})-[A-Za-z0-9_.\\-]{8,}`, 'g');
// Runner registration tokens: GR1348941 followed by the token.
const RUNNER_REGISTRATION = /\bGR1348941[A-Za-z0-9_\-]{8,}/g;
const AUTH_HEADER = /\b((?:Proxy-)?Authorization\s*:\s*)(?:(Bearer|Basic|Token|Digest|Negotiate|AWS4-HMAC-SHA256)\s+)?([^\s"',]+)/gi;
const TOKEN_HEADER = /\b((?:PRIVATE|JOB|DEPLOY)-TOKEN\s*:\s*)([^\s"',]+)/gi;
const URL_USERINFO = /\b([a-z][a-z0-9+.\-]*:\/\/[^\s/:@]+):([^\s/@]+)@/gi;
const AWS_ACCESS_KEY = /\b(AKIA|ASIA|AIDA|AROA|AGPA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/g;
const JWT = /\beyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}/g;
// `key=value`, `key: value`, `"key": "value"`, `--key=value`; the key is checked in code.
const KEY_VALUE = /\b([A-Za-z0-9_\-]{1,80})(["']?[ \t]*[=:][ \t]*)(["']?)([^\s"',;&]+)/g;
const SECRET_WORDS = new Set(['password', 'passwd', 'pwd', 'pass', 'passphrase', 'secret', 'token', 'auth', 'apikey', 'credential', 'credentials']);
const KEY_QUALIFIERS = new Set(['api', 'access', 'private', 'secret', 'signing', 'encryption']);

/** `DOCKER_PASSWORD`, `accessToken`, `api-key`: a key name whose value is a secret. */
export function isSecretKeyName(key: string): boolean {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split(/[_\-.]+/).filter(Boolean);
  return words.some((w, i) => SECRET_WORDS.has(w) || (w === 'key' && i > 0 && KEY_QUALIFIERS.has(words[i - 1]!)));
}
// `docker login ... -p X` / `--password X` (space-separated, so KEY_VALUE cannot see it).
const LOGIN_PASSWORD_FLAG = /(\s)(-p|--password)([ \t]+|(?=[^\s-]))("[^"]*"|'[^']*'|[^\s"']+)/g;
const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY( BLOCK)?-----/g;
const PEM_END = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY( BLOCK)?-----/;

/** Replaces each non-empty piece of `body` with the marker, keeping its newlines (line numbers stay put). */
function blank(body: string): string {
  return body.replace(/[^\n]+/g, REDACTED);
}

// A line that is nothing but base64 (optionally quoted or prefixed): key material near a lone END.
const KEY_MATERIAL_LINE = /^[\s"'`>|]*[A-Za-z0-9+/=]{16,}[\s"'`,]*(?:\\n)?[\s"'`,]*$/;

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
const PASSWORD_FLAG = /(\s)(--password)([ \t]+|(?=[^\s-]))("[^"]*"|'[^']*'|[^\s"']+)/g;

function redactLoginFlags(line: string): string {
  const at = line.search(/\blogin\b/);
  if (at < 0) return line.includes('--password') ? line.replace(PASSWORD_FLAG, (_m, sp: string, flag: string, gap: string) => `${sp}${flag}${gap}${REDACTED}`) : line;
  const head = line.slice(0, at);
  const tail = line.slice(at).replace(LOGIN_PASSWORD_FLAG, (_m, sp: string, flag: string, gap: string) => `${sp}${flag}${gap}${REDACTED}`);
  return head + tail;
}

/** Returns `text` with every known kind of secret replaced by `[REDACTED]` (kind-revealing prefixes kept). */
export function redact(text: string): string {
  let out = redactPem(text);
  out = out.replace(GITLAB_TOKEN, (_m, prefix: string) => `${prefix}-${REDACTED}`);
  out = out.replace(RUNNER_REGISTRATION, `GR1348941${REDACTED}`);
  out = out.replace(AUTH_HEADER, (_m, head: string, scheme: string | undefined) => `${head}${scheme ? scheme + ' ' : ''}${REDACTED}`);
  out = out.replace(TOKEN_HEADER, (_m, head: string) => `${head}${REDACTED}`);
  out = out.replace(URL_USERINFO, (_m, userPart: string) => `${userPart}:${REDACTED}@`);
  out = out.replace(AWS_ACCESS_KEY, REDACTED);
  out = out.replace(JWT, REDACTED);
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
    const [whole, key, sep, quote, value] = m as unknown as [string, string, string, string, string];
    // A path segment is no key: `Post "http://docker:2375/v1.24/auth": dial tcp ...`.
    const inPath = m.index > 0 && text[m.index - 1] === '/';
    const secret = !inPath && isSecretKeyName(key) && !value.startsWith(REDACTED)
      // `$VAR` references name a secret without revealing it.
      && !/^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/.test(value);
    if (secret) {
      out += text.slice(pos, m.index) + `${key}${sep}${quote}${REDACTED}`;
      pos = m.index + whole.length;
    } else {
      chained = m.index < chainEnd ? chained + 1 : 0;
      chainEnd = Math.max(chainEnd, m.index + whole.length);
      // Look again from the value on.
      if (chained < 8) KEY_VALUE.lastIndex = m.index + key.length + sep.length + quote.length;
    }
  }
  return out + text.slice(pos);
}

/** Redacts a run of lines as one text, so a secret spanning lines (a PEM key) is caught whole. */
export function redactLines<T extends { text: string }>(lines: readonly T[]): T[] {
  const joined = redact(lines.map((l) => l.text).join('\n')).split('\n');
  // Redaction never adds or removes newlines, except when a PEM key swallows lines.
  if (joined.length === lines.length) return lines.map((l, i) => ({ ...l, text: joined[i]! }));
  return lines.map((l) => ({ ...l, text: redact(l.text) }));
}
