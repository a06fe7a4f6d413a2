// Per-project settings (`.gitlab/ci-medic.yml` at the reviewed SHA). The parser is pure and shared
// with `ci-medic lint` (src/analysis/settings.ts); this module keeps the workflow's interface.
import { parseSettings, SETTINGS_PATH, type ProjectSettings } from '../analysis/settings.js';
import type { GitlabClient } from '../gitlab/client.js';
import type { ProjectId } from '../gitlab/types.js';

export { SETTINGS_PATH, applySettings, parseSettings, settingsFindings, type ProjectSettings } from '../analysis/settings.js';

export function parseProjectSettings(text: string | undefined): { settings: ProjectSettings; problems: string[] } {
  const { settings, problems } = parseSettings(text);
  return { settings, problems: problems.map((p) => p.message.replace(/`/g, '')) };
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
