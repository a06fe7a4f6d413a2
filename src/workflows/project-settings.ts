// Per-project settings (`.gitlab/ci-medic.yml` at the reviewed SHA). The parser is pure and shared
// with `ci-medic lint` (src/analysis/settings.ts); this module keeps the workflow's interface.
import { parseSettings, type ProjectSettings } from '../analysis/settings.js';

export { SETTINGS_PATH, applySettings, parseSettings, settingsFindings, type ProjectSettings } from '../analysis/settings.js';

export function parseProjectSettings(text: string | undefined): { settings: ProjectSettings; problems: string[] } {
  const { settings, problems } = parseSettings(text);
  return { settings, problems: problems.map((p) => p.message.replace(/`/g, '')) };
}
