// expandVariables, include wildcards and mergeLintResult.
import t from 'tap';
import { expandVariables, matchIncludeGlob, mergeLintResult } from '../../src/analysis/ci-config/index.js';
import type { VariableDef } from '../../src/analysis/ci-config/index.js';
import { codes, job, resolve } from './helpers.js';

const v = (name: string, value: string, expand = true): VariableDef => ({ name, value, expand, scope: 'global' });

t.test('expandVariables', async (t) => {
  const vars = { A: v('A', 'a'), B: v('B', '$A/b'), RAW: v('RAW', '$A', false), LOOP: v('LOOP', '$LOOP x') };
  t.equal(expandVariables('$A ${A} $B', vars), 'a a a/b');
  t.equal(expandVariables('$RAW', vars), '$A', 'expand: false keeps the value literal');
  t.equal(expandVariables('$CI_REGISTRY_IMAGE:${CI_COMMIT_SHA}', vars), '$CI_REGISTRY_IMAGE:${CI_COMMIT_SHA}', 'unknown stay symbolic');
  t.equal(expandVariables('$$A', vars), '$$A', 'escaped dollar untouched');
  t.equal(expandVariables('$LOOP', vars), '$LOOP x', 'self reference expands once, then stays as written');
  t.equal(expandVariables('$AB', vars), '$AB', 'near miss: longer name is another variable');
});

t.test('ScriptLine.expanded uses the job variables', async (t) => {
  const c = await resolve('variables:\n  IMG: $CI_REGISTRY_IMAGE/app\njob:\n  variables:\n    TAG: v1\n  script: docker push $IMG:$TAG\n');
  t.equal(job(c, 'job').script[0]!.expanded, 'docker push $CI_REGISTRY_IMAGE/app:v1');
});

t.test('include wildcards follow GitLab', async (t) => {
  const paths = ['configs/a.yml', 'configs/sub/b.yml', 'configs/c.yaml', 'other/d.yml'];
  t.same(matchIncludeGlob('configs/*.yml', paths), ['configs/a.yml']);
  t.same(matchIncludeGlob('configs/**.yml', paths), ['configs/a.yml', 'configs/sub/b.yml']);
  t.same(matchIncludeGlob('configs/**/*.yml', paths), ['configs/sub/b.yml']);
  t.same(matchIncludeGlob('/configs/*.yml', paths), ['configs/a.yml']);
  const c = await resolve({
    '.gitlab-ci.yml': "include: 'ci/*.yml'\n",
    'ci/a.yml': 'a:\n  script: a\n',
    'ci/b.yml': 'b:\n  script: b\n',
    'ci/deep/c.yml': 'c:\n  script: c\n',
  });
  t.same(c.jobs.map((j) => j.name), ['a', 'b']);
});

t.test('mergeLintResult adds jobs from remote/template includes and keeps local positions', async (t) => {
  const local = await resolve(`include:\n  - template: Security/SAST.gitlab-ci.yml\nbuild:\n  extends: .tmpl\n  script:\n    - make\n`);
  t.same(codes(local), []);
  const merged = `.tmpl:\n  image: alpine\n  before_script: [echo from template]\nbuild:\n  image: alpine\n  before_script: [echo from template]\n  script: [make]\nsast:\n  stage: test\n  script: [/analyzer run]\n`;
  const c = mergeLintResult(local, merged);
  const build = job(c, 'build');
  t.equal(build.script[0]!.pos.line, 6, 'local position kept');
  t.equal(build.script[0]!.origin, 'job');
  t.equal(build.beforeScript[0]!.command, 'echo from template');
  t.equal(build.beforeScript[0]!.origin, 'lint');
  t.equal(build.image?.name, 'alpine');
  const sast = job(c, 'sast');
  t.equal(sast.origin, 'lint');
  t.same(sast.pos, { path: '.gitlab-ci.yml', line: 1 });
  t.same(sast.script.map((l) => [l.command, l.pos.line, l.origin]), [['/analyzer run', 1, 'lint']]);
  t.equal(c.jobs.length, 2);
});

t.test('mergeLintResult merges GitLab lint errors with local ones without duplicates', async (t) => {
  const local = await resolve('include:\n  - template: Jobs/Build.gitlab-ci.yml\nbuild:\n  script: make\n  retry:\n    when: foo\ntest:\n  stage: nope\n  script: x\n');
  const before = local.problems.length;
  t.ok(local.problems.some((p) => p.evidence?.key === 'jobs:build:retry'), 'local validator found the retry error');
  const merged = mergeLintResult(local, {
    valid: false,
    errors: [
      'jobs:build:retry when unknown values: foo',
      'test job: chosen stage nope does not exist; available stages are .pre, build, test, deploy, .post',
      'jobs:template_job config contains unknown keys: scirpt',
    ],
    merged_yaml: null,
  });
  const retry = merged.problems.filter((p) => String(p.message).includes('retry'));
  t.equal(retry.length, 1, 'the retry error is reported once');
  t.equal(retry[0]!.evidence?.gitlab, 'jobs:build:retry when unknown values: foo', 'and marked as confirmed by GitLab');
  t.equal(retry[0]!.location?.line, 6, 'keeping the local line');
  const stage = merged.problems.filter((p) => p.evidence?.code === 'unknown-stage');
  t.equal(stage.length, 1, 'the stage error (uncertain locally: an include was out of reach) is confirmed once');
  const extra = merged.problems.filter((p) => p.evidence?.code === 'gitlab-lint');
  t.equal(extra.length, 1, 'an error only GitLab saw is added');
  t.match(extra[0]!.message, 'template_job config contains unknown keys');
  t.equal(extra[0]!.location?.line, 1);
  t.ok(merged.problems.length <= before + 2);
});

t.test('mergeLintResult without errors or with a bare merged_yaml string keeps the local result', async (t) => {
  const local = await resolve('build:\n  script: make\n');
  t.same(mergeLintResult(local, { valid: true, errors: [], merged_yaml: null }).problems, []);
  t.same(mergeLintResult(local, 'build:\n  script: make\n').problems, []);
});
