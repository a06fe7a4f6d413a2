// "Did you mean" suggestions as BuildKit's util/suggest computes them: the closest option by
// Levenshtein distance, strictly below 3, first one wins on ties; an exact match suggests nothing.

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

export function suggest(value: string, options: Iterable<string>, caseSensitive = true): string {
  const val = caseSensitive ? value : value.toLowerCase();
  let match = '';
  let minDist = 3;
  for (const option of options) {
    const opt = caseSensitive ? option : option.toLowerCase();
    if (opt === val) return '';
    const d = levenshtein(val, opt);
    if (d < minDist) {
      minDist = d;
      match = caseSensitive ? opt : matchCase(opt, value);
    }
  }
  return match;
}

function matchCase(val: string, orig: string): string {
  if (orig === orig.toLowerCase()) return val.toLowerCase();
  if (orig === orig.toUpperCase()) return val.toUpperCase();
  return val;
}
