// YAML facts: duplicate keys, shallow merge keys, unknown aliases, tabs, values GitLab coerces.
import t from 'tap';
import { join } from 'node:path';
import { resolve, lineOf } from './helpers.js';
import { loadCiConfig } from '../../src/analysis/ci-config/index.js';
import { folderSource } from '../../src/cli/lint-source.js';
import { sharedAvailable, sharedDir } from '../helpers/paths.js';

const facts = async (yaml: string): Promise<{ rule: string; line?: number; message: string }[]> =>
  ((await resolve(yaml)).yamlFacts ?? []).map((f) => ({ rule: f.ruleId, line: f.location?.line, message: f.message }));

t.test('a second `variables:` silently replacing the first', async (t) => {
  const yaml = 'build:\n  variables:\n    A: a\n  script: x\n  variables:\n    B: b\n';
  const c = await resolve(yaml);
  t.same(c.problems, [], 'GitLab accepts it');
  const f = await facts(yaml);
  t.equal(f.length, 1);
  t.equal(f[0]!.rule, 'ci-yaml-duplicate-key');
  t.equal(f[0]!.line, 5);
  t.match(f[0]!.message, 'line 2 and line 5');
  t.same(Object.keys(c.jobs[0]!.variables), ['B'], 'the model keeps the last one, as GitLab does');
});

t.test('duplicate job names at the top level; distinct keys are fine', async (t) => {
  t.equal((await facts('a:\n  script: x\na:\n  script: y\n'))[0]?.line, 3);
  t.same(await facts('a:\n  script: x\nb:\n  script: y\n'), []);
});

t.test('a merge key is shallow: the job loses the anchor\'s variables', async (t) => {
  const yaml = '.base: &base\n  image: alpine\n  variables:\n    A: a\n    B: b\njob:\n  <<: *base\n  variables:\n    C: c\n  script: x\n';
  const c = await resolve(yaml);
  t.same(Object.keys(c.jobs[0]!.variables), ['C']);
  const f = await facts(yaml);
  t.equal(f.length, 1);
  t.equal(f[0]!.rule, 'ci-yaml-merge-shallow');
  t.equal(f[0]!.line, lineOf(yaml, '    C: c') - 1);
  t.match(f[0]!.message, 'A, B are lost');
  t.same(await facts('.base: &base\n  variables:\n    A: a\njob:\n  <<: *base\n  variables:\n    A: z\n  script: x\n'), [], 'nothing lost: no finding');
  t.same(await facts('.base: &base\n  image: a\njob:\n  <<: *base\n  image: b\n  script: x\n'), [], 'scalars replace as intended');
});

t.test('an alias to an anchor that does not exist is rejected', async (t) => {
  const c = await resolve('job:\n  script: x\n  variables: *nope\n');
  const p = c.problems.find((x) => x.evidence?.code === 'yaml-unknown-alias');
  t.ok(p);
  t.equal(p?.location?.line, 3);
  t.equal(p?.ruleId, 'ci-config-invalid');
});

t.test('tabs in indentation are a syntax error on their line', async (t) => {
  const c = await resolve('job:\n  script: x\n\tstage: test\n');
  const p = c.problems[0];
  t.equal(p?.evidence?.code, 'yaml-tab-indent');
  t.equal(p?.location?.line, 3);
  t.same((await resolve('job:\n  script: "a\\tb"\n')).problems, [], 'a tab inside a value is fine');
});

t.test('values GitLab coerces', async (t) => {
  const yaml = 'variables:\n  PYTHON: 3.10\n  MODE: 0755\n  ON_CI: yes\n  OK1: "3.10"\n  OK2: 3.9\n  OK3: 42\nbuild:\n  script: x\n  interruptible: on\n';
  const f = await facts(yaml);
  t.same(f.map((x) => x.line), [2, 3, 4, 10]);
  t.ok(f.every((x) => x.rule === 'ci-yaml-coerced-value'));
  t.match(f[0]!.message, 'number 3.1');
  t.match(f[1]!.message, 'number 493');
  t.match(f[2]!.message, 'boolean true');
  const c = await resolve(yaml);
  t.same(c.problems, [], '`interruptible: on` is a boolean for GitLab, so it is valid');
  t.equal(c.globalVariables.ON_CI?.value, 'true');
});

const corpus = join(sharedDir, 'corpus', 'real-world');
const realCases: [string, string, string, number, string][] = [
  ['AAraKKe__mitup-telegram-bot', '.gitlab/ci/validate-docker-build.yml', 'ci-yaml-merge-shallow', 53, 'DOCKER_HOST, DOCKER_TLS_CERTDIR are lost'],
  ['NVIDIA__nvidia-container-toolkit', '.nvidia-ci.yml', 'ci-yaml-duplicate-key', 242, 'line 240 and line 242'],
  ['bram2w__baserow', '.gitlab-ci.yml', 'ci-yaml-coerced-value', 530, 'boolean false'],
];

t.test('real files from the corpus', { skip: sharedAvailable ? false : `${sharedDir} is absent: real files not checked` }, async (t) => {
  for (const [repo, path, rule, line, says] of realCases) {
    const c = await loadCiConfig(path, folderSource(join(corpus, repo)));
    const f = (c.yamlFacts ?? []).find((x) => x.ruleId === rule && x.location?.line === line);
    t.ok(f, `${repo}/${path}:${line} ${rule}`);
    if (f) t.match(f.message, says);
  }
});
