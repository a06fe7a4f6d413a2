// Validate one rules/<id>.yml text and map it (snake_case) to RuleMeta. Pure: the caller reads files.
import { parse } from 'yaml';
import type { Severity } from '../types.js';
import type { LogLinePattern, LogPattern, RuleMeta } from './types.js';
import { checkRegexSafety } from './regex-safety.js';

export interface RuleFileError {
  path: string;
  reason: string;
}

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
const SEEN_IN = ['files', 'log', 'event'] as const;
const RULE_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const KNOWN_KEYS = new Set(['id', 'title', 'severity', 'seen_in', 'buildkit', 'docs', 'explain', 'log']);
const PATTERN_KEYS = new Set(['id', 'match', 'after', 'within', 'sections', 'confidence']);

class RuleError extends Error {}

function fail(reason: string): never {
  throw new RuleError(reason);
}

function str(o: Record<string, unknown>, key: string, where: string, required = true): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) {
    if (required) fail(`${where}'${key}' is required`);
    return undefined;
  }
  if (typeof v !== 'string' || v.trim() === '') fail(`${where}'${key}' must be a non-empty string`);
  return v;
}

function linePattern(v: unknown, where: string): LogLinePattern {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`${where} must be a mapping { regex, flags? }`);
  const o = v as Record<string, unknown>;
  const regex = str(o, 'regex', `${where}: `)!;
  const flags = str(o, 'flags', `${where}: `, false);
  const safety = checkRegexSafety(regex, flags ?? '');
  if (!safety.ok) fail(`${where}: regex ${JSON.stringify(regex)} rejected (${safety.problem}): ${safety.reason}`);
  return flags !== undefined ? { regex, flags } : { regex };
}

function logPattern(v: unknown, index: number): LogPattern {
  const where = `log[${index}]`;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`${where} must be a mapping`);
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!PATTERN_KEYS.has(k)) fail(`${where}: unknown key '${k}'`);
  const id = str(o, 'id', `${where}: `)!;
  const p: LogPattern = { id, match: linePattern(o.match, `${where}.match`) };
  if (o.after !== undefined) p.after = linePattern(o.after, `${where}.after`);
  if (o.within !== undefined) {
    if (!Number.isInteger(o.within) || (o.within as number) < 1 || (o.within as number) > 10_000) fail(`${where}: 'within' must be an integer 1..10000`);
    p.within = o.within as number;
  }
  if (o.sections !== undefined) {
    if (!Array.isArray(o.sections) || !o.sections.every((s) => typeof s === 'string')) fail(`${where}: 'sections' must be a list of strings`);
    p.sections = o.sections as string[];
  }
  if (o.confidence !== undefined) {
    if (typeof o.confidence !== 'number' || o.confidence < 0 || o.confidence > 100) fail(`${where}: 'confidence' must be a number 0..100`);
    p.confidence = o.confidence;
  }
  return p;
}

/** The rule id a file name implies (`rules/foo-bar.yml` -> 'foo-bar'). */
export function ruleIdFromPath(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  return base.replace(/\.ya?ml$/, '');
}

/** Parse and validate one rule file. Errors are values naming the first problem found. */
export function parseRuleYaml(text: string, path: string): RuleMeta | { error: string } {
  try {
    let doc: unknown;
    try {
      doc = parse(text, { maxAliasCount: 50 });
    } catch (err) {
      fail(`YAML does not parse: ${(err as Error).message.split('\n')[0]}`);
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) fail('top level must be a mapping');
    const o = doc as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!KNOWN_KEYS.has(k)) fail(`unknown key '${k}'`);
    const id = str(o, 'id', '')!;
    if (!RULE_ID.test(id)) fail(`id '${id}' must be lower-case words joined by '-'`);
    const expected = ruleIdFromPath(path);
    if (id !== expected) fail(`id '${id}' does not match the file name '${expected}'`);
    const severity = str(o, 'severity', '')! as Severity;
    if (!SEVERITIES.includes(severity)) fail(`severity '${severity}' must be one of ${SEVERITIES.join(', ')}`);
    const seenRaw = o.seen_in;
    if (!Array.isArray(seenRaw) || seenRaw.length === 0) fail(`'seen_in' must be a non-empty list of ${SEEN_IN.join(', ')}`);
    for (const s of seenRaw) if (!SEEN_IN.includes(s as (typeof SEEN_IN)[number])) fail(`seen_in value '${String(s)}' must be one of ${SEEN_IN.join(', ')}`);
    const meta: RuleMeta = {
      id,
      title: str(o, 'title', '')!.trim(),
      severity,
      explain: str(o, 'explain', '')!.trim(),
      docs: str(o, 'docs', '')!.trim(),
      seenIn: seenRaw as RuleMeta['seenIn'],
      source: path,
    };
    const buildkit = str(o, 'buildkit', '', false);
    if (buildkit !== undefined) meta.buildkit = buildkit.trim();
    if (o.log !== undefined && o.log !== null) {
      if (!Array.isArray(o.log)) fail(`'log' must be a list of patterns`);
      meta.log = o.log.map((p, i) => logPattern(p, i));
      const ids = new Set<string>();
      for (const p of meta.log) {
        if (ids.has(p.id)) fail(`log pattern id '${p.id}' is used twice`);
        ids.add(p.id);
      }
    }
    if (seenRaw.includes('log') && !meta.log?.length) fail(`seen_in has 'log' but no 'log' patterns are given`);
    return meta;
  } catch (err) {
    if (err instanceof RuleError) return { error: err.message };
    throw err;
  }
}
