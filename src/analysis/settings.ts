// Per-project settings kept in the repository (`.gitlab/ci-medic.yml`), read the same way by the
// service (at the reviewed SHA) and by `ci-medic lint` (in each root it lints):
//   disable: [rule-id, ...]
//   severity: { rule-id: warning }
// A malformed file never stops a review: each problem becomes a finding on its line, and the
// parts that are well formed still apply. Pure: the text comes in, findings come out.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { Finding, Severity } from './types.js';

export const SETTINGS_PATH = '.gitlab/ci-medic.yml';
export const SETTINGS_RULE_ID = 'ci-medic-settings-invalid';

export interface ProjectSettings {
  disabled: string[];
  severity: Record<string, Severity>;
}

export interface SettingsProblem {
  message: string;
  line: number;
}

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

export interface ParsedSettings {
  settings: ProjectSettings;
  problems: SettingsProblem[];
}

/**
 * Parse the settings file. `knownRules` (ids of every rule loaded) turns an unknown id into a
 * problem instead of a silent no-op; without it ids are not checked.
 */
export function parseSettings(text: string | undefined, knownRules?: ReadonlySet<string>): ParsedSettings {
  const settings: ProjectSettings = { disabled: [], severity: {} };
  const problems: SettingsProblem[] = [];
  if (text === undefined || text.trim() === '') return { settings, problems };
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  const lineOf = (node: Node | null | undefined): number => (node?.range ? lc.linePos(node.range[0]).line : 1);
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = e.linePos?.[0]?.line ?? lc.linePos(e.pos[0]).line;
    return { settings, problems: [{ message: `${SETTINGS_PATH} is not valid YAML: ${e.message.split('\n')[0]}`, line }] };
  }
  const root = doc.contents;
  if (root === null || root === undefined) return { settings, problems };
  if (!isMap(root)) return { settings, problems: [{ message: `${SETTINGS_PATH} must be a mapping`, line: lineOf(root as Node) }] };
  const unknownRule = (id: string): boolean => knownRules !== undefined && !knownRules.has(id);
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value as Node | null;
    const keyLine = lineOf(pair.key as Node);
    if (key === 'disable') {
      if (!isSeq(value)) {
        problems.push({ message: '`disable` must be a list of rule ids', line: keyLine });
        continue;
      }
      for (const item of value.items) {
        const id = isScalar(item) && typeof item.value === 'string' ? item.value : undefined;
        if (id === undefined) problems.push({ message: '`disable` must be a list of rule ids', line: lineOf(item as Node) });
        else if (unknownRule(id)) problems.push({ message: `\`disable\` names \`${id}\`, which is not a rule: nothing is disabled by it`, line: lineOf(item as Node) });
        else settings.disabled.push(id);
      }
    } else if (key === 'severity') {
      if (!isMap(value)) {
        problems.push({ message: '`severity` must map rule ids to error, warning or info', line: keyLine });
        continue;
      }
      for (const p of value.items) {
        const id = isScalar(p.key) ? String(p.key.value) : '';
        const level = isScalar(p.value) ? p.value.value : undefined;
        const line = lineOf(p.key as Node);
        if (unknownRule(id)) problems.push({ message: `\`severity\` names \`${id}\`, which is not a rule`, line });
        else if (typeof level === 'string' && (SEVERITIES as readonly string[]).includes(level)) settings.severity[id] = level as Severity;
        else problems.push({ message: `\`severity.${id}\` must be one of ${SEVERITIES.join(', ')}`, line });
      }
    } else {
      problems.push({ message: `\`${key}\` is not a setting (known: disable, severity)`, line: keyLine });
    }
  }
  return { settings, problems };
}

/** The problems of a settings file as findings on its lines (never disabled by the file itself). */
export function settingsFindings(problems: readonly SettingsProblem[], meta: { title: string; severity: Severity }, path = SETTINGS_PATH): Finding[] {
  return problems.map((p) => ({
    ruleId: SETTINGS_RULE_ID,
    severity: meta.severity,
    title: meta.title,
    message: `${p.message}.`.replace(/\.\.$/, '.'),
    location: { path, line: p.line },
  }));
}

/** Drops disabled rules and applies severity overrides. */
export function applySettings(findings: readonly Finding[], settings: ProjectSettings): Finding[] {
  const off = new Set(settings.disabled);
  return findings
    .filter((f) => !off.has(f.ruleId) || f.ruleId === SETTINGS_RULE_ID)
    .map((f) => (settings.severity[f.ruleId] ? { ...f, severity: settings.severity[f.ruleId]! } : f));
}
