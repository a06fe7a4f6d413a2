// Jobs that extend one template share its lines: a check reports each place once, not once per job.

/** A filter that passes each key the first time only. */
export function firstPerKey(): (key: string) => boolean {
  const seen = new Set<string>();
  return (key) => {
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
}

/** The usual key: one finding per file line. */
export function lineKey(loc: { path: string; line: number }): string {
  return `${loc.path}:${loc.line}`;
}
