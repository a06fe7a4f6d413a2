// "Every suggestion round-trips": a fix is applied to the files it edits, the same checks run
// again on the result, and the fix is offered only when its finding is gone and no finding
// appeared that was not there before. Pure: the files come from the context itself (every CI
// file read and every Dockerfile), the configuration is re-read from them in memory.
import type { Finding, TextEdit } from '../types.js';
import type { CheckContext } from '../rules/types.js';
import { loadCiConfig, sourceFromFiles } from '../ci-config/index.js';
import { parseDockerfile } from '../dockerfile/parse.js';
import { buildCheckContext } from '../rules/context.js';
import { runStaticChecks, type RunOptions } from '../rules/run.js';

/** The end-of-line a file uses: fixes write their lines with it. */
export function eolOf(text: string): '\r\n' | '\n' {
  const lf = text.indexOf('\n');
  return lf > 0 && text[lf - 1] === '\r' ? '\r\n' : '\n';
}

/** A fix's lines carry no line terminator: the file's own is added when it is applied. */
export function withoutLineEnds(edit: TextEdit): TextEdit {
  return edit.newLines.some((l) => /[\r\n]/.test(l)) ? { ...edit, newLines: edit.newLines.map((l) => l.replace(/\r$/, '')) } : edit;
}

/** Apply one file's edits (bottom-up, so line numbers stay those of the original file), keeping its line ends. */
export function applyToText(text: string, edits: readonly TextEdit[]): string {
  const eol = eolOf(text);
  const trailing = text.endsWith('\n');
  const lines = text.split(/\r?\n/);
  if (trailing) lines.pop();
  for (const e of [...edits].sort((a, b) => b.startLine - a.startLine)) {
    lines.splice(e.startLine - 1, Math.max(0, e.endLine - e.startLine + 1), ...e.newLines.map((l) => l.replace(/\r$/, '')));
  }
  return lines.join(eol) + (trailing ? eol : '');
}

/** Every file the context holds, by repository path (CI files, then Dockerfiles). */
export function filesOf(ctx: CheckContext): Map<string, string> {
  const files = new Map<string, string>(ctx.ci?.files ?? []);
  for (const [p, df] of ctx.dockerfiles) files.set(p, df.text);
  return files;
}

/** Apply a fix to a file map; undefined when an edit targets a file that is not there or a line out of range. */
export function applyFixToFiles(files: ReadonlyMap<string, string>, edits: readonly TextEdit[]): Map<string, string> | undefined {
  const out = new Map(files);
  const byPath = new Map<string, TextEdit[]>();
  for (const e of edits) byPath.set(e.path, [...(byPath.get(e.path) ?? []), e]);
  for (const [path, es] of byPath) {
    const text = files.get(path);
    if (text === undefined) return undefined;
    const count = text.split('\n').length;
    if (es.some((e) => e.startLine < 1 || e.startLine > count + 1 || e.endLine > count)) return undefined;
    // Two edits touching the same lines are ambiguous: refuse rather than guess.
    const sorted = [...es].sort((a, b) => a.startLine - b.startLine);
    for (let i = 1; i < sorted.length; i++) if (sorted[i]!.startLine <= sorted[i - 1]!.endLine) return undefined;
    out.set(path, applyToText(text, es));
  }
  return out;
}

export interface Reanalysis {
  /** Entry CI file (undefined: Dockerfiles only). */
  ciPath?: string;
  dockerfilePaths: string[];
  runOptions?: RunOptions;
}

/** Run the checks on a file map the way the context was built: same entry file, same Dockerfiles, same metadata. */
export async function analyseFiles(ctx: CheckContext, files: ReadonlyMap<string, string>, how: Reanalysis): Promise<Finding[]> {
  const ci = how.ciPath !== undefined ? await loadCiConfig(how.ciPath, sourceFromFiles(new Map(files))) : undefined;
  const dockerfiles = new Map();
  for (const p of how.dockerfilePaths) {
    const text = files.get(p);
    if (text !== undefined) dockerfiles.set(p, parseDockerfile(p, text));
  }
  const rebuilt = buildCheckContext(ci, dockerfiles, ctx.cliBuildArgs ? { cliBuildArgs: ctx.cliBuildArgs } : {});
  const { ruleIds: _only, jobName: _job, ...wide } = how.runOptions ?? {};
  return runStaticChecks({ ...rebuilt, meta: ctx.meta }, wide);
}

/**
 * Where a finding sits in the ORIGINAL files: a line after an edit moves back by the lines the edit
 * added; a line inside an edited range maps to the range's start (its text changed on purpose).
 */
function originalLine(line: number, edits: readonly TextEdit[]): number {
  let shift = 0;
  for (const e of [...edits].sort((a, b) => a.startLine - b.startLine)) {
    const removed = Math.max(0, e.endLine - e.startLine + 1);
    const newStart = e.startLine + shift;
    const newEnd = newStart + e.newLines.length - 1;
    if (line < newStart) break;
    if (line <= newEnd) return e.startLine;
    shift += e.newLines.length - removed;
  }
  return line - shift;
}

function placeKey(f: Finding, edits: readonly TextEdit[], mapBack: boolean): string {
  const path = f.location?.path ?? '';
  let line = f.location?.line ?? 0;
  const mine = edits.filter((e) => e.path === path);
  if (mapBack && line > 0) line = originalLine(line, mine);
  else if (!mapBack && line > 0) {
    // Before the fix: a finding on a line the fix rewrites is keyed like the rewritten lines.
    const hit = mine.find((e) => line >= e.startLine && line <= e.endLine);
    if (hit) line = hit.startLine;
  }
  return `${f.ruleId}\u0000${path}\u0000${line}`;
}

function countKeys(findings: readonly Finding[], key: (f: Finding) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of findings) m.set(key(f), (m.get(key(f)) ?? 0) + 1);
  return m;
}

/** Why a fix fails the round trip, or undefined when it holds. */
export function roundTripFailure(target: Finding, before: readonly Finding[], after: readonly Finding[], edits: readonly TextEdit[]): string | undefined {
  const was = countKeys(before, (f) => placeKey(f, edits, false));
  const now = countKeys(after, (f) => placeKey(f, edits, true));
  const own = placeKey(target, edits, false);
  if ((now.get(own) ?? 0) >= (was.get(own) ?? 0)) return `the finding is still reported after the fix`;
  for (const [k, n] of now) {
    if (n > (was.get(k) ?? 0)) {
      const [rule, path, line] = k.split('\u0000');
      return `the fix adds ${rule} at ${path}:${line}`;
    }
  }
  return undefined;
}

export interface RoundTripResult {
  findings: Finding[];
  /** Fixes checked and the ones dropped (with why). */
  checked: number;
  failures: Array<{ ruleId: string; location?: Finding['location']; reason: string }>;
}

/** At most this many fixes are re-checked per analysis; fixes beyond it are not offered. */
export const MAX_FIXES_CHECKED = 200;

/**
 * Keep each finding, but drop the fix of any finding whose fix does not round-trip.
 * `before` is the full set the fixes are judged against (findings of every rule, unfiltered).
 */
export async function verifyFixes(ctx: CheckContext, findings: Finding[], how: Reanalysis): Promise<RoundTripResult> {
  const files = filesOf(ctx);
  const result: RoundTripResult = { findings: [], checked: 0, failures: [] };
  let baseline: Finding[] | undefined;
  for (const f of findings) {
    if (!f.fix || f.fix.edits.length === 0) {
      result.findings.push(f);
      continue;
    }
    const edits = f.fix.edits.map(withoutLineEnds);
    let reason: string | undefined;
    if (result.checked >= MAX_FIXES_CHECKED) reason = 'too many fixes to check in one analysis';
    else {
      result.checked++;
      const patched = applyFixToFiles(files, edits);
      if (!patched) reason = 'the fix edits a file or lines that are not there';
      else {
        baseline ??= await analyseFiles(ctx, files, how);
        reason = roundTripFailure(f, baseline, await analyseFiles(ctx, patched, how), edits);
      }
    }
    if (reason === undefined) {
      result.findings.push({ ...f, fix: { ...f.fix, edits } });
      continue;
    }
    result.failures.push({ ruleId: f.ruleId, ...(f.location ? { location: f.location } : {}), reason });
    const { fix: _dropped, ...rest } = f;
    result.findings.push(rest);
  }
  return result;
}

/** How to re-analyse a context: its entry CI file (first file read) and its Dockerfiles. */
export function reanalysisOf(ctx: CheckContext, runOptions?: RunOptions): Reanalysis {
  const entry = ctx.ci ? [...ctx.ci.files.keys()][0] : undefined;
  return {
    ...(entry !== undefined ? { ciPath: entry } : {}),
    dockerfilePaths: [...ctx.dockerfiles.keys()],
    ...(runOptions ? { runOptions } : {}),
  };
}

/** runStaticChecks, then the round trip on every fix it offers. */
export async function runVerifiedChecks(ctx: CheckContext, opts: RunOptions = {}): Promise<RoundTripResult> {
  return verifyFixes(ctx, runStaticChecks(ctx, opts), reanalysisOf(ctx, opts));
}
