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

/** Instructions of one stage, FROM excluded. */
export function stageInstructions(input: LintInput, stage: number): DockerfileInstruction[] {
  return input.instructions.filter((i) => i.stage === stage && i.keyword !== 'FROM');
}

export function fromInstruction(input: LintInput, stage: number): DockerfileInstruction | undefined {
  return input.instructions.find((i) => i.stage === stage && i.keyword === 'FROM');
}
