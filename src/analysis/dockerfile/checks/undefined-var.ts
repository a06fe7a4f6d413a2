// BuildKit's UndefinedVar: a variable expanded by BuildKit itself (COPY, ADD, ENV, ARG defaults,
// WORKDIR, LABEL, USER, EXPOSE, VOLUME, STOPSIGNAL) that no ARG/ENV in scope defines. Shell-form
// RUN/CMD/ENTRYPOINT are expanded by the shell, not BuildKit, so they are not judged.
import type { DockerfileInstruction } from '../types.js';
import { baseImageEnv } from '../base-env.js';
import { suggest } from '../suggest.js';
import { processWord } from '../words.js';
import { type BuildkitCheck, type BuildkitWarning, type LintInput, stageInstructions, warn } from './context.js';

const EXPANDED = new Set(['ADD', 'COPY', 'ENV', 'ARG', 'WORKDIR', 'LABEL', 'USER', 'EXPOSE', 'VOLUME', 'STOPSIGNAL']);

interface Scope {
  names: Set<string>;
  /** The base image is not one whose env ci-medic knows: it may define names we cannot see. */
  open: boolean;
}

export const undefinedVar: BuildkitCheck = (input) => {
  const scopes: Scope[] = [];
  const out: BuildkitWarning[] = [];
  for (const stage of input.model.stages) {
    const base = stage.baseStage !== undefined ? scopes[stage.baseStage] : undefined;
    const known = base ? undefined : baseImageEnv(stage.image);
    const scope: Scope = base
      ? { names: new Set(base.names), open: base.open }
      : { names: known ?? new Set(['PATH']), open: known === undefined };
    for (const ins of stageInstructions(input, stage.index)) {
      if (EXPANDED.has(ins.keyword)) out.push(...checkInstruction(input, ins, scope));
    }
    scopes[stage.index] = scope;
  }
  return out;
};

function checkInstruction(input: LintInput, ins: DockerfileInstruction, scope: Scope): BuildkitWarning[] {
  const out: BuildkitWarning[] = [];
  const report = (text: string): void => {
    const res = processWord(text, (n) => (scope.names.has(n) ? '' : undefined), input.escape);
    for (const name of res.unmatched) {
      const hint = suggest(name, scope.names);
      // On an image ci-medic does not know, an upper-case name may well be the image's own ENV
      // (JAVA_HOME, APP_VERSION...): only a near-typo or a lower-case name is reported there.
      if (scope.open && !hint && name === name.toUpperCase()) continue;
      const message = `Usage of undefined variable '$${name}'${hint ? ` (did you mean $${hint}?)` : ''}`;
      out.push(warn('UndefinedVar', ins, message, { variable: name }));
    }
  };
  if (ins.keyword === 'ARG' || ins.keyword === 'ENV') {
    // Values are expanded against the scope before the instruction (ENV a=1 b=$a sees the old a).
    const added: string[] = [];
    for (const p of ins.props ?? []) {
      if (p.value !== undefined) report(p.value);
      added.push(p.name);
      if (ins.keyword === 'ARG') scope.names.add(p.name);
    }
    for (const n of added) scope.names.add(n);
    return out;
  }
  report(ins.args);
  return out;
}
