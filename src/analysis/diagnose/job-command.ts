// Ties a runner-echoed command (`$ docker push ...`) back to the script line of the job that
// wrote it, so a diagnosis can point at a file and line.
import type { CiConfig, EffectiveJob, ScriptLine } from '../ci-config/types.js';
import type { Location } from '../types.js';

/** The runner echoes only the first line of a multi-line entry, with this suffix. */
const COLLAPSED = '# collapsed multi-line command';

/** Without the collapsed-command suffix (a string scan: `/\s*#...\s*$/` is quadratic on spaces). */
function withoutCollapsedSuffix(text: string): string {
  const t = text.trimEnd();
  return t.endsWith(COLLAPSED) ? t.slice(0, -COLLAPSED.length).trimEnd() : text;
}

function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The command text without the runner's `$ ` prefix and collapsed-command suffix. */
export function echoedCommandText(line: string): string {
  return withoutCollapsedSuffix(line.replace(/^\$ /, ''));
}

function scriptLines(job: EffectiveJob): ScriptLine[] {
  return [...job.beforeScript, ...job.script, ...job.afterScript];
}

/** The script line whose command the echoed text is (or starts, for a multi-line entry). */
export function findScriptLine(job: EffectiveJob, echoed: string): ScriptLine | undefined {
  const want = squash(echoedCommandText(echoed));
  if (want === '') return undefined;
  const lines = scriptLines(job);
  return (
    lines.find((l) => squash(l.command) === want) ??
    lines.find((l) => squash(l.command).startsWith(want)) ??
    lines.find((l) => squash(l.expanded) === want)
  );
}

/** The job a log belongs to when the caller did not say: the only job, or the only one running the command. */
export function inferJob(ci: CiConfig, echoed: string | undefined): EffectiveJob | undefined {
  if (ci.jobs.length === 1) return ci.jobs[0];
  if (echoed === undefined) return undefined;
  const candidates = ci.jobs.filter((j) => findScriptLine(j, echoed));
  return candidates.length === 1 ? candidates[0] : undefined;
}

/** Where the command is written: the script line's own line, or the first line of its block. */
export function locateCommand(job: EffectiveJob, echoed: string): Location | undefined {
  const line = findScriptLine(job, echoed);
  return line ? { path: line.pos.path, line: line.pos.line } : undefined;
}
