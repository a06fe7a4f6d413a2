// What every BuildKit-parity check receives and returns.
import type { DockerfileInstruction, DockerfileModel } from '../types.js';
import type { BuildkitRuleName } from '../buildkit-rules.js';

export interface BuildkitWarning {
  rule: BuildkitRuleName;
  /** 1-based line BuildKit reports (the instruction's first line). */
  line: number;
  message: string;
  /** The instruction the warning is about (per-instruction `# check=skip=` applies to it). */
  instruction?: DockerfileInstruction;
  evidence?: Record<string, unknown>;
}

export interface LintInput {
  model: DockerfileModel;
  instructions: DockerfileInstruction[];
  /** `--build-arg` values (for FROM expansion only, as BuildKit does). */
  buildArgs: Map<string, string>;
  escape: string;
}

export type BuildkitCheck = (input: LintInput) => BuildkitWarning[];

export function warn(rule: BuildkitRuleName, ins: DockerfileInstruction, message: string, evidence?: Record<string, unknown>): BuildkitWarning {
  const w: BuildkitWarning = { rule, line: ins.line, message, instruction: ins };
  if (evidence) w.evidence = evidence;
  return w;
}

/** Go's %q for the ASCII strings these messages quote. */
export function quote(s: string): string {
  return JSON.stringify(s);
}

interface StageIndex {
  body: Map<number, DockerfileInstruction[]>;
  from: Map<number, DockerfileInstruction>;
}

// Checks ask per stage; scanning every instruction each time is quadratic on a hostile file
// with thousands of stages. One index per instruction list keeps it linear.
const stageIndexes = new WeakMap<DockerfileInstruction[], StageIndex>();

function stageIndex(input: LintInput): StageIndex {
  let index = stageIndexes.get(input.instructions);
  if (!index) {
    index = { body: new Map(), from: new Map() };
    for (const i of input.instructions) {
      if (i.keyword === 'FROM') {
        if (!index.from.has(i.stage)) index.from.set(i.stage, i);
      } else {
        const list = index.body.get(i.stage);
        if (list) list.push(i);
        else index.body.set(i.stage, [i]);
      }
    }
    stageIndexes.set(input.instructions, index);
  }
  return index;
}

/** Instructions of one stage, FROM excluded. */
export function stageInstructions(input: LintInput, stage: number): DockerfileInstruction[] {
  return [...(stageIndex(input).body.get(stage) ?? [])];
}

export function fromInstruction(input: LintInput, stage: number): DockerfileInstruction | undefined {
  return stageIndex(input).from.get(stage);
}
