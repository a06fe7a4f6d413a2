// `$[[ inputs.name ]]` interpolation for files with a `spec:inputs` header.
export type InputValues = Record<string, string | string[]>;

// Linear (proven by test/security/redos-sources): a function part stops at the next `$`, so an
// unclosed `$[[ inputs.a | ...` is not rescanned from every later `$[[`.
const INPUT_RE = /\$\[\[\s*inputs\.([A-Za-z0-9_-]+)\s*(?:\|[^\]$]*)?\]\]/g;
const WHOLE_RE = /^\$\[\[\s*inputs\.([A-Za-z0-9_-]+)\s*(?:\|[^\]$]*)?\]\]$/;

/**
 * Replaces known inputs; unknown ones stay as written. A value that is exactly one array input
 * becomes that array (GitLab keeps the input's type when it fills the whole value).
 */
export function interpolateInputs(text: string, inputs: InputValues): string | string[] {
  if (!text.includes('$[[')) return text;
  const whole = WHOLE_RE.exec(text);
  if (whole) {
    const v = inputs[whole[1]!];
    if (v !== undefined) return v;
  }
  return text.replace(INPUT_RE, (m, name: string) => {
    const v = inputs[name];
    if (v === undefined) return m;
    return Array.isArray(v) ? JSON.stringify(v) : v;
  });
}
