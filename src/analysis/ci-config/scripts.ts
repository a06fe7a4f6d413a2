// script / before_script / after_script -> ScriptLine[]: a string, a list, or nested lists
// (flattened, at most 10 levels like GitLab), each line keeping the file and lines it is written on.
import type { Finding } from '../types.js';
import type { ScriptLine, ScriptSection, SourcePos, VariableDef } from './types.js';
import type { PNode } from './node.js';
import { problem } from './problems.js';
import type { Budget } from './problems.js';
import { expandVariables } from './variables.js';
import { code } from '../../text/markdown.js';

export const MAX_SCRIPT_NESTING = 10;

const GLOBAL_KEYS = new Set(['before_script', 'after_script', 'script', 'image', 'services', 'variables', 'cache']);

/** Where a value came from, seen from the job that uses it. */
export function originOf(n: PNode, jobName: string): string {
  if (n.via === 'reference') return 'reference';
  if (n.via === 'anchor') return 'anchor';
  if (n.top === undefined || n.top === jobName) return 'job';
  if (n.top === 'default') return 'default';
  if (GLOBAL_KEYS.has(n.top)) return 'top-level';
  return n.top;
}

export interface ScriptCtx {
  jobName: string;
  vars: Record<string, VariableDef>;
  problems: Finding[];
  budget: Budget;
  /** Where to report a malformed script (the job key). */
  jobPos: SourcePos;
}

export function scriptLines(node: PNode | undefined, section: ScriptSection, ctx: ScriptCtx): ScriptLine[] {
  const out: ScriptLine[] = [];
  if (node === undefined) return out;
  let reported = false;
  const bad = (msg: string, pos: SourcePos): void => {
    if (!reported) ctx.problems.push(problem('script-invalid', `${code(ctx.jobName)}: ${section} ${msg}`, pos, { job: ctx.jobName, section }));
    reported = true;
  };
  const visit = (n: PNode, depth: number): void => {
    ctx.budget.node(n.pos);
    if (n.kind === 'seq') {
      if (depth >= MAX_SCRIPT_NESTING) return bad(`nests lists more than ${MAX_SCRIPT_NESTING} levels deep.`, n.pos);
      for (const i of n.items) visit(i, depth + 1);
      return;
    }
    if (n.kind === 'scalar') {
      if (n.value === null) return;
      out.push({ command: n.text, expanded: expandVariables(n.text, ctx.vars), section, pos: n.pos, origin: originOf(n, ctx.jobName) });
      return;
    }
    bad('should be a string or a nested list of strings.', n.pos);
  };
  visit(node, 0);
  return out;
}
