// A container command uses a variable that is empty in this job: a misspelt or removed
// predefined variable, or one defined only in another job's `variables:`.
import { varReferencePattern } from '../../../text/linear.js';
import type { Finding } from '../../types.js';
import type { CiConfig, EffectiveJob } from '../../ci-config/types.js';
import type { StaticCheck } from '../types.js';
import { jobCommands } from '../../shell/index.js';
import { makeFinding, locateInvocation } from '../finding.js';
import { replaceOnLine } from './support/yaml-edits.js';
import { mainInvocations } from './support/jobs.js';
import { PREDEFINED, REMOVED, closestPredefined } from './support/predefined-vars.js';
import { completeJobs } from './support/completeness.js';
import { firstPerKey, lineKey } from './support/first-per-key.js';
import { code } from '../../../text/markdown.js';

export const RULE_ID = 'ci-variable-empty';

const VAR_REF = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;

/** Names the job's own shell assigns (`X=..`, `export X=`, `read X`, `for X in`), or undefined when it sources a file (anything goes). */
function shellAssigned(job: EffectiveJob): Set<string> | undefined {
  const names = new Set<string>();
  for (const jc of jobCommands(job)) {
    const text = jc.cmd.text;
    if (/^(source|\.)\s/.test(text) || /\beval\b/.test(text)) return undefined;
    for (const m of text.matchAll(/(?:^|[\s;(])(?:export\s+|local\s+|declare\s+(?:-\w+\s+)?)?([A-Za-z_][A-Za-z0-9_]*)\+?=/g)) names.add(m[1]!);
    readAndForNames(text, names);
    for (const m of text.matchAll(/\bexport\s+([A-Za-z_][A-Za-z0-9_]*)\s*$/g)) names.add(m[1]!);
  }
  return names;
}

/** Variables a `parallel: matrix:` sets for each instance of the job. */
function matrixVariables(job: EffectiveJob): Set<string> {
  const parallel = job.raw['parallel'];
  const matrix = parallel && typeof parallel === 'object' ? (parallel as { matrix?: unknown }).matrix : undefined;
  const names = new Set<string>();
  if (Array.isArray(matrix)) for (const entry of matrix) if (entry && typeof entry === 'object') for (const k of Object.keys(entry)) names.add(k);
  return names;
}

function definedInOtherJobs(ci: CiConfig, job: EffectiveJob): Map<string, string> {
  const out = new Map<string, string>();
  for (const other of [...ci.jobs, ...ci.hiddenJobs]) {
    if (other.name === job.name || job.extends.includes(other.name)) continue;
    for (const v of Object.values(other.variables)) if (v.scope === 'job' && !out.has(v.name)) out.set(v.name, other.name);
  }
  return out;
}

function hasDotenvReports(ci: CiConfig): boolean {
  return [...ci.jobs, ...ci.hiddenJobs].some((j) => JSON.stringify(j.raw['artifacts'] ?? {}).includes('dotenv'));
}

export const check: StaticCheck = {
  ruleId: RULE_ID,
  run(ctx) {
    const ci = ctx.ci;
    if (!ci) return [];
    const out: Finding[] = [];
    const isFirst = firstPerKey();
    const dotenv = hasDotenvReports(ci);
    for (const job of completeJobs(ci)) {
      const assigned = shellAssigned(job);
      if (!assigned) continue;
      for (const m of matrixVariables(job)) assigned.add(m);
      const elsewhere = dotenv || job.raw['trigger'] !== undefined ? new Map<string, string>() : definedInOtherJobs(ci, job);
      for (const inv of mainInvocations(job)) {
        for (const m of inv.args.join(' ').matchAll(VAR_REF)) {
          const name = m[1]!;
          if (PREDEFINED.has(name) || job.variables[name] || ci.globalVariables[name] || assigned.has(name)) continue;
          let message: string | undefined;
          let replacement: string | undefined;
          if (REMOVED[name]) {
            replacement = REMOVED[name];
            message = `Job ${code(job.name)} uses ${code(`$${name}`)}, which GitLab no longer sets (it is empty); use ${code(`$${replacement}`)}.`;
          } else if (name.startsWith('CI_') && (replacement = closestPredefined(name)) !== undefined) {
            message = `Job ${code(job.name)} uses ${code(`$${name}`)}, which is not a GitLab variable and is empty here; did you mean ${code(`$${replacement}`)}?`;
          } else if (elsewhere.has(name)) {
            message = `Job ${code(job.name)} uses ${code(`$${name}`)}, which is defined only in job ${code(elsewhere.get(name) ?? '')}'s \`variables:\`, so it is empty in this job. Define it globally or in this job.`;
          }
          if (!message) continue;
          const loc = locateInvocation(ci, inv);
          if (!isFirst(`${job.name}@${lineKey(loc)}:${name}`)) continue;
          const edit = replacement ? replaceOnLine(ci, loc.path, loc.line, varReferencePattern(name), `$$$1${replacement}`) : undefined;
          out.push(makeFinding(ctx, RULE_ID, {
            message,
            location: loc,
            evidence: { job: job.name, variable: name },
            ...(edit ? { fix: { description: `Use ${code(`$${replacement}`)}`, edits: [edit] } } : {}),
          }));
        }
      }
    }
    return out;
  },
};

/**
 * Names set by `read [-opts] NAME` and `for NAME`, word by word: the regex
 * `/\b(?:read(?:\s+-\w+)*|for)\s+NAME/` is quadratic on `read -x read -x ...`.
 */
function readAndForNames(text: string, names: Set<string>): void {
  const words = text.split(/\s+/);
  for (let i = 0; i < words.length - 1; i++) {
    const w = words[i]!;
    const kw = w.endsWith('read') ? 'read' : w.endsWith('for') ? 'for' : undefined;
    if (!kw || /\w/.test(w.charAt(w.length - kw.length - 1))) continue;
    let j = i + 1;
    if (kw === 'read') while (j < words.length - 1 && /^-\w+$/.test(words[j]!)) j++;
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(words[j]!);
    if (name) names.add(name[0]);
  }
}
