// `ci-medic lint [PATH...] [--format text|json|codequality] [--rules DIR] [--config FILE] [--build-arg NAME=VALUE]...`
// Lints checkout folders (their .gitlab-ci.yml, local includes and Dockerfiles) or single files,
// with the settings of each checkout (`.gitlab/ci-medic.yml`, or `--config FILE` for all).
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { CliCommand, CliIo } from './io.js';
import { UsageError } from './io.js';
import type { Finding, TextEdit } from '../analysis/types.js';
import type { CiConfig } from '../analysis/ci-config/types.js';
import type { DockerfileModel } from '../analysis/dockerfile/types.js';
import type { RuleMeta } from '../analysis/rules/types.js';
import { loadCiConfig } from '../analysis/ci-config/index.js';
import { parseDockerfile } from '../analysis/dockerfile/parse.js';
import { isDockerfilePath } from '../analysis/dockerfile/paths.js';
import { loadAllRules, buildCheckContext, runStaticChecks, jobBuilds, dockerfilePathOf } from '../analysis/rules/index.js';
import { renderText } from '../report/text.js';
import { renderJson } from '../report/json.js';
import { renderCodeQuality } from '../report/codequality.js';
import { folderSource, readRepoFile, walkFiles } from './lint-source.js';
import { verifyFixes, reanalysisOf } from '../analysis/fixes/round-trip.js';
import { applySettings, parseSettings, settingsFindings, SETTINGS_PATH, type ProjectSettings } from '../analysis/settings.js';
import { asFragment } from '../analysis/rules/run.js';

export const USAGE = 'usage: ci-medic lint [PATH...] [--format text|json|codequality] [--rules DIR] [--config FILE] [--build-arg NAME=VALUE]...';

type Format = 'text' | 'json' | 'codequality';

export interface LintArgs {
  paths: string[];
  format: Format;
  rulesDirs: string[];
  buildArgs: Map<string, string>;
  /** Settings file used for every root instead of its `.gitlab/ci-medic.yml`. */
  config?: string;
}

export function parseLintArgs(argv: string[]): LintArgs {
  const args: LintArgs = { paths: [], format: 'text', rulesDirs: [], buildArgs: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const value = (): string => {
      if (eq > 0) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value. ${USAGE}`);
      return v;
    };
    if (flag === '--format') {
      const f = value();
      if (f !== 'text' && f !== 'json' && f !== 'codequality') throw new UsageError(`unknown format '${f}' (text, json or codequality). ${USAGE}`);
      args.format = f;
    } else if (flag === '--config') {
      args.config = value();
    } else if (flag === '--rules') {
      args.rulesDirs.push(value());
    } else if (flag === '--build-arg') {
      const v = value();
      const k = v.indexOf('=');
      if (k <= 0) throw new UsageError(`--build-arg wants NAME=VALUE, got '${v}'. ${USAGE}`);
      args.buildArgs.set(v.slice(0, k), v.slice(k + 1));
    } else if (a === '--') {
      args.paths.push(...argv.slice(i + 1));
      break;
    } else if (a.startsWith('-') && a !== '-') {
      throw new UsageError(`unknown option '${a}'. ${USAGE}`);
    } else {
      args.paths.push(a);
    }
  }
  if (args.paths.length === 0) args.paths.push('.');
  return args;
}

/** What one PATH argument holds, ready for the checks. Paths are relative to `root`. */
interface LintUnit {
  root: string;
  ci?: CiConfig;
  dockerfiles: Map<string, DockerfileModel>;
  /** 'fragment': a CI file that no pipeline found includes, judged only on what it can be wrong about. */
  mode?: 'fragment';
  /** Report only findings in this file (a file linted inside the pipelines that include it). */
  only?: string;
}

function isCiYamlName(name: string): boolean {
  return /\.ya?ml$/i.test(name);
}

/** CI files that may start a pipeline: `.gitlab-ci.yml` anywhere, `*.gitlab-ci.yml`, or a top-level `stages:`. */
const ROOT_NAME = /(^|\/|\.)gitlab-ci\.ya?ml$/i;

function looksLikeRoot(path: string, text: string): boolean {
  return /(^|\/)\.gitlab-ci\.ya?ml$/i.test(path) || /^stages\s*:/m.test(text);
}

/** The Dockerfiles jobs build, by path, including ones not named like a Dockerfile. */
async function builtDockerfiles(root: string, ci: CiConfig, known: Map<string, DockerfileModel>): Promise<void> {
  for (const job of [...ci.jobs, ...ci.hiddenJobs]) {
    for (const b of jobBuilds(job, known)) {
      const p = dockerfilePathOf(b.build, known);
      if (p === undefined || known.has(p)) continue;
      const text = await readRepoFile(root, p);
      if (text !== null) known.set(p, parseDockerfile(p, text));
    }
  }
}

/**
 * Every pipeline of a checkout: `.gitlab-ci.yml` at the top first, then every other root CI file
 * that the pipelines before it do not include (a child pipeline, a second project config). A CI
 * file named like a root that no pipeline includes and that does not look like one is a fragment.
 */
async function pipelinesOf(root: string, files: string[]): Promise<LintUnit[]> {
  const units: LintUnit[] = [];
  const included = new Set<string>();
  const candidates = files.filter((p) => ROOT_NAME.test(p)).sort((a, b) => (a === '.gitlab-ci.yml' ? -1 : b === '.gitlab-ci.yml' ? 1 : a < b ? -1 : 1));
  for (const p of candidates) {
    if (included.has(p)) continue;
    const text = await readRepoFile(root, p);
    if (text === null) continue;
    const ci = await loadCiConfig(p, folderSource(root));
    const dockerfiles = new Map<string, DockerfileModel>();
    await builtDockerfiles(root, ci, dockerfiles);
    for (const f of ci.files.keys()) included.add(f);
    units.push({ root, ci, dockerfiles, ...(looksLikeRoot(p, text) ? {} : { mode: 'fragment' as const }) });
  }
  return units;
}

async function folderUnits(root: string): Promise<LintUnit[]> {
  const files = await walkFiles(root);
  const dockerfiles = new Map<string, DockerfileModel>();
  for (const p of files) {
    if (!isDockerfilePath(p)) continue;
    const text = await readRepoFile(root, p);
    if (text !== null) dockerfiles.set(p, parseDockerfile(p, text));
  }
  const units = await pipelinesOf(root, files);
  const main = units.find((u) => u.mode === undefined) ?? units[0];
  // Every Dockerfile of the tree is linted once, with the first pipeline (which also builds most).
  if (main) {
    for (const [p, df] of dockerfiles) if (!main.dockerfiles.has(p)) main.dockerfiles.set(p, df);
  } else units.push({ root, dockerfiles });
  return units;
}

/** The checkout a single file belongs to: the nearest folder above it with .git or .gitlab-ci.yml. */
async function checkoutOf(file: string): Promise<string> {
  let dir = dirname(file);
  for (;;) {
    for (const marker of ['.git', '.gitlab-ci.yml']) {
      try {
        await stat(join(dir, marker));
        return dir;
      } catch { /* keep looking */ }
    }
    const up = dirname(dir);
    if (up === dir) return dirname(file);
    dir = up;
  }
}

async function fileUnits(abs: string): Promise<LintUnit[] | string> {
  const name = basename(abs);
  const root = await checkoutOf(abs);
  const repoPath = relative(root, abs).split(sep).join('/');
  if (isDockerfilePath(repoPath) || isDockerfilePath(name)) {
    const text = await readRepoFile(root, repoPath);
    if (text === null) return `cannot read ${abs}`;
    return [{ root, dockerfiles: new Map([[repoPath, parseDockerfile(repoPath, text)]]) }];
  }
  if (isCiYamlName(name)) {
    const text = await readRepoFile(root, repoPath);
    if (text === null) return `cannot read ${abs}`;
    // An included file is analysed as part of every pipeline that includes it.
    const including = (await pipelinesOf(root, await walkFiles(root))).filter((u) => u.mode === undefined && u.ci?.files.has(repoPath));
    if (including.length > 0) return including.map((u) => ({ ...u, only: repoPath }));
    const dockerfiles = new Map<string, DockerfileModel>();
    const ci = await loadCiConfig(repoPath, folderSource(root));
    await builtDockerfiles(root, ci, dockerfiles);
    return [{ root, ci, dockerfiles, ...(looksLikeRoot(repoPath, text) ? {} : { mode: 'fragment' as const }) }];
  }
  return `${abs}: not a folder, CI YAML file or Dockerfile`;
}

/** Rewrite repository paths as paths relative to the current directory. */
function relocate(f: Finding, root: string, cwd: string): Finding {
  const rel = (p: string): string => relative(cwd, join(root, p)).split(sep).join('/') || '.';
  const out: Finding = { ...f };
  if (f.location) out.location = { ...f.location, path: rel(f.location.path) };
  if (f.fix) out.fix = { ...f.fix, edits: f.fix.edits.map((e: TextEdit) => ({ ...e, path: rel(e.path) })) };
  return out;
}

function compare(a: Finding, b: Finding): number {
  const pa = a.location?.path ?? '';
  const pb = b.location?.path ?? '';
  if (pa !== pb) return pa < pb ? -1 : 1;
  return (a.location?.line ?? 0) - (b.location?.line ?? 0) || a.ruleId.localeCompare(b.ruleId);
}

export interface LintResult {
  findings: Finding[];
  /** Problems reading a PATH (not findings): printed on stderr. */
  errors: string[];
  /** Fixes re-checked by applying them, and those withheld because they did not round-trip. */
  roundTrip: { checked: number; failures: Array<{ ruleId: string; path?: string; line?: number; reason: string }> };
}

export interface LintOptions {
  /** Settings file (cwd-relative) for every root; default: each root's `.gitlab/ci-medic.yml`. */
  config?: string;
}

/** The settings text for a root and the repository-relative path to report its problems at. */
async function settingsFor(root: string, cwd: string, opts: LintOptions): Promise<{ text: string | undefined; path: string; root: string } | string> {
  if (opts.config === undefined) return { text: (await readRepoFile(root, SETTINGS_PATH)) ?? undefined, path: SETTINGS_PATH, root };
  const abs = resolve(cwd, opts.config);
  try {
    return { text: await readFile(abs, 'utf8'), path: basename(abs), root: dirname(abs) };
  } catch (err) {
    return `cannot read --config ${opts.config}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
  }
}

/** The findings of one pipeline (or fragment, or Dockerfile), fixes round-tripped, settings applied, cwd-relative. */
async function lintUnit(
  unit: LintUnit, rules: RuleMeta[], buildArgs: Map<string, string>, settings: ProjectSettings, roundTrip: LintResult['roundTrip'], cwd: string,
): Promise<Finding[]> {
  const ctx = buildCheckContext(unit.ci, unit.dockerfiles, { rules, ...(buildArgs.size ? { cliBuildArgs: buildArgs } : {}) });
  const run = { disabled: settings.disabled };
  const verified = await verifyFixes(ctx, runStaticChecks(ctx, run), reanalysisOf(ctx, run));
  roundTrip.checked += verified.checked;
  for (const x of verified.failures) {
    roundTrip.failures.push({ ruleId: x.ruleId, ...(x.location ? { path: relative(cwd, join(unit.root, x.location.path)), line: x.location.line } : {}), reason: x.reason });
  }
  let out = applySettings(verified.findings, settings);
  if (unit.mode === 'fragment') out = asFragment(out);
  if (unit.only !== undefined) out = out.filter((f) => f.location?.path === unit.only || f.fix?.edits.some((e) => e.path === unit.only));
  return out.map((f) => relocate(f, unit.root, cwd));
}

/** Lint the given paths (relative to cwd); findings carry cwd-relative paths, ordered by file and line. */
export async function lintPaths(paths: string[], cwd: string, rules: RuleMeta[], buildArgs: Map<string, string> = new Map(), opts: LintOptions = {}): Promise<LintResult> {
  const findings: Finding[] = [];
  const errors: string[] = [];
  const roundTrip: LintResult['roundTrip'] = { checked: 0, failures: [] };
  for (const p of paths) {
    const abs = resolve(cwd, p);
    let units: LintUnit[] | string;
    try {
      const s = await stat(abs);
      units = s.isDirectory() ? await folderUnits(abs) : await fileUnits(abs);
    } catch (err) {
      units = `cannot read ${p}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
    }
    if (typeof units === 'string') {
      errors.push(units);
      continue;
    }
    const root = units[0]?.root ?? abs;
    const source = await settingsFor(root, cwd, opts);
    if (typeof source === 'string') {
      errors.push(source);
      continue;
    }
    const { settings, problems } = parseSettings(source.text, new Set(rules.map((r) => r.id)));
    const meta = buildCheckContext(undefined, new Map(), { rules }).meta;
    for (const f of settingsFindings(problems, meta('ci-medic-settings-invalid'), source.path)) findings.push(relocate(f, source.root, cwd));
    const seen = new Set<string>();
    for (const unit of units) {
      for (const f of await lintUnit(unit, rules, buildArgs, settings, roundTrip, cwd)) {
        const key = `${f.ruleId}\u0000${f.location?.path ?? ''}\u0000${f.location?.line ?? 0}\u0000${f.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        findings.push(f);
      }
    }
  }
  return { findings: findings.sort(compare), errors, roundTrip };
}

/** Line texts for Code Quality fingerprints (stable when a finding's line moves). */
async function lineTexts(findings: Finding[], cwd: string): Promise<(path: string, line: number) => string> {
  const cache = new Map<string, string[]>();
  for (const f of findings) {
    const p = f.location?.path;
    if (p === undefined || cache.has(p)) continue;
    try {
      cache.set(p, (await readFile(resolve(cwd, p), 'utf8')).split('\n'));
    } catch {
      cache.set(p, []);
    }
  }
  return (path, line) => cache.get(path)?.[line - 1] ?? '';
}

export async function runLint(argv: string[], io: CliIo): Promise<number> {
  const args = parseLintArgs(argv);
  const extra = [...args.rulesDirs.map((d) => resolve(io.cwd, d)), ...(io.env['RULES_DIR'] ? [resolve(io.cwd, io.env['RULES_DIR'])] : [])];
  const { rules, errors: ruleErrors } = loadAllRules(extra);
  if (ruleErrors.length > 0) {
    for (const e of ruleErrors) io.stderr.write(`ci-medic lint: rule file ${e.path}: ${e.reason}\n`);
    return 2;
  }
  const { findings, errors } = await lintPaths(args.paths, io.cwd, rules, args.buildArgs, args.config !== undefined ? { config: args.config } : {});
  for (const e of errors) io.stderr.write(`ci-medic lint: ${e}\n`);
  if (args.format === 'json') io.stdout.write(renderJson(findings));
  else if (args.format === 'codequality') io.stdout.write(renderCodeQuality(findings, await lineTexts(findings, io.cwd)));
  else io.stdout.write(renderText(findings));
  if (errors.length > 0 && findings.length === 0) return 2;
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

export const lint: CliCommand = runLint;
