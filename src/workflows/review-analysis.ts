// The pure half of a review: from the files a snapshot read (plain data, so it can cross into a
// worker thread) to the findings to report. Everything heavy runs here: Dockerfile parsing, the
// static checks and the round-trip verification of every fix (which re-reads the configuration).
import type { CiConfig } from '../analysis/ci-config/types.js';
import { parseDockerfile } from '../analysis/dockerfile/parse.js';
import type { DockerfileModel } from '../analysis/dockerfile/types.js';
import { verifyFixes, reanalysisOf } from '../analysis/fixes/round-trip.js';
import { buildCheckContext } from '../analysis/rules/context.js';
import { runStaticChecks } from '../analysis/rules/run.js';
import type { RuleMeta } from '../analysis/rules/types.js';
import { applySettings, parseSettings, settingsFindings, type SettingsProblem } from '../analysis/settings.js';
import type { Finding } from '../analysis/types.js';

export interface ReviewAnalysisInput {
  /** The resolved CI configuration (a plain-data model: maps, arrays, strings). */
  ci?: CiConfig;
  /** Dockerfiles read, [path, text], in the order they were read. */
  dockerfiles: Array<[string, string]>;
  rules: RuleMeta[];
  settingsText?: string;
  /** Paths the MR changed (not deleted). */
  changed: string[];
  maxFindings: number;
}

export interface ReviewAnalysisOutput {
  findings: Finding[];
  omitted: number;
  settingsProblems: SettingsProblem[];
}

/** Which findings to report on this MR: those in files it changed, and every error (the config is broken now). */
function inScope(f: Finding, changed: ReadonlySet<string>): boolean {
  if (f.severity === 'error') return true;
  if (f.location && changed.has(f.location.path)) return true;
  return f.fix?.edits.some((e) => changed.has(e.path)) ?? false;
}

export async function analyseReview(input: ReviewAnalysisInput): Promise<ReviewAnalysisOutput> {
  const dockerfiles = new Map<string, DockerfileModel>();
  for (const [path, text] of input.dockerfiles) dockerfiles.set(path, parseDockerfile(path, text));
  const context = buildCheckContext(input.ci, dockerfiles, { rules: input.rules });
  const { settings, problems } = parseSettings(input.settingsText, new Set(input.rules.map((r) => r.id)));
  const meta = context.meta('ci-medic-settings-invalid');
  // A fix is offered only when, applied, it removes its finding and adds none (DESIGN: round trip).
  const checked = await verifyFixes(context, runStaticChecks(context, { disabled: settings.disabled }), reanalysisOf(context, { disabled: settings.disabled }));
  // CI-config problems reach the review once, through the ci-config-invalid check.
  const found = [...checked.findings, ...settingsFindings(problems, meta)];
  const changed = new Set(input.changed);
  const all = applySettings(found, settings).filter((f) => inScope(f, changed));
  return { findings: all.slice(0, input.maxFindings), omitted: Math.max(0, all.length - input.maxFindings), settingsProblems: problems };
}
