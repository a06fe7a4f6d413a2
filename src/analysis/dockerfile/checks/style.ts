// BuildKit's instruction-level style checks: MaintainerDeprecated, JSONArgsRecommended,
// ConsistentInstructionCasing, LegacyKeyValueFormat, WorkdirRelativePath,
// MultipleInstructionsDisallowed, ExposeProtoCasing, ExposeInvalidFormat.
import type { DockerfileInstruction } from '../types.js';
import { splitWords } from '../words.js';
import { type BuildkitCheck, type BuildkitWarning, quote, stageInstructions, warn } from './context.js';

const KNOWN_INSTRUCTIONS = new Set(['ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL', 'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR']);

export const maintainerDeprecated: BuildkitCheck = (input) =>
  input.instructions
    .filter((i) => i.keyword === 'MAINTAINER')
    .map((i) => warn('MaintainerDeprecated', i, 'Maintainer instruction is deprecated in favor of using label'));

/** Per-stage state inherited by stages built FROM an earlier stage. */
function perStage<T>(input: Parameters<BuildkitCheck>[0], init: () => T, copy: (t: T) => T, visit: (ins: DockerfileInstruction, state: T, out: BuildkitWarning[]) => void): BuildkitWarning[] {
  const states: T[] = [];
  const out: BuildkitWarning[] = [];
  for (const stage of input.model.stages) {
    const base = stage.baseStage !== undefined ? states[stage.baseStage] : undefined;
    const state = base !== undefined ? copy(base) : init();
    for (const ins of stageInstructions(input, stage.index)) visit(ins, state, out);
    states[stage.index] = state;
  }
  return out;
}

export const jsonArgsRecommended: BuildkitCheck = (input) =>
  perStage(input, () => ({ shell: false }), (s) => ({ ...s }), (ins, state, out) => {
    if (ins.keyword === 'SHELL') state.shell = true;
    // An explicit SHELL says the shell form is intended (the rule's documented escape hatch).
    if ((ins.keyword === 'CMD' || ins.keyword === 'ENTRYPOINT') && !ins.json && !state.shell) {
      out.push(warn('JSONArgsRecommended', ins, `JSON arguments recommended for ${ins.written} to prevent unintended behavior related to OS signals`));
    }
  });

export const consistentInstructionCasing: BuildkitCheck = (input) => {
  const counted = input.instructions.filter((i) => i.stage >= 0 && KNOWN_INSTRUCTIONS.has(i.keyword));
  let lower = 0;
  let upper = 0;
  for (const i of counted) {
    if (i.written === i.written.toLowerCase()) lower++;
    else if (i.written === i.written.toUpperCase()) upper++;
  }
  const majorityLower = lower > upper;
  const out: BuildkitWarning[] = [];
  for (const i of counted) {
    const casing = majorityLower ? (i.written !== i.written.toLowerCase() ? 'lowercase' : '') : i.written !== i.written.toUpperCase() ? 'uppercase' : '';
    if (casing) out.push(warn('ConsistentInstructionCasing', i, `Command '${i.written}' should match the case of the command majority (${casing})`));
  }
  return out;
};

export const legacyKeyValueFormat: BuildkitCheck = (input) =>
  input.instructions
    .filter((i) => (i.keyword === 'ENV' || i.keyword === 'LABEL') && i.props?.some((p) => p.legacy))
    .map((i) => warn('LegacyKeyValueFormat', i, `"${i.written} key=value" should be used instead of legacy "${i.written} key value" format`));

export const workdirRelativePath: BuildkitCheck = (input) =>
  perStage(input, () => ({ absolute: false }), (s) => ({ ...s }), (ins, state, out) => {
    if (ins.keyword !== 'WORKDIR') return;
    const path = ins.args.replace(/^["']|["']$/g, '');
    if (/^(?:\/|[A-Za-z]:[\\/]|\$)/.test(path)) {
      // A path starting with a variable is judged by its value, which is not known here.
      if (!path.startsWith('$')) state.absolute = true;
      return;
    }
    if (!state.absolute) out.push(warn('WorkdirRelativePath', ins, `Relative workdir ${quote(path)} can have unexpected results if the base image changes`));
  });

export const multipleInstructionsDisallowed: BuildkitCheck = (input) =>
  perStage(input, () => new Map<string, DockerfileInstruction>(), () => new Map(), (ins, last, out) => {
    if (ins.keyword !== 'CMD' && ins.keyword !== 'ENTRYPOINT' && ins.keyword !== 'HEALTHCHECK') return;
    const prev = last.get(ins.keyword);
    // BuildKit reports the earlier one: it is the instruction that will be ignored.
    if (prev) out.push(warn('MultipleInstructionsDisallowed', prev, `Multiple ${ins.written} instructions should not be used in the same stage because only the last one will be used`));
    last.set(ins.keyword, ins);
  });

export const exposeFormat: BuildkitCheck = (input) => {
  const out: BuildkitWarning[] = [];
  for (const ins of input.instructions) {
    if (ins.keyword !== 'EXPOSE') continue;
    for (const port of splitWords(ins.args, input.escape)) {
      if (port.includes('$')) continue;
      if (port.includes(':')) {
        out.push(warn('ExposeInvalidFormat', ins, `EXPOSE instruction should not define an IP address or host-port mapping, found '${port}'`));
      }
      const proto = port.split('/')[1];
      if (proto !== undefined && proto !== proto.toLowerCase()) {
        out.push(warn('ExposeProtoCasing', ins, `Defined protocol '${port}' in EXPOSE instruction should be lowercase`));
      }
    }
  }
  return out;
};
