// BuildKit's check options (`# check=skip=A,B;error=true`, BUILDKIT_DOCKERFILE_CHECK build arg),
// read like linter.ParseLintOptions; malformed parts are ignored instead of failing.

export interface CheckOptions {
  skip: string[] | 'all';
  error: boolean;
}

export function parseCheckOptions(value: string): CheckOptions {
  const opts: CheckOptions = { skip: [], error: false };
  for (const part of value.trim().split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim().toLowerCase();
    const v = part.slice(eq + 1).trim();
    if (key === 'skip') {
      opts.skip = v === 'all' ? 'all' : v.split(',').map((r) => r.trim()).filter(Boolean);
    } else if (key === 'error') {
      opts.error = /^(1|t|true)$/i.test(v);
    }
  }
  return opts;
}

export function isSkipped(rule: string, skip: string[] | 'all' | undefined): boolean {
  return skip === 'all' || (skip?.includes(rule) ?? false);
}
