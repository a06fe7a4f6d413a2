// A diagnosis only offers a patch that ci-medic's own lint accepts: each fix is applied to the
// job's files, the files are resolved again (includes, extends, !reference) and the static checks
// re-run. A fix that leaves its own finding in place, or adds any other, is dropped and the
// finding says why; the cause it names still stands.
import { resolveCiConfigFromFiles } from '../ci-config/load.js';
import type { CiConfig } from '../ci-config/types.js';
import { parseDockerfile } from '../dockerfile/parse.js';
import type { DockerfileModel } from '../dockerfile/types.js';
import { splitLines } from '../fixes/diff.js';
import { applyEdits } from '../fixes/render.js';
import { buildCheckContext } from '../rules/context.js';
import { runStaticChecks } from '../rules/run.js';
import type { RuleMeta } from '../rules/types.js';
import type { Finding, Fix } from '../types.js';
import type { Diagnosis } from './diagnose-job.js';

export interface VerifyInput {
  rules: readonly RuleMeta[];
  ci?: CiConfig;
  dockerfiles?: Map<string, DockerfileModel>;
  jobName?: string;
}

/** Findings per rule id (per job where the finding names one): line numbers move when a fix is applied. */
function tally(findings: readonly Finding[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of findings) out.set(f.ruleId, (out.get(f.ruleId) ?? 0) + 1);
  return out;
}

async function lint(ci: CiConfig | undefined, dockerfiles: Map<string, DockerfileModel>, input: VerifyInput): Promise<Finding[]> {
  const ctx = buildCheckContext(ci, dockerfiles, { rules: [...input.rules] });
  const job = input.jobName !== undefined && ci?.jobs.some((j) => j.name === input.jobName) ? { jobName: input.jobName } : {};
  return runStaticChecks(ctx, job);
}

function applied(text: string, fix: Fix, path: string): string {
  const edits = fix.edits.filter((e) => e.path === path);
  return applyEdits(splitLines(text), edits).join('\n') + (text.endsWith('\n') ? '\n' : '');
}

/** Lines (1-based, in the patched file) that the fix wrote, per path. */
function writtenLines(fix: Fix): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  for (const path of new Set(fix.edits.map((e) => e.path))) {
    const lines = new Set<number>();
    let shift = 0;
    for (const e of fix.edits.filter((x) => x.path === path).sort((a, b) => a.startLine - b.startLine)) {
      const start = e.startLine + shift;
      for (let i = 0; i < e.newLines.length; i++) lines.add(start + i);
      shift += e.newLines.length - (e.endLine - e.startLine + 1);
    }
    out.set(path, lines);
  }
  return out;
}

export interface FixCheck {
  /** Why the fix cannot be offered. */
  problem?: string;
  /** Rules that report elsewhere once the fix makes the files resolvable: existing problems it uncovers. */
  uncovers?: string[];
}

/** Whether the fix passes the lint round trip. */
export async function checkFix(finding: Finding, input: VerifyInput, before: Finding[]): Promise<FixCheck> {
  const fix = finding.fix!;
  const ciFiles = new Map(input.ci?.files ?? []);
  const dockerfiles = new Map(input.dockerfiles ?? []);
  const paths = [...new Set(fix.edits.map((e) => e.path))];
  for (const path of paths) {
    const df = dockerfiles.get(path);
    if (ciFiles.has(path)) ciFiles.set(path, applied(ciFiles.get(path)!, fix, path));
    else if (df) dockerfiles.set(path, parseDockerfile(path, applied(df.text, fix, path)));
    else return { problem: `the patch edits ${path}, a file ci-medic has not read` };
  }
  let ci = input.ci;
  if (input.ci && paths.some((p) => input.ci!.files.has(p))) {
    const entry = [...input.ci.files.keys()][0] ?? '.gitlab-ci.yml';
    ci = await resolveCiConfigFromFiles(ciFiles, entry);
  }
  const found = await lint(ci, dockerfiles, input);
  const after = tally(found);
  const was = tally(before);
  if ((after.get(finding.ruleId) ?? 0) >= (was.get(finding.ruleId) ?? 0) && (was.get(finding.ruleId) ?? 0) > 0) {
    return { problem: `applied, the patch leaves ${finding.ruleId} in place` };
  }
  const written = writtenLines(fix);
  const uncovers = new Set<string>();
  for (const [rule, n] of after) {
    if (n <= (was.get(rule) ?? 0)) continue;
    const extra = found.filter((f) => f.ruleId === rule);
    // A finding on a line the patch wrote is the patch's own fault; one elsewhere is a problem
    // the files already had, visible now that the patched references resolve.
    if (extra.some((f) => f.location && written.get(f.location.path)?.has(f.location.line))) {
      return { problem: `applied, the patch adds a ${rule} finding on a line it writes` };
    }
    uncovers.add(rule);
  }
  return uncovers.size ? { uncovers: [...uncovers].sort() } : {};
}

/** Drops every fix that does not pass ci-medic's own lint once applied. */
export async function verifyFixes(d: Diagnosis, input: VerifyInput): Promise<Diagnosis> {
  if (!d.findings.some((f) => f.fix)) return d;
  let before: Finding[];
  try {
    before = await lint(input.ci, new Map(input.dockerfiles ?? []), input);
  } catch {
    return d;
  }
  for (const f of d.findings) {
    if (!f.fix) continue;
    let check: FixCheck;
    try {
      check = await checkFix(f, input, before);
    } catch (err) {
      check = { problem: `the patched files could not be checked (${(err as Error).message.slice(0, 200)})` };
    }
    const evidence = (f.evidence ??= {});
    if (check.problem === undefined) {
      evidence.fixVerified = true;
      if (check.uncovers) {
        evidence.fixUncovers = check.uncovers;
        f.message += ` Once the patch is applied, ci-medic's lint also reports ${check.uncovers.join(', ')}, which the files already had.`;
      }
      continue;
    }
    delete f.fix;
    evidence.fixVerified = false;
    evidence.fixDropped = check.problem;
    f.message += ` ci-medic's patch for it was left out: ${check.problem}.`;
  }
  return d;
}
