// Hand-built effective jobs for shell-reader tests (no CI parser involved).
import type { EffectiveJob, ScriptLine, ScriptSection } from '../../src/analysis/ci-config/types.js';

export function line(command: string, section: ScriptSection = 'script', lineNo = 1): ScriptLine {
  return { command, expanded: command, section, pos: { path: '.gitlab-ci.yml', line: lineNo }, origin: 'job' };
}

export function makeJob(parts: { before?: string[]; script?: string[]; after?: string[]; name?: string }): EffectiveJob {
  let n = 10;
  const mk = (cmds: string[] | undefined, s: ScriptSection): ScriptLine[] => (cmds ?? []).map((c) => line(c, s, n++));
  return {
    name: parts.name ?? 'build',
    pos: { path: '.gitlab-ci.yml', line: 1 },
    stage: 'build',
    services: [],
    variables: {},
    beforeScript: mk(parts.before, 'before_script'),
    script: mk(parts.script, 'script'),
    afterScript: mk(parts.after, 'after_script'),
    allowFailure: false,
    tags: [],
    extends: [],
    raw: {},
  };
}
