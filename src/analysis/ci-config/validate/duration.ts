// GitLab parses durations with ChronicDuration ("1h 30m", "3 days", "90", "1 week and 2 days").
// A scan without regexes: numbers followed by known unit words, nothing else.
const UNITS: Record<string, number> = {};
const add = (secs: number, ...names: string[]): void => names.forEach((n) => (UNITS[n] = secs));
add(0.001, 'ms', 'msec', 'msecs', 'millisecond', 'milliseconds');
add(1, 's', 'sec', 'secs', 'second', 'seconds');
add(60, 'm', 'min', 'mins', 'minute', 'minutes');
add(3600, 'h', 'hr', 'hrs', 'hour', 'hours');
add(86400, 'd', 'day', 'days');
add(604800, 'w', 'wk', 'wks', 'week', 'weeks');
add(2592000, 'mo', 'mos', 'month', 'months');
add(31557600, 'y', 'yr', 'yrs', 'year', 'years');

/** Seconds, or undefined when ChronicDuration would not understand the text. */
export function parseDuration(text: string): number | undefined {
  const s = text.toLowerCase().trim();
  if (s.length === 0 || s.length > 200) return undefined;
  let total = 0;
  let pending: number | undefined;
  let seen = false;
  let i = 0;
  const isDigit = (ch: string): boolean => ch >= '0' && ch <= '9';
  const isLetter = (ch: string): boolean => ch >= 'a' && ch <= 'z';
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === ' ' || ch === ',' || ch === '\t') {
      i++;
      continue;
    }
    if (isDigit(ch) || ch === '.') {
      let j = i;
      while (j < s.length && (isDigit(s[j]!) || s[j] === '.')) j++;
      const n = Number(s.slice(i, j));
      if (!Number.isFinite(n)) return undefined;
      if (pending !== undefined) total += pending; // "90 30": bare seconds
      pending = n;
      seen = true;
      i = j;
      continue;
    }
    if (isLetter(ch)) {
      let j = i;
      while (j < s.length && isLetter(s[j]!)) j++;
      const word = s.slice(i, j);
      i = j;
      if (word === 'and') continue;
      const unit = UNITS[word];
      if (unit === undefined || pending === undefined) return undefined;
      total += pending * unit;
      pending = undefined;
      continue;
    }
    if (ch === ':' ) return undefined;
    return undefined;
  }
  if (!seen) return undefined;
  if (pending !== undefined) total += pending;
  return total;
}
