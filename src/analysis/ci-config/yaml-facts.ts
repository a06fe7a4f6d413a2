// YAML facts GitLab's loader (Ruby Psych, YAML 1.1) decides silently: a repeated key replaces the
// first, a `<<:` merge is shallow, unquoted `yes`/`on`/`3.10`/`010` are not the strings they look
// like. Each becomes a warning finding under its own rule; GitLab-rejected facts stay problems.
import type { Finding } from '../types.js';
import type { SourcePos } from './types.js';

export const DUPLICATE_KEY = 'ci-yaml-duplicate-key';
export const MERGE_SHALLOW = 'ci-yaml-merge-shallow';
export const COERCED_VALUE = 'ci-yaml-coerced-value';
export const YAML_FACT_RULES = new Set([DUPLICATE_KEY, MERGE_SHALLOW, COERCED_VALUE]);

const TITLES: Record<string, string> = {
  [DUPLICATE_KEY]: 'A YAML key written twice: the first one is silently ignored',
  [MERGE_SHALLOW]: 'A YAML merge key (`<<:`) is shallow: a nested mapping is replaced, not merged',
  [COERCED_VALUE]: 'An unquoted value GitLab reads as a boolean or a number',
};

export function fact(ruleId: string, message: string, pos: SourcePos, evidence: Record<string, unknown>): Finding {
  return { ruleId, severity: 'warning', title: TITLES[ruleId] ?? ruleId, message, location: { path: pos.path, line: pos.line }, evidence };
}

/** YAML 1.1 booleans Psych knows that YAML 1.2 (the `yaml` package) leaves as strings. */
const YAML11_BOOLEANS: Record<string, boolean> = {};
for (const w of ['yes', 'on']) for (const v of [w, w[0]!.toUpperCase() + w.slice(1), w.toUpperCase()]) YAML11_BOOLEANS[v] = true;
for (const w of ['no', 'off']) for (const v of [w, w[0]!.toUpperCase() + w.slice(1), w.toUpperCase()]) YAML11_BOOLEANS[v] = false;

export function yaml11Boolean(plain: string): boolean | undefined {
  return Object.prototype.hasOwnProperty.call(YAML11_BOOLEANS, plain) ? YAML11_BOOLEANS[plain] : undefined;
}

function allDigits(s: string, from: number, max: string): boolean {
  if (s.length <= from) return false;
  for (let i = from; i < s.length; i++) if (s[i]! < '0' || s[i]! > max) return false;
  return true;
}

/**
 * What GitLab makes of an unquoted number, as text, when it differs from how it is written
 * (`3.10` -> `3.1`, `010` -> `8` in YAML 1.1); undefined when they agree.
 */
export function coercedNumber(source: string, value: number): string | undefined {
  const unsigned = source.startsWith('-') || source.startsWith('+') ? source.slice(1) : source;
  if (unsigned.length > 1 && unsigned[0] === '0' && allDigits(unsigned, 1, '7')) {
    const n = parseInt(unsigned, 8) * (source.startsWith('-') ? -1 : 1);
    return String(n);
  }
  const shown = Number.isInteger(value) && source.includes('.') ? `${value}.0` : String(value);
  return shown === source ? undefined : shown;
}
