// `ci-medic config`: the effective configuration as JSON and YAML, exit codes, and every folder of
// the real-world corpus.
import t from 'tap';
import { mkdtemp, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { parse } from 'yaml';
import { config, parseConfigArgs } from '../../src/cli/config.js';
import { UsageError } from '../../src/cli/io.js';
import { runCommand } from '../../src/cli/capture.js';
import { repoRoot, sharedAvailable, sharedDir } from '../helpers/paths.js';

async function run(argv: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  const r = await runCommand(config, argv, { cwd, throwUsage: true });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

async function checkout(t: { teardown(fn: () => unknown): void }, files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ci-medic-config-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  for (const [p, text] of Object.entries(files)) {
    await mkdir(join(dir, p, '..'), { recursive: true });
    await writeFile(join(dir, p), text);
  }
  return dir;
}

const ROOT = `include:
  - local: ci/templates.yml
stages: [build, test]
variables:
  GLOBAL: g
default:
  image: alpine:3
  before_script:
    - echo default
.vars: &vars
  tags: [docker]
  variables:
    FROM_ANCHOR: a
build:
  extends: .tpl
  <<: *vars
  script:
    - !reference [.snippets, setup]
    - [make, make install]
lone:
  inherit:
    default: false
    variables: false
  stage: test
  needs: [build]
  script: echo alone
.hidden:
  script: never shown
`;
const TEMPLATES = `.tpl:
  stage: build
  services:
    - docker:dind
    - name: postgres:16
      alias: db
  after_script: [echo after]
.snippets:
  setup:
    - echo setup
`;

t.test('json: includes, extends, !reference, anchors, default and inherit applied; origins per script line', async (t) => {
  const dir = await checkout(t, { '.gitlab-ci.yml': ROOT, 'ci/templates.yml': TEMPLATES });
  const { code, out, err } = await run(['--format', 'json'], dir);
  t.equal(code, 0, err);
  const j = JSON.parse(out);
  t.same(j.stages, ['.pre', 'build', 'test', '.post']);
  t.same(j.variables, { GLOBAL: 'g' });
  t.same(Object.keys(j.jobs), ['build', 'lone'], 'visible jobs only');
  const b = j.jobs.build;
  t.equal(b.stage, 'build');
  t.same(b.image, { name: 'alpine:3' });
  t.same(b.services, [{ name: 'docker:dind' }, { name: 'postgres:16', alias: 'db' }]);
  t.same(b.before_script, ['echo default']);
  t.same(b.script, ['echo setup', 'make', 'make install'], 'nested arrays flattened');
  t.same(b.after_script, ['echo after']);
  t.same(b.variables, { GLOBAL: 'g', FROM_ANCHOR: 'a' });
  t.same(b.tags, ['docker']);
  t.equal(b.needs, null);
  t.equal(b.when, 'on_success');
  t.equal(b.allow_failure, false);
  t.same(b.origins.script, [
    { file: 'ci/templates.yml', line: 10 },
    { file: '.gitlab-ci.yml', line: 19 },
    { file: '.gitlab-ci.yml', line: 19 },
  ]);
  t.same(b.origins.before_script, [{ file: '.gitlab-ci.yml', line: 9 }]);
  const l = j.jobs.lone;
  t.equal(l.image, null, 'inherit: default: false drops the default image');
  t.same(l.before_script, []);
  t.same(l.variables, {}, 'inherit: variables: false drops globals');
  t.same(l.needs, ['build']);
});

t.test('yaml: a merged document GitLab-style, parseable, with resolved scripts', async (t) => {
  const dir = await checkout(t, { '.gitlab-ci.yml': ROOT, 'ci/templates.yml': TEMPLATES });
  const { code, out } = await run([dir], '/');
  t.equal(code, 0);
  const doc = parse(out);
  t.same(doc.stages, ['build', 'test']);
  t.same(doc.build.script, ['echo setup', 'make', 'make install']);
  t.same(doc.build.before_script, ['echo default']);
  t.equal(doc.build.image, 'alpine:3');
  t.notOk('.hidden' in doc);
  t.notOk('inherit' in doc.lone);
});

t.test('a single CI file as PATH', async (t) => {
  const dir = await checkout(t, { 'ci/pipeline.yml': 'job:\n  script: [a]\n' });
  const { code, out } = await run(['ci/pipeline.yml', '--format=json'], dir);
  t.equal(code, 0);
  t.same(JSON.parse(out).jobs.job.origins.script, [{ file: 'pipeline.yml', line: 2 }]);
});

t.test('invalid configuration: exit 1 with the problems on stderr, nothing on stdout', async (t) => {
  const dir = await checkout(t, { '.gitlab-ci.yml': 'job:\n  script: x\n  retry:\n    when: foo\n' });
  const { code, out, err } = await run(['--format', 'json'], dir);
  t.equal(code, 1);
  t.equal(out, '');
  t.match(err, '.gitlab-ci.yml:4: error ci-config-invalid jobs:job:retry when unknown values: foo');
});

t.test('usage errors', async (t) => {
  for (const argv of [['--format', 'xml'], ['--nope'], ['a', 'b']]) {
    let thrown: unknown;
    try {
      parseConfigArgs(argv);
    } catch (e) {
      thrown = e;
    }
    t.ok(thrown instanceof UsageError, `${argv.join(' ')} is a usage error`);
  }
  t.same(parseConfigArgs([]), { path: '.', format: 'yaml' });
  const r = spawnSync(process.execPath, [join(repoRoot, 'dist', 'src', 'cli.js'), 'config', '--format', 'xml'], { encoding: 'utf8' });
  t.equal(r.status, 2, 'the CLI exits 2');
  const help = spawnSync(process.execPath, [join(repoRoot, 'dist', 'src', 'cli.js'), 'config', '--help'], { encoding: 'utf8' });
  t.equal(help.status, 0);
  t.match(help.stdout, 'ci-medic config [PATH] [--format yaml|json]');
});

t.test('every folder of the real-world corpus', { skip: sharedAvailable ? false : `${sharedDir} is absent: corpus not checked` }, async (t) => {
  const base = join(sharedDir, 'corpus', 'real-world');
  let printed = 0;
  for (const name of (await readdir(base)).sort()) {
    const dir = join(base, name);
    if (!(await stat(dir)).isDirectory()) continue;
    for (const format of ['json', 'yaml']) {
      const { code, out, err } = await run([dir, '--format', format], '/');
      t.ok(code === 0 || code === 1, `${name} ${format}: exit ${code}`);
      if (code === 0) {
        const doc = format === 'json' ? JSON.parse(out) : parse(out);
        t.ok(doc && typeof doc === 'object', `${name}: ${format} parses`);
        if (format === 'json') {
          for (const job of Object.values(doc.jobs) as { script: string[]; origins: { script: unknown[] } }[]) {
            t.equal(job.origins.script.length, job.script.length);
          }
        }
        printed++;
      } else t.ok(err.length > 0, `${name}: says why`);
    }
  }
  t.ok(printed > 0);
});
