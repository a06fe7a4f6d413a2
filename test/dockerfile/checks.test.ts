// The Dockerfile check modules on a CheckContext: the seed rule's two-part fix, per-job build
// args, the CI-variable rule, and every rules/<id>.yml this area owns.
import t from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CheckContext, JobBuild, RuleMeta } from '../../src/analysis/rules/types.js';
import type { EffectiveJob, ScriptLine } from '../../src/analysis/ci-config/types.js';
import type { DockerBuild } from '../../src/analysis/shell/types.js';
import { parseDockerfile } from '../../src/analysis/dockerfile/parse.js';
import { dockerfileChecks } from '../../src/analysis/rules/checks/dockerfile/index.js';
import { check as seed } from '../../src/analysis/rules/checks/dockerfile/dockerfile-from-undeclared-arg.js';
import { check as noDefault } from '../../src/analysis/rules/checks/dockerfile/dockerfile-from-arg-no-default.js';
import { check as ciVar } from '../../src/analysis/rules/checks/dockerfile/ci-variable-in-dockerfile.js';
import { addBuildArgsEdit } from '../../src/analysis/fixes/build-arg.js';
import { parseRuleYaml } from '../../src/analysis/rules/parse-rule.js';
import { BUILDKIT_RULES } from '../../src/analysis/dockerfile/buildkit-rules.js';

import { repoRoot } from '../helpers/paths.js';
const fixtures = path.join(repoRoot, 'test/fixtures/dockerfile');

const meta = (id: string): RuleMeta => ({ id, title: id, severity: 'error', explain: '', docs: '', seenIn: ['files'], source: '' });

function job(name: string, variables: Record<string, string> = {}): EffectiveJob {
  return {
    name, pos: { path: '.gitlab-ci.yml', line: 1 }, stage: 'build', services: [],
    variables: Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, { name: k, value: v, expand: true, scope: 'job' as const }])),
    beforeScript: [], script: [], afterScript: [], allowFailure: false, tags: [], extends: [], raw: {},
  };
}

function build(line: number, endLine: number, command: string, buildArgs: DockerBuild['buildArgs'] = []): DockerBuild {
  const source: ScriptLine = { command, expanded: command, section: 'script', pos: { path: '.gitlab-ci.yml', line, endLine }, origin: 'job' };
  return { context: '.', tags: [], buildArgs, cacheFrom: [], push: false, invocation: { verb: 'build', tool: 'docker', args: [], source, indexInLine: 0 } };
}

function ctx(dockerfile: string, ci: string, builds: Array<{ job: EffectiveJob; build: DockerBuild }>, cliBuildArgs?: Map<string, string>): CheckContext {
  const model = parseDockerfile('Dockerfile', dockerfile);
  const jbs: JobBuild[] = builds.map((b) => ({ ...b, dockerfilePath: 'Dockerfile', dockerfile: model }));
  const c: CheckContext = {
    dockerfiles: new Map([['Dockerfile', model]]),
    builds: jbs,
    meta,
    ci: { files: new Map([['.gitlab-ci.yml', ci]]), jobs: builds.map((b) => b.job), hiddenJobs: [], stages: [], globalVariables: {}, unresolvedIncludes: [], problems: [] },
  };
  if (cliBuildArgs) c.cliBuildArgs = cliBuildArgs;
  return c;
}

const seedDockerfile = readFileSync(path.join(fixtures, 'seed.Dockerfile'), 'utf8');
const seedCi = readFileSync(path.join(fixtures, 'seed.gitlab-ci.yml'), 'utf8');

t.test('seed: FROM $CI_REGISTRY_IMAGE:$CI_COMMIT_BEFORE_SHA, folded docker build', async (t) => {
  const findings = seed.run(ctx(seedDockerfile, seedCi, [{ job: job('build'), build: build(7, 10, 'docker build . --cache-from $CI_REGISTRY_IMAGE:latest --tag $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA') }]));
  t.equal(findings.length, 1);
  const f = findings[0]!;
  t.equal(f.buildkit, 'UndefinedArgInFrom');
  t.same(f.location, { path: 'Dockerfile', line: 1 });
  t.match(f.message, /FROM argument 'CI_REGISTRY_IMAGE' is not declared/);
  t.match(f.message, /CI variables .* exist in the job's shell, not inside the Dockerfile/);
  t.match(f.message, /--build-arg alone does not help/);
  // The seed's working fix: ARGs WITH defaults before the first FROM, the registry image passed
  // with --build-arg, and the before-SHA tag (absent on a first push) replaced by a stable tag.
  t.same(f.fix?.edits, [
    { path: 'Dockerfile', startLine: 1, endLine: 1, newLines: ['ARG CI_REGISTRY_IMAGE=registry.invalid/set-by-ci', 'ARG BASE_TAG=latest', 'FROM $CI_REGISTRY_IMAGE:$BASE_TAG'] },
    {
      path: '.gitlab-ci.yml', startLine: 10, endLine: 10,
      newLines: ['    --tag $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA', '    --build-arg CI_REGISTRY_IMAGE=$CI_REGISTRY_IMAGE'],
    },
  ]);
});

t.test('seed: the failed fix (--build-arg without ARG) is still reported, without duplicate flags', async (t) => {
  const b = build(7, 10, 'docker build .', [{ name: 'CI_REGISTRY_IMAGE', value: '$CI_REGISTRY_IMAGE' }]);
  const [f] = seed.run(ctx(seedDockerfile, seedCi, [{ job: job('build'), build: b }]));
  t.match(f!.message, /already passes --build-arg CI_REGISTRY_IMAGE/);
  // CI_REGISTRY_IMAGE is already passed and the before-SHA tag is replaced, not passed: no job edit.
  t.notOk(f!.fix!.edits.some((e) => e.path === '.gitlab-ci.yml'));
  t.match(f!.fix!.edits[0]!.newLines, ['ARG CI_REGISTRY_IMAGE=registry.invalid/set-by-ci', 'ARG BASE_TAG=latest', 'FROM $CI_REGISTRY_IMAGE:$BASE_TAG']);
});

t.test('seed near misses: declared ARG, platform ARG, typo gets a rename', async (t) => {
  t.same(seed.run(ctx('ARG CI_REGISTRY_IMAGE=alpine\nARG TAG=latest\nFROM $CI_REGISTRY_IMAGE:$TAG\n', '', [])), []);
  t.same(seed.run(ctx('FROM --platform=$BUILDPLATFORM golang:1.22\n', '', [])), []);
  const [typo] = seed.run(ctx('FROM --platform=$BULIDPLATFORM golang:1.22\n', '', []));
  t.same(typo!.fix!.edits, [{ path: 'Dockerfile', startLine: 1, endLine: 1, newLines: ['FROM --platform=$BUILDPLATFORM golang:1.22'] }]);
});

t.test('seed: a non-CI variable gets an ARG with default but no --build-arg the job cannot fill', async (t) => {
  const ci = 'build:\n  script:\n    - docker build -t app . && docker push app\n';
  const [f] = seed.run(ctx('FROM node:${NODE_TAG}\n', ci, [{ job: job('build'), build: build(3, 3, 'docker build -t app .') }]));
  t.same(f!.fix!.edits, [{ path: 'Dockerfile', startLine: 1, endLine: 0, newLines: ['ARG NODE_TAG=latest'] }]);
});

t.test('addBuildArgsEdit: one line, before && and inside quotes', async (t) => {
  const ci = 'b:\n  script:\n    - docker build -t $IMG . && docker push $IMG\n    - "docker build ."\n';
  t.same(addBuildArgsEdit(ci, build(3, 3, ''), ['CI_COMMIT_SHA']), {
    path: '.gitlab-ci.yml', startLine: 3, endLine: 3, newLines: ['    - docker build -t $IMG . --build-arg CI_COMMIT_SHA=$CI_COMMIT_SHA && docker push $IMG'],
  });
  t.same(addBuildArgsEdit(ci, build(4, 4, ''), ['A'])!.newLines, ['    - "docker build . --build-arg A=$A"']);
  t.equal(addBuildArgsEdit(ci, build(3, 3, '', [{ name: 'A' }]), ['A']), undefined, 'nothing to add');
});

t.test('addBuildArgsEdit: literal block: the last continued line gets the flag', async (t) => {
  const ci = 'b:\n  script:\n    - |\n      docker build \\\n        -t x .\n';
  t.same(addBuildArgsEdit(ci, build(3, 5, ''), ['A']), {
    path: '.gitlab-ci.yml', startLine: 5, endLine: 5, newLines: ['        -t x . --build-arg A=$A'],
  });
});

t.test('from-arg-no-default: judged per job build args', async (t) => {
  const df = 'ARG BASE_TAG\nFROM alpine:$BASE_TAG\n';
  const ci = 'a:\n  script:\n    - docker build .\n';
  const passes = { job: job('a'), build: build(3, 3, 'docker build .', [{ name: 'BASE_TAG', value: '3.20' }]) };
  const misses = { job: job('b'), build: build(3, 3, 'docker build .') };
  t.same(noDefault.run(ctx(df, ci, [passes])), [], 'quiet when the job passes --build-arg BASE_TAG');
  const found = noDefault.run(ctx(df, ci, [passes, misses]));
  t.equal(found.length, 1);
  t.match(found[0]!.message, /Job `b` passes no --build-arg for BASE_TAG/);
  // Linted alone, a Dockerfile is judged on its defaults, as BuildKit's InvalidDefaultArgInFrom does.
  t.equal(noDefault.run(ctx(df, '', [], new Map([['BASE_TAG', '3']]))).length, 1, 'CLI --build-arg does not hide a missing default');
  t.equal(noDefault.run(ctx(df, '', [])).length, 1);
});

t.test('ci-variable-in-dockerfile', async (t) => {
  const df = 'FROM alpine\nRUN echo $CI_COMMIT_SHA > /version\nARG CI_JOB_ID\nLABEL job=$CI_JOB_ID\n';
  const ci = 'b:\n  script:\n    - docker build .\n';
  const found = ciVar.run(ctx(df, ci, [{ job: job('b'), build: build(3, 3, 'docker build .') }]));
  t.equal(found.length, 1, 'CI_JOB_ID is declared, CI_COMMIT_SHA is not');
  t.same(found[0]!.location, { path: 'Dockerfile', line: 2 });
  t.same(found[0]!.fix!.edits, [
    { path: 'Dockerfile', startLine: 2, endLine: 1, newLines: ['ARG CI_COMMIT_SHA'] },
    { path: '.gitlab-ci.yml', startLine: 3, endLine: 3, newLines: ['    - docker build . --build-arg CI_COMMIT_SHA=$CI_COMMIT_SHA'] },
  ]);
  t.same(ciVar.run(ctx("FROM alpine\nRUN echo '$CI_COMMIT_SHA' \\$CI_JOB_ID\n", '', [])), [], 'quoted and escaped uses are not expansions');
});

t.test('every check module has a rule file that loads', async (t) => {
  const ids = dockerfileChecks.map((c) => c.ruleId);
  t.equal(new Set(ids).size, ids.length, 'one module per rule');
  for (const id of ids) {
    const file = path.join(repoRoot, 'rules', `${id}.yml`);
    const m = parseRuleYaml(readFileSync(file, 'utf8'), file);
    t.notOk('error' in m, `${id}.yml loads`);
    if ('error' in m) continue;
    const bk = [...BUILDKIT_RULES.values()].find((r) => r.ruleId === id);
    if (bk) {
      t.equal(m.buildkit, bk.name, `${id} says buildkit: ${bk.name}`);
      t.equal(m.docs, `https://docs.docker.com/reference/build-checks/${bk.slug}/`);
    }
  }
});
