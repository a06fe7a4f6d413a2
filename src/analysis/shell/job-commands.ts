// Every simple command an effective job runs, in the order the runner runs them, with the
// working directory each one runs in (the runner starts in the repository root and keeps one
// shell for before_script + script, so a `cd` carries over to later entries).
import type { EffectiveJob, ScriptLine } from '../ci-config/types.js';
import { splitCommands, type ShellCommand } from './split.js';
import { ShellVars, type ShellVarOrigin } from './data-flow.js';

export interface JobCommand {
  cmd: ShellCommand;
  source: ScriptLine;
  indexInLine: number;
  /** Working directory relative to the repository root ('' = root); undefined when unknown. */
  cwd: string | undefined;
  /** Shell variables of the script substituted into `cmd.words`, with where each was assigned. */
  shellVars?: ShellVarOrigin[];
}

/** The text analysed for a script line: the variable-expanded form when the config reader gave one. */
export function scriptText(line: ScriptLine): string {
  return line.expanded && line.expanded.length > 0 ? line.expanded : line.command;
}

/** before_script + script commands (one shell), then after_script commands (a fresh shell). */
export function jobCommands(job: EffectiveJob): JobCommand[] {
  return [...commandsOf([...job.beforeScript, ...job.script]), ...commandsOf(job.afterScript)];
}

function commandsOf(lines: ScriptLine[]): JobCommand[] {
  const out: JobCommand[] = [];
  let cwd: string | undefined = '';
  const vars = new ShellVars();
  for (const source of lines) {
    splitCommands(scriptText(source)).forEach((written, indexInLine) => {
      const { words, used } = vars.substitute(written.words);
      const cmd = used.length ? { ...written, words } : written;
      out.push({ cmd, source, indexInLine, cwd, ...(used.length ? { shellVars: used } : {}) });
      const conditional = /^(then|else|elif|do)\b/.test(written.text) || written.prev === '&&' || written.prev === '||';
      vars.assign(written.words, source, written.lineOffset, conditional);
      if (cmd.words[0] === 'cd' || cmd.words[0] === 'pushd') cwd = changeDir(cwd, cmd.words[1]);
    });
  }
  return out;
}

const PROJECT_DIR = /^(\$CI_PROJECT_DIR|\$\{CI_PROJECT_DIR\}|\$CI_BUILDS_DIR\/\$CI_PROJECT_PATH)/;

/** Resolve `cd ARG` against a repo-relative cwd. Leaving the checkout or an unknown variable makes it unknown. */
export function changeDir(cwd: string | undefined, arg: string | undefined): string | undefined {
  if (arg === undefined || arg === '~' || arg === '-') return undefined;
  const projectRelative = PROJECT_DIR.test(arg);
  if (projectRelative) return normaliseRepoPath('', arg.replace(PROJECT_DIR, '').replace(/^\/+/, ''));
  if (arg.startsWith('/') || arg.includes('$') || cwd === undefined) return undefined;
  return normaliseRepoPath(cwd, arg);
}

/**
 * Join `rel` onto repo-relative `base` and normalise `.`/`..`/`./`; a `$CI_PROJECT_DIR` prefix
 * means the repository root. Returns undefined for paths that leave the repository or depend on
 * other variables.
 */
export function normaliseRepoPath(base: string, rel: string): string | undefined {
  let p = rel;
  if (PROJECT_DIR.test(p)) { p = p.replace(PROJECT_DIR, '').replace(/^\/+/, ''); base = ''; }
  if (p.startsWith('/') || p.includes('$')) return undefined;
  const parts = base === '' ? [] : base.split('/');
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
      continue;
    }
    parts.push(seg);
  }
  return parts.join('/');
}
