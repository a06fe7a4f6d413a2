// Per-project settings kept in the repository (`.gitlab/ci-medic.yml` at the reviewed SHA):
//   disable: [rule-id, ...]
//   severity: { rule-id: warning }
// A malformed file never stops a review: its problems are reported back as warnings to log.
import { parse } from 'yaml';
import type { Finding, Severity } from '../analysis/types.js';
import type { GitlabClient } from '../gitlab/client.js';
import type { ProjectId } from '../gitlab/types.js';

export const SETTINGS_PATH = '.gitlab/ci-medic.yml';

export interface ProjectSettings {
  disabled: string[];
  severity: Record<string, Severity>;
}

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

export function parseProjectSettings(text: string | undefined): { settings: ProjectSettings; problems: string[] } {
  const settings: ProjectSettings = { disabled: [], severity: {} };
  const problems: string[] = [];
  if (text === undefined || text.trim() === '') return { settings, problems };
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 });
  } catch (e) {
    return { settings, problems: [`${SETTINGS_PATH} is not valid YAML: ${(e as Error).message.split('\n')[0]}`] };
  }
  if (doc === null || doc === undefined) return { settings, problems };
  if (typeof doc !== 'object' || Array.isArray(doc)) return { settings, problems: [`${SETTINGS_PATH} must be a mapping`] };
  const { disable, severity } = doc as Record<string, unknown>;
  if (disable !== undefined) {
    if (Array.isArray(disable) && disable.every((x) => typeof x === 'string')) settings.disabled = disable as string[];
    else problems.push('disable must be a list of rule ids');
  }
  if (severity !== undefined) {
    if (severity && typeof severity === 'object' && !Array.isArray(severity)) {
      for (const [id, level] of Object.entries(severity as Record<string, unknown>)) {
        if (typeof level === 'string' && (SEVERITIES as readonly string[]).includes(level)) settings.severity[id] = level as Severity;
        else problems.push(`severity.${id} must be one of ${SEVERITIES.join(', ')}`);
      }
    } else problems.push('severity must map rule ids to error, warning or info');
  }
  return { settings, problems };
}

/** Drops disabled rules and applies severity overrides. */
export function applySettings(findings: readonly Finding[], settings: ProjectSettings): Finding[] {
  const off = new Set(settings.disabled);
  return findings
    .filter((f) => !off.has(f.ruleId))
    .map((f) => (settings.severity[f.ruleId] ? { ...f, severity: settings.severity[f.ruleId]! } : f));
}

/**
 * The settings file's text at a SHA, read no further than `maxBytes` (MAX_SETTINGS_BYTES): a
 * longer file is ignored as a whole, with a note saying so.
 */
export async function readSettingsText(client: GitlabClient, project: ProjectId, sha: string, maxBytes: number): Promise<{ text?: string; note?: string }> {
  const read = await client.readFile(project, SETTINGS_PATH, sha, maxBytes);
  if (!read) return {};
  if (read.truncated) return { note: `${SETTINGS_PATH} is larger than MAX_SETTINGS_BYTES (${maxBytes} bytes): it was ignored.` };
  return { text: read.text };
}
