// Entry points: read the entry file and its includes through a CiFileSource, resolve, and
// return the model. Never throws: every problem (including hitting a bound) is a Finding.
import type { Finding } from '../types.js';
import type { CiConfig, CiFileSource, UnresolvedInclude } from './types.js';
import { Budget, BoundExceeded, problem } from './problems.js';
import { loadFile, MAX_INCLUDES } from './includes.js';
import type { IncludeCtx } from './includes.js';
import { emptyModel, resolveModel } from './resolve.js';
import type { ResolvedModel } from './resolve.js';
import { matchIncludeGlob } from './glob.js';
import { code } from '../../text/markdown.js';
import { YAML_FACT_RULES } from './yaml-facts.js';

export interface CiLoadOptions {
  /** Included files per pipeline (GitLab's default instance limit is 150). */
  maxIncludes?: number;
  /** Largest CI file read, in bytes (default 1 MiB). */
  maxFileBytes?: number;
  /** YAML alias expansions allowed per configuration (default 10,000). */
  maxAliasCount?: number;
}

/** Upper bound on values built while resolving one configuration (aliases, extends, !reference). */
const MAX_NODES = 1_000_000;

/** A source whose failures become "cannot read" instead of exceptions. */
function safeSource(source: CiFileSource, failures: string[]): CiFileSource {
  const guard = async <T>(what: string, f: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      failures.push(`${what}: ${String((e as Error)?.message ?? e).slice(0, 200)}`);
      return fallback;
    }
  };
  const safe: CiFileSource = { readLocal: (p) => guard(p, () => source.readLocal(p), null) };
  if (source.listLocal) safe.listLocal = (g) => guard(g, () => source.listLocal!(g), []);
  if (source.readProject) safe.readProject = (pr, p, r) => guard(`${pr}:${p}`, () => source.readProject!(pr, p, r), null);
  return safe;
}

function boundProblem(e: unknown, entryPath: string): Finding {
  if (e instanceof BoundExceeded) return problem(e.code, e.message, e.pos ?? { path: entryPath, line: 1 });
  if (e instanceof RangeError) return problem('nesting-too-deep', 'The configuration nests too deeply to be resolved.', { path: entryPath, line: 1 });
  return problem('internal', `The configuration could not be resolved: ${String((e as Error)?.message ?? e).slice(0, 200)}`, { path: entryPath, line: 1 });
}

export async function loadCiConfig(entryPath: string, source: CiFileSource, opts: CiLoadOptions = {}): Promise<CiConfig> {
  const path = entryPath.replace(/^\/+/, '');
  const problems: Finding[] = [];
  const unresolved: UnresolvedInclude[] = [];
  const files = new Map<string, string>();
  const failures: string[] = [];
  let model: ResolvedModel = emptyModel();
  try {
    const ctx: IncludeCtx = {
      source: safeSource(source, failures),
      budget: new Budget(MAX_NODES, opts.maxAliasCount ?? 10_000),
      problems,
      unresolved,
      files,
      maxIncludes: opts.maxIncludes ?? MAX_INCLUDES,
      maxFileBytes: opts.maxFileBytes ?? 1024 * 1024,
      count: 0,
      seen: new Set([path]),
      limitReported: false,
    };
    const tree = await loadFile({ kind: 'local' }, path, ctx, 0, {});
    if (tree === null) problems.push(problem('include-missing', `The CI configuration ${code(path)} does not exist at this commit.`, { path, line: 1 }));
    else model = resolveModel(tree, problems, ctx.budget);
  } catch (e) {
    model = emptyModel();
    problems.push(boundProblem(e, path));
  }
  for (const f of failures) unresolved.push({ kind: 'unknown', target: f.split(':')[0] ?? f, reason: `reading failed (${f})` });
  // YAML facts travel with the problems while files are read; they are warnings of their own rules.
  const yamlFacts = problems.filter((f) => YAML_FACT_RULES.has(f.ruleId));
  const invalid = problems.filter((f) => !YAML_FACT_RULES.has(f.ruleId));
  problems.length = 0;
  problems.push(...invalid);
  const config: CiConfig = { files, ...model, unresolvedIncludes: unresolved, problems };
  if (yamlFacts.length > 0) config.yamlFacts = yamlFacts;
  if (unresolved.length > 0) {
    config.problems = problems.filter((f) => !MAYBE_FROM_UNRESOLVED.has(String(f.evidence?.code)));
    config.uncertainProblems = problems.filter((f) => MAYBE_FROM_UNRESOLVED.has(String(f.evidence?.code)));
  }
  return config;
}

/** Problem codes an unresolved include could explain (it may define the missing job, key or stage). */
const MAYBE_FROM_UNRESOLVED = new Set([
  'extends-missing', 'reference-missing', 'needs-missing', 'missing-script', 'unknown-stage',
  'needs-later-stage', 'dependency-missing', 'dependency-later-stage', 'no-visible-job', 'on-stop-invalid',
]);

/** A CiFileSource over an in-memory snapshot (tests, the CLI over a checkout already read). */
export function sourceFromFiles(files: Map<string, string>): CiFileSource {
  const norm = (p: string): string => p.replace(/^\/+/, '');
  const byPath = new Map([...files].map(([k, v]) => [norm(k), v]));
  return {
    readLocal: async (p) => byPath.get(norm(p)) ?? null,
    listLocal: async (glob) => matchIncludeGlob(glob, byPath.keys()),
  };
}

export function resolveCiConfigFromFiles(files: Map<string, string>, entryPath = '.gitlab-ci.yml'): Promise<CiConfig> {
  return loadCiConfig(entryPath, sourceFromFiles(files));
}
