// `ci-medic diagnose LOGFILE|- [--ci-config FILE] [--dockerfile FILE] [--job NAME]
//  [--format text|json|markdown] [--rules DIR]...`: explain a saved job log offline, with the
// same scanner, diagnosis and comment renderer the service uses.
import { constants, createReadStream } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import { loadCiConfig } from '../analysis/ci-config/load.js';
import type { CiConfig, CiFileSource } from '../analysis/ci-config/types.js';
import { diagnoseJob, inferJob, verifyFixes, withEvidencePatterns, type Diagnosis } from '../analysis/diagnose/index.js';
import { parseDockerfile } from '../analysis/dockerfile/parse.js';
import type { DockerfileModel } from '../analysis/dockerfile/types.js';
import { scanLog, type ScanOptions } from '../analysis/log/scan.js';

/** MAX_LOG_BYTES_PER_JOB's default, as in the service (src/config.ts). */
const DEFAULT_MAX_LOG_BYTES = 100 * 1024 * 1024;
import { jobBuilds } from '../analysis/rules/context.js';
import { builtinRulesDir, loadRuleFiles } from '../analysis/rules/load-files.js';
import type { RuleMeta } from '../analysis/rules/types.js';
import { renderDiagnosis } from '../report/markdown/diagnosis.js';
import { renderText } from './diagnose-text.js';
import { UsageError, type CliCommand, type CliIo } from './io.js';

export const USAGE =
  'usage: ci-medic diagnose LOGFILE|- [--ci-config FILE] [--dockerfile FILE] [--job NAME] [--format text|json|markdown] [--rules DIR]';
const FORMATS = ['text', 'json', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

interface Options {
  log: string;
  ciConfig?: string;
  dockerfile?: string;
  job?: string;
  format: Format;
  rulesDirs: string[];
}

function parseArgs(argv: string[]): Options {
  let log: string | undefined;
  const o: Partial<Options> & { rulesDirs: string[] } = { rulesDirs: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      const v = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    switch (flag) {
      case '--ci-config': o.ciConfig = value(); break;
      case '--dockerfile': o.dockerfile = value(); break;
      case '--job': o.job = value(); break;
      case '--rules': o.rulesDirs.push(value()); break;
      case '--format': {
        const f = value();
        if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`unknown format '${f}'\n${USAGE}`);
        o.format = f as Format;
        break;
      }
      case '-h': case '--help': throw new UsageError(USAGE);
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option '${arg}'\n${USAGE}`);
        if (log !== undefined) throw new UsageError(`only one LOGFILE may be given\n${USAGE}`);
        log = arg;
    }
  }
  if (log === undefined) throw new UsageError(`a LOGFILE (or - for stdin) is required\n${USAGE}`);
  return { ...o, log, format: o.format ?? 'text' };
}

/** Reads the checkout the CI file sits in: local includes resolve against that folder. */
function checkoutSource(root: string): CiFileSource {
  return {
    readLocal: async (p) => {
      const full = resolve(root, p.replace(/^\/+/, ''));
      if (relative(root, full).startsWith('..')) return null;
      try {
        return await readFile(full, 'utf8');
      } catch {
        return null;
      }
    },
  };
}

/** The repository path the job's build reads its Dockerfile from, so the given file stands in for it. */
function dockerfileKey(ci: CiConfig | undefined, jobName: string | undefined, fallback: string): string {
  const job = ci?.jobs.find((j) => j.name === jobName);
  const build = job ? jobBuilds(job, new Map()).find((b) => b.dockerfilePath !== '') : undefined;
  return build?.dockerfilePath ?? fallback;
}

function loadRules(dirs: string[], io: CliIo): RuleMeta[] | undefined {
  const { rules, errors } = loadRuleFiles([builtinRulesDir(), ...dirs.map((d) => resolve(io.cwd, d))]);
  if (errors.length === 0) return rules;
  for (const e of errors) io.stderr.write(`ci-medic diagnose: rule file ${e.path}: ${e.reason}\n`);
  return undefined;
}

/**
 * The log to scan and how much of its start is skipped: a file longer than MAX_LOG_BYTES_PER_JOB
 * is read from `size - max`, since failures are at the end; stdin is read up to the limit.
 */
async function logInput(log: string, io: CliIo): Promise<[AsyncIterable<Uint8Array | string>, ScanOptions]> {
  const raw = Number(io.env['MAX_LOG_BYTES_PER_JOB']);
  const maxBytes = Number.isInteger(raw) && raw >= 1024 ? raw : DEFAULT_MAX_LOG_BYTES;
  if (log === '-') return [io.stdin as AsyncIterable<Uint8Array | string>, { maxBytes }];
  const full = resolve(io.cwd, log);
  const { size } = await stat(full);
  const skippedBytes = Math.max(0, size - maxBytes);
  return [createReadStream(full, { start: skippedBytes }), { maxBytes, skippedBytes }];
}

export const diagnose: CliCommand = async (argv, io) => {
  const opts = parseArgs(argv);
  const rules = loadRules(opts.rulesDirs, io);
  if (!rules) return 2;
  return diagnoseWithRules(argv, rules, io);
};

/** The command once its rules are loaded (the evaluation loads them once for a whole corpus). */
export async function diagnoseWithRules(argv: string[], rules: RuleMeta[], io: CliIo): Promise<number> {
  const opts = parseArgs(argv);
  // A missing or unreadable input is the invocation's fault: exit 2, as every command does.
  for (const input of [opts.log === '-' ? undefined : opts.log, opts.ciConfig, opts.dockerfile]) {
    if (input === undefined) continue;
    try {
      await access(resolve(io.cwd, input), constants.R_OK);
    } catch (err) {
      io.stderr.write(`ci-medic diagnose: cannot read ${input}: ${(err as NodeJS.ErrnoException).code ?? 'error'}\n`);
      return 2;
    }
  }
  let ci: CiConfig | undefined;
  let root = io.cwd;
  if (opts.ciConfig) {
    const full = resolve(io.cwd, opts.ciConfig);
    root = dirname(full);
    ci = await loadCiConfig(basename(full), checkoutSource(root));
  }
  const [input, scanOpts] = await logInput(opts.log, io);
  const scan = await scanLog(input, withEvidencePatterns(rules), scanOpts);

  const firstCommand = scan.matches.find((m) => m.command)?.command?.text;
  const jobName = opts.job ?? (ci ? inferJob(ci, firstCommand)?.name : undefined);
  const dockerfiles = new Map<string, DockerfileModel>();
  if (opts.dockerfile) {
    const full = resolve(io.cwd, opts.dockerfile);
    const rel = relative(root, full);
    const key = dockerfileKey(ci, jobName, isAbsolute(rel) || rel.startsWith('..') ? opts.dockerfile : rel);
    dockerfiles.set(key, parseDockerfile(key, await readFile(full, 'utf8')));
  }
  const files = {
    ...(ci ? { ci } : {}),
    ...(dockerfiles.size ? { dockerfiles } : {}),
    ...(jobName !== undefined ? { jobName } : {}),
  };
  const result: Diagnosis = await verifyFixes(diagnoseJob({ scan, rules, ...files }), { rules, ...files });
  const fileText = (path: string): string | undefined => ci?.files.get(path) ?? dockerfiles.get(path)?.text;

  if (opts.format === 'json') {
    io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else if (opts.format === 'markdown') {
    const name = jobName ?? basename(opts.log === '-' ? 'stdin' : opts.log);
    io.stdout.write(renderDiagnosis({ pipeline: { id: 0, sha: '' }, jobs: [{ name, id: 0, result }], rules, fileText }));
  } else {
    io.stdout.write(renderText(result, { rules, fileText }));
  }
  return 0;
}

