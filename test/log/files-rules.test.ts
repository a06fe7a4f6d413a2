// The rules seen in both files and logs, on runner logs as GitLab serves them: each rule's
// failing logs (test/fixtures/logs/files-rules/<rule>/match*.log) produce its finding, and with
// the job's .gitlab-ci.yml (and Dockerfile) the finding carries the static check's fix; its
// near miss does not produce it; a successful job produces nothing.
import t from 'tap';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveCiConfigFromFiles } from '../../src/analysis/ci-config/load.js';
import { parseDockerfile } from '../../src/analysis/dockerfile/parse.js';
import { diagnoseJob, type Diagnosis } from '../../src/analysis/diagnose/index.js';
import type { DockerfileModel } from '../../src/analysis/dockerfile/types.js';
import type { CiConfig } from '../../src/analysis/ci-config/types.js';
import { scanLog } from '../../src/analysis/log/scan.js';
import { builtinRules, fixtureStream, fixturesDir } from './helpers.js';

const DIR = 'files-rules';

interface Case {
  rule: string;
  /** A text one of the fix's new lines holds; undefined when the rule's check builds no fix. */
  fixLine?: string;
  /**
   * The rule's log line is printed by a job that still succeeds (a later job fails): a diagnosis
   * of that job names no cause, and the hypothesis is kept, dropped for that reason.
   */
  succeeds?: true;
}

const cases: Case[] = [
  { rule: 'build-arg-not-declared' },
  { rule: 'image-tag-ref-name', fixLine: '"$CI_REGISTRY_IMAGE:$CI_COMMIT_REF_SLUG"' },
  { rule: 'image-name-uppercase', fixLine: '$CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA' },
  { rule: 'dind-unreachable', fixLine: 'tcp://registry.gitlab.com__acme-corp__ci-images__docker:2375' },
  { rule: 'dind-tls-mismatch', fixLine: 'DOCKER_TLS_CERTDIR: ""' },
  { rule: 'docker-cli-missing' },
  { rule: 'registry-login-failed', fixLine: '--password-stdin "$CI_REGISTRY"' },
  { rule: 'registry-push-target-mismatch' },
  { rule: 'ci-variable-empty', fixLine: '$CI_REGISTRY_IMAGE:latest' },
  { rule: 'pages-public-missing', fixLine: '- public', succeeds: true },
];

const rules = builtinRules();

async function diagnose(rel: string, files?: { ci?: CiConfig; dockerfiles?: Map<string, DockerfileModel> }): Promise<Diagnosis> {
  const scan = await scanLog(fixtureStream(rel), rules);
  return diagnoseJob({ scan, rules, ...files });
}

async function jobFiles(rule: string): Promise<{ ci?: CiConfig; dockerfiles?: Map<string, DockerfileModel> }> {
  const dir = join(fixturesDir, DIR, rule);
  const out: { ci?: CiConfig; dockerfiles?: Map<string, DockerfileModel> } = {};
  const ciPath = join(dir, '.gitlab-ci.yml');
  if (existsSync(ciPath)) out.ci = await resolveCiConfigFromFiles(new Map([['.gitlab-ci.yml', readFileSync(ciPath, 'utf8')]]));
  const dfPath = join(dir, 'Dockerfile');
  if (existsSync(dfPath)) out.dockerfiles = new Map([['Dockerfile', parseDockerfile('Dockerfile', readFileSync(dfPath, 'utf8'))]]);
  return out;
}

t.test('a fixture folder for every rule seen in both files and logs', async (t) => {
  const dirs = readdirSync(join(fixturesDir, DIR)).sort();
  t.same(dirs, cases.map((c) => c.rule).sort());
  for (const c of cases) {
    const meta = rules.find((r) => r.id === c.rule);
    t.ok(meta?.seenIn.includes('files') && meta.seenIn.includes('log') && meta.log?.length, `${c.rule} is a files+log rule with patterns`);
  }
});

for (const c of cases) {
  t.test(c.rule, async (t) => {
    const dir = join(fixturesDir, DIR, c.rule);
    const matchLogs = readdirSync(dir).filter((f) => /^match.*\.log$/.test(f)).sort();
    t.ok(matchLogs.includes('match.log'), 'has match.log');

    if (c.succeeds) {
      for (const log of matchLogs) {
        const d = await diagnose(join(DIR, c.rule, log));
        t.same(d.findings, [], `${log}: a job that succeeded gets no cause`);
        t.ok(d.jobSucceeded, `${log}: the diagnosis says the job succeeded`);
        const h = d.hypotheses?.find((x) => x.ruleId === c.rule);
        t.equal(h?.status, 'dropped', `${log}: ${c.rule} was considered and dropped`);
        t.match(h?.against.join(' '), /the job succeeded/);
      }
      return;
    }
    for (const log of matchLogs) {
      const { findings } = await diagnose(join(DIR, c.rule, log));
      const f = findings.find((x) => x.ruleId === c.rule);
      t.ok(f, `${log}: ${c.rule} found (got ${findings.map((x) => x.ruleId).join(', ') || 'nothing'})`);
      t.ok(f?.evidence?.line, `${log}: the finding names its log line`);
    }

    const files = await jobFiles(c.rule);
    t.ok(files.ci, 'has the job\'s .gitlab-ci.yml');
    const { findings } = await diagnose(join(DIR, c.rule, 'match.log'), files);
    const f = findings.find((x) => x.ruleId === c.rule);
    t.ok(f, 'with the files, the finding is still there');
    t.equal(f?.evidence?.job, files.ci?.jobs[0]?.name, 'the job is inferred');
    t.ok(f?.location, 'the finding points at a file');
    if (c.fixLine !== undefined) {
      const newLines = (f?.fix?.edits ?? []).flatMap((e) => e.newLines);
      t.ok(newLines.some((l) => l.includes(c.fixLine!)), `the fix writes ${c.fixLine} (got ${JSON.stringify(newLines)})`);
    } else {
      t.equal(f?.location?.path, '.gitlab-ci.yml', 'no fix: the finding points at the job\'s command');
    }

    const near = await diagnose(join(DIR, c.rule, 'near-miss.log'), files);
    t.notOk(near.findings.some((x) => x.ruleId === c.rule), `near miss: no ${c.rule} (got ${near.findings.map((x) => x.ruleId).join(', ') || 'nothing'})`);
  });
}

t.test('a successful job: no finding at all, with or without files', async (t) => {
  t.same((await diagnose('success.log')).findings, []);
  for (const c of cases) {
    const { findings } = await diagnose('success.log', await jobFiles(c.rule));
    t.same(findings.map((f) => f.ruleId), [], `with ${c.rule}'s files`);
  }
});
