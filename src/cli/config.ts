// `ci-medic config [PATH] [--format yaml|json]`: the effective configuration GitLab would run —
// include:local, extends, !reference, anchors and merge keys, default: and inherit: applied —
// like the pipeline editor's "Full configuration" view. Exit 1 with the problems when invalid.
import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { stringify } from 'yaml';
import type { CliCommand, CliIo } from './io.js';
import { UsageError } from './io.js';
import { loadCiConfig } from '../analysis/ci-config/index.js';
import type { CiConfig, EffectiveJob, ScriptLine } from '../analysis/ci-config/index.js';
import { folderSource } from './lint-source.js';

export const USAGE = 'usage: ci-medic config [PATH] [--format yaml|json]\n\n' +
  'PATH is a checkout folder (default ., its .gitlab-ci.yml) or a CI YAML file. Prints the effective\n' +
  'configuration (includes, extends, !reference, anchors, default: and inherit: applied).\n' +
  'Exit 0 when valid, 1 with the problems when GitLab would reject it, 2 on a usage error.';

type Format = 'yaml' | 'json';

export function parseConfigArgs(argv: string[]): { path: string; format: Format } {
  let path: string | undefined;
  let format: Format = 'yaml';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--format' || a.startsWith('--format=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v !== 'yaml' && v !== 'json') throw new UsageError(`--format wants yaml or json, got '${v ?? ''}'. ${USAGE.split('\n')[0]}`);
      format = v;
    } else if (a.startsWith('-') && a !== '-') {
      throw new UsageError(`unknown option '${a}'. ${USAGE.split('\n')[0]}`);
    } else if (path === undefined) path = a;
    else throw new UsageError(`one PATH at most. ${USAGE.split('\n')[0]}`);
  }
  return { path: path ?? '.', format };
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
}

function named(v: unknown): Record<string, unknown> | null {
  if (typeof v === 'string') return { name: v };
  if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  return null;
}

function origins(lines: ScriptLine[]): { file: string; line: number }[] {
  return lines.map((l) => ({ file: l.pos.path, line: l.pos.line }));
}

/** One visible job as the JSON view shows it. */
export function jobView(job: EffectiveJob): Record<string, unknown> {
  const raw = job.raw;
  const variables: Record<string, string> = {};
  for (const [k, v] of Object.entries(job.variables)) variables[k] = v.value;
  const allowFailure = raw.allow_failure && typeof raw.allow_failure === 'object' ? raw.allow_failure : job.allowFailure;
  return {
    stage: job.stage,
    image: named(raw.image),
    services: asArray(raw.services).map(named).filter((s) => s !== null),
    before_script: job.beforeScript.map((l) => l.command),
    script: job.script.map((l) => l.command),
    after_script: job.afterScript.map((l) => l.command),
    variables,
    needs: raw.needs === undefined || raw.needs === null ? null : asArray(raw.needs),
    when: job.when ?? 'on_success',
    rules: raw.rules === undefined || raw.rules === null ? null : asArray(raw.rules),
    allow_failure: allowFailure,
    tags: job.tags,
    origins: { before_script: origins(job.beforeScript), script: origins(job.script), after_script: origins(job.afterScript) },
  };
}

export function configJson(ci: CiConfig): Record<string, unknown> {
  const variables: Record<string, string> = {};
  for (const [k, v] of Object.entries(ci.globalVariables)) variables[k] = v.value;
  return { stages: ci.stages, variables, jobs: Object.fromEntries(ci.jobs.map((j) => [j.name, jobView(j)])) };
}

/** GitLab-style merged YAML: top-level keys, then every visible job fully resolved. */
export function configYaml(ci: CiConfig): string {
  const doc: Record<string, unknown> = { stages: ci.stages.filter((s) => s !== '.pre' && s !== '.post') };
  const variables: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(ci.globalVariables)) variables[k] = v.expand ? v.value : { value: v.value, expand: false };
  if (Object.keys(variables).length > 0) doc.variables = variables;
  for (const j of ci.jobs) {
    const { inherit: _inherit, ...rest } = j.raw;
    void _inherit;
    doc[j.name] = { ...rest, stage: j.stage, script: j.script.map((l) => l.command) };
    const out = doc[j.name] as Record<string, unknown>;
    if (j.beforeScript.length > 0) out.before_script = j.beforeScript.map((l) => l.command);
    if (j.afterScript.length > 0) out.after_script = j.afterScript.map((l) => l.command);
  }
  return stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });
}

async function locate(path: string, cwd: string): Promise<{ root: string; entry: string }> {
  const abs = resolve(cwd, path);
  let s;
  try {
    s = await stat(abs);
  } catch {
    throw new UsageError(`no such file or folder: ${path}`);
  }
  return s.isDirectory() ? { root: abs, entry: '.gitlab-ci.yml' } : { root: dirname(abs), entry: basename(abs) };
}

export const config: CliCommand = async (argv: string[], io: CliIo): Promise<number> => {
  const args = parseConfigArgs(argv);
  const { root, entry } = await locate(args.path, io.cwd);
  const ci = await loadCiConfig(entry, folderSource(root));
  if (ci.problems.length > 0) {
    for (const p of ci.problems) io.stderr.write(`${p.location ? `${p.location.path}:${p.location.line}: ` : ''}error ${p.ruleId} ${p.message}\n`);
    return 1;
  }
  for (const u of ci.unresolvedIncludes) io.stderr.write(`warning: ${u.kind} include ${u.target} not resolved: ${u.reason}\n`);
  io.stdout.write(args.format === 'json' ? `${JSON.stringify(configJson(ci), null, 2)}\n` : configYaml(ci));
  return 0;
};
