// BuildKit checks on stage names and the FROM/AS keywords.
import { type BuildkitCheck, type BuildkitWarning, fromInstruction, quote, warn } from './context.js';

const RESERVED = new Set(['scratch', 'context']);

function selfConsistent(s: string): boolean {
  return s === s.toLowerCase() || s === s.toUpperCase();
}

export const stageNames: BuildkitCheck = (input) => {
  const out: BuildkitWarning[] = [];
  const seen = new Set<string>();
  for (const stage of input.model.stages) {
    const ins = fromInstruction(input, stage.index);
    if (!ins || stage.name === undefined) continue;
    const lower = stage.name.toLowerCase();
    if (stage.name !== lower) out.push(warn('StageNameCasing', ins, `Stage name '${stage.name}' should be lowercase`));
    if (RESERVED.has(lower)) out.push(warn('ReservedStageName', ins, `Stage name should not use the same name as reserved stage ${quote(lower)}`));
    if (seen.has(lower)) out.push(warn('DuplicateStageName', ins, `Duplicate stage name ${quote(lower)}, stage names should be unique`));
    seen.add(lower);
  }
  return out;
};

export const fromAsCasing: BuildkitCheck = (input) => {
  const out: BuildkitWarning[] = [];
  for (const stage of input.model.stages) {
    const ins = fromInstruction(input, stage.index);
    const from = stage.fromKeyword;
    const as = stage.asKeyword;
    // A FROM keyword of mixed case is ConsistentInstructionCasing's business, not this rule's.
    if (!ins || !from || !as || !selfConsistent(from)) continue;
    const ok = from === from.toLowerCase() ? as === as.toLowerCase() : as === as.toUpperCase();
    if (!ok) out.push(warn('FromAsCasing', ins, `'${as}' and '${from}' keywords' casing do not match`));
  }
  return out;
};
