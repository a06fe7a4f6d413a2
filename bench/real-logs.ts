// The real-log corpus (test/fixtures/real-logs/, format in the README): each excerpt diagnosed
// exactly as `ci-medic diagnose --format json` does, its lead compared with the cause the thread
// settled on. Shared by `npm run eval` and the test that holds every passing fixture's lead.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { diagnoseWithRules } from '../src/cli/diagnose.js';
import { builtinRulesDir, loadRuleFiles } from '../src/analysis/rules/load-files.js';
import type { RuleMeta } from '../src/analysis/rules/types.js';
import { runCommand } from '../src/cli/capture.js';

export const DOCKER_FAMILY = new Set(['docker', 'registry', 'dind', 'image']);
export type Kind = 'failure' | 'unknown' | 'negative';
export type Split = 'dev' | 'holdout';

export interface Fixture {
  id: string;
  dir: string;
  source: string;
  expect: string;
  family: string;
  kind: Kind;
  split: Split;
  job?: string;
  ciConfig?: string;
  dockerfile?: string;
}

export interface Outcome {
  fixture: Fixture;
  /** The rule the note leads with, or 'none'. */
  lead: string;
  confidence?: number;
}

export function loadFixtures(dir: string): { fixtures: Fixture[]; errors: string[] } {
  const fixtures: Fixture[] = [];
  const errors: string[] = [];
  if (!existsSync(dir)) return { fixtures, errors };
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.yml') && !n.endsWith('.gitlab-ci.yml')).sort()) {
    const id = name.slice(0, -'.yml'.length);
    try {
      const meta = parse(readFileSync(join(dir, name), 'utf8')) as Record<string, unknown>;
      const str = (k: string): string => {
        const v = meta[k];
        if (typeof v !== 'string' || v === '') throw new Error(`'${k}' is required`);
        return v;
      };
      if (!existsSync(join(dir, `${id}.log`))) throw new Error('no .log file');
      const kind = str('kind');
      const split = str('split');
      if (!['failure', 'unknown', 'negative'].includes(kind)) throw new Error(`kind '${kind}'`);
      if (!['dev', 'holdout'].includes(split)) throw new Error(`split '${split}'`);
      const f: Fixture = { id, dir, source: str('source'), expect: str('expect'), family: str('family'), kind: kind as Kind, split: split as Split };
      if (f.kind !== 'failure' && f.expect !== 'none') throw new Error(`a ${f.kind} must expect none`);
      if (typeof meta.job === 'string') f.job = meta.job;
      if (existsSync(join(dir, `${id}.gitlab-ci.yml`))) f.ciConfig = `${id}.gitlab-ci.yml`;
      if (existsSync(join(dir, `${id}.Dockerfile`))) f.dockerfile = `${id}.Dockerfile`;
      fixtures.push(f);
    } catch (err) {
      errors.push(`${id}: ${(err as Error).message}`);
    }
  }
  return { fixtures, errors };
}

/** Built-in rules plus any extra directories, loaded (and proven linear-time) once. */
export function corpusRules(extraDirs: readonly string[] = [], warn: (message: string) => void = () => {}): RuleMeta[] {
  const { rules, errors } = loadRuleFiles([builtinRulesDir(), ...extraDirs]);
  // Built-in rules are never rejected here (the suite proves them); an extra directory's are
  // reported and the rest evaluated.
  for (const e of errors) warn(`rule file ${e.path}: ${e.reason}`);
  return rules;
}

async function runJson(argv: string[], cwd: string, rules: RuleMeta[]): Promise<{ code: number; out: string; err: string }> {
  const r = await runCommand((args, io) => diagnoseWithRules(args, rules, io), argv, { cwd, throwUsage: true });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

/** Diagnoses one fixture through the CLI path (--ci-config, --dockerfile, --job when the thread shows them). */
export async function evaluate(f: Fixture, rules: RuleMeta[]): Promise<Outcome> {
  const argv = [`${f.id}.log`, '--format', 'json'];
  if (f.ciConfig) argv.push('--ci-config', f.ciConfig);
  if (f.dockerfile) argv.push('--dockerfile', f.dockerfile);
  if (f.job && f.ciConfig) argv.push('--job', f.job);
  let r = await runJson(argv, f.dir, rules);
  // A CI file the loader cannot use must not hide what the log says.
  if (r.code !== 0 && f.ciConfig) r = await runJson(argv.filter((a, i) => a !== '--ci-config' && argv[i - 1] !== '--ci-config'), f.dir, rules);
  if (r.code !== 0) throw new Error(`${f.id}: diagnose exited ${r.code}: ${r.err}`);
  const json = JSON.parse(r.out) as { findings: Array<{ ruleId: string; confidence?: number }> };
  const first = json.findings[0];
  return first ? { fixture: f, lead: first.ruleId, ...(first.confidence !== undefined ? { confidence: first.confidence } : {}) } : { fixture: f, lead: 'none' };
}

export interface Metrics {
  fixtures: number;
  failures: number;
  recall: number;
  dockerFailures: number;
  dockerRecall: number;
  wrongLeads: number;
  wrongLeadRate: number;
  confusion: Array<{ id: string; expect: string; lead: string; kind: Kind; family: string }>;
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

export function metrics(outcomes: readonly Outcome[]): Metrics {
  const failures = outcomes.filter((o) => o.fixture.kind === 'failure');
  const docker = failures.filter((o) => DOCKER_FAMILY.has(o.fixture.family));
  const right = (o: Outcome): boolean => o.lead === o.fixture.expect;
  const wrong = outcomes.filter((o) => o.lead !== 'none' && o.lead !== o.fixture.expect);
  return {
    fixtures: outcomes.length,
    failures: failures.length,
    recall: ratio(failures.filter(right).length, failures.length),
    dockerFailures: docker.length,
    dockerRecall: ratio(docker.filter(right).length, docker.length),
    wrongLeads: wrong.length,
    wrongLeadRate: ratio(wrong.length, outcomes.length),
    confusion: outcomes
      .filter((o) => !right(o))
      .map((o) => ({ id: o.fixture.id, expect: o.fixture.expect, lead: o.lead, kind: o.fixture.kind, family: o.fixture.family })),
  };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

export function formatMetrics(split: string, m: Metrics): string {
  const out = [
    `${split}: ${m.fixtures} fixtures, ${m.failures} with a known cause`,
    `  recall (all known causes):   ${pct(m.recall)}  (${Math.round(m.recall * m.failures)}/${m.failures})`,
    `  recall (Docker family):      ${pct(m.dockerRecall)}  (${Math.round(m.dockerRecall * m.dockerFailures)}/${m.dockerFailures})`,
    `  wrong lead (all fixtures):   ${pct(m.wrongLeadRate)}  (${m.wrongLeads}/${m.fixtures})`,
  ];
  if (m.confusion.length) {
    out.push('  confusion (expected -> led with):');
    for (const c of m.confusion) out.push(`    ${c.id} [${c.kind}, ${c.family}]: ${c.expect} -> ${c.lead}${c.lead !== 'none' ? '  WRONG LEAD' : ''}`);
  }
  return out.join('\n');
}

/** Ids of fixtures whose lead is known not to match yet: the list may only shrink. */
export function readKnownFailing(path: string): string[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter((l) => l !== '');
}
