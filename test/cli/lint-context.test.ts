// Fragments judged in context, hidden templates, shell data flow and project settings, through
// `ci-medic lint` as a user runs it, on real files from ../shared/corpus/real-world/ where they exist.
import t from 'tap';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintPaths } from '../../src/cli/lint.js';
import { loadAllRules } from '../../src/analysis/rules/index.js';
import { fixturePath, sharedDir, sharedAvailable } from '../helpers/paths.js';

const { rules } = loadAllRules();
const corpus = join(sharedDir, 'corpus', 'real-world');

function checkout(t: { teardown(f: () => void): void }, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ci-medic-ctx-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

t.test('an included file linted alone is judged inside the pipeline that includes it', async (t) => {
  const dir = fixturePath('lint', 'seed');
  const { findings } = await lintPaths(['ci/build.yml'], dir, rules);
  t.notOk(findings.some((f) => f.ruleId === 'ci-config-invalid'), 'its stage is defined by the root: no "stage not in stages"');
  t.ok(findings.some((f) => f.ruleId === 'registry-login-missing' && f.location?.path === 'ci/build.yml'));
});

t.test('a fragment no pipeline includes: stage/needs elsewhere are information, context rules are off', async (t) => {
  const dir = checkout(t, {
    'jobs.yml': 'build:\n  stage: package\n  needs: [test]\n  image: docker:24\n  script:\n    - docker push "$CI_REGISTRY_IMAGE"\n',
  });
  const { findings } = await lintPaths(['jobs.yml'], dir, rules);
  const invalid = findings.filter((f) => f.ruleId === 'ci-config-invalid');
  t.equal(invalid.length, 2);
  t.ok(invalid.every((f) => f.severity === 'info' && /included by no pipeline found/.test(f.message)));
  t.notOk(findings.some((f) => f.ruleId === 'registry-login-missing'), 'a login may come from the including file\'s default:');
});

t.test('a fragment of hidden templates only is still checked', async (t) => {
  const dir = checkout(t, {
    'templates.yml': '.docker-build:\n  image: docker:24\n  services: [docker:24-dind]\n  script:\n    - docker login -u bot -p "$REG_PASSWORD" reg.example.com\n',
  });
  const { findings } = await lintPaths(['templates.yml'], dir, rules);
  const f = findings.find((x) => x.ruleId === 'docker-login-password-argv');
  t.ok(f, 'docker login -p in a template is found');
  t.same(f?.location, { path: 'templates.yml', line: 5 });
});

t.test('a finding in a template names the jobs that inherit it', async (t) => {
  const dir = checkout(t, {
    '.gitlab-ci.yml': 'stages: [build]\n.tpl:\n  stage: build\n  script:\n    - docker login -u u -p "$P" reg.example.com\na:\n  extends: .tpl\nb:\n  extends: .tpl\n',
  });
  const [f, ...rest] = (await lintPaths(['.'], dir, rules)).findings.filter((x) => x.ruleId === 'docker-login-password-argv');
  t.same(rest, []);
  t.same(f?.location, { path: '.gitlab-ci.yml', line: 5 });
  t.match(f?.message, /Job `a` .*The same applies to 1 other job: `b`\./);
});

t.test('shell data flow: tag=... then --destination ...:$tag (kaniko), podman through a variable', async (t) => {
  const dir = checkout(t, {
    '.gitlab-ci.yml': [
      'kaniko:', '  image: { name: gcr.io/kaniko-project/executor:debug, entrypoint: [""] }', '  script:',
      '    - tag=dev-$CI_COMMIT_REF_NAME', '    - export IMAGE="${CI_REGISTRY_IMAGE}/app"',
      '    - /kaniko/executor --context "$CI_PROJECT_DIR" --destination "$IMAGE:$tag"',
      'pod:', '  image: quay.io/podman/stable', '  script:',
      '    - TAG=$(echo $CI_COMMIT_BRANCH)', '    - podman build -t "$CI_REGISTRY_IMAGE:$TAG" .', '',
    ].join('\n'),
    Dockerfile: 'FROM alpine:3.20\n',
  });
  const found = (await lintPaths(['.'], dir, rules)).findings.filter((f) => f.ruleId === 'image-tag-ref-name');
  t.same(found.map((f) => [f.evidence?.['job'], f.location?.line]), [['kaniko', 4], ['pod', 10]], 'reported where the variable is assigned');
  t.same(found[0]!.fix!.edits[0]!.newLines, ['    - tag=dev-$CI_COMMIT_REF_SLUG']);
  t.same(found[1]!.fix!.edits[0]!.newLines, ['    - TAG=$(echo $CI_COMMIT_REF_SLUG)']);
});

t.test('shell data flow stops at what cannot be known', async (t) => {
  const dir = checkout(t, {
    '.gitlab-ci.yml': 'b:\n  image: docker:24\n  script:\n    - tag=$(git describe --tags)\n    - docker build -t "img:$tag" .\n',
    Dockerfile: 'FROM alpine:3.20\n',
  });
  t.same((await lintPaths(['.'], dir, rules)).findings.filter((f) => f.ruleId === 'image-tag-ref-name'), []);
});

t.test('docker:stable beside docker:dind is a version mismatch', async (t) => {
  const dir = checkout(t, { '.gitlab-ci.yml': 'b:\n  image: docker:stable\n  services: [docker:dind]\n  script: [docker info]\n' });
  const f = (await lintPaths(['.'], dir, rules)).findings.find((x) => x.ruleId === 'dind-version-mismatch');
  t.ok(f);
  t.match(f?.message, /19\.03/);
});

t.test('lint reads .gitlab/ci-medic.yml of the root, and --config FILE; problems are findings with their line', async (t) => {
  const ci = 'b:\n  image: docker:24\n  script:\n    - docker login -u u -p "$P" reg.example.com\n';
  const dir = checkout(t, {
    '.gitlab-ci.yml': ci,
    '.gitlab/ci-medic.yml': 'disable:\n  - docker-login-password-argv\n  - no-such-rule\nseverity:\n  image-tag-ref-name: loud\n',
    'other.yml': 'severity:\n  docker-login-password-argv: error\n',
  });
  const { findings } = await lintPaths(['.'], dir, rules);
  t.notOk(findings.some((f) => f.ruleId === 'docker-login-password-argv'), 'disabled by the settings');
  const problems = findings.filter((f) => f.ruleId === 'ci-medic-settings-invalid');
  t.same(problems.map((f) => [f.location?.path, f.location?.line]), [['.gitlab/ci-medic.yml', 3], ['.gitlab/ci-medic.yml', 5]]);
  t.match(problems[0]!.message, /no-such-rule/);
  const withConfig = await lintPaths(['.'], dir, rules, new Map(), { config: join(dir, 'other.yml') });
  t.equal(withConfig.findings.find((f) => f.ruleId === 'docker-login-password-argv')?.severity, 'error', '--config replaces the root settings');
  const broken = checkout(t, { '.gitlab-ci.yml': ci, '.gitlab/ci-medic.yml': 'disable: [\n' });
  const [bad] = (await lintPaths(['.'], broken, rules)).findings.filter((f) => f.ruleId === 'ci-medic-settings-invalid');
  t.match(bad?.message, /not valid YAML/);
  t.equal(bad?.location?.path, '.gitlab/ci-medic.yml');
});

if (!sharedAvailable) {
  t.comment(`${sharedDir} is absent: the real-world fragment and data-flow cases are not checked`);
} else {
  t.test('real files: a fragment of templates, an included file, a kaniko tag through a shell variable', async (t) => {
    const fossores = join(corpus, 'FossoresLP__ci-testing');
    const frag = (await lintPaths(['ci/docker.yml'], fossores, rules)).findings;
    const login = frag.find((f) => f.ruleId === 'docker-login-password-argv');
    t.same(login?.location, { path: 'ci/docker.yml', line: 7 }, 'the login -p in the `.docker` template');
    t.match(login?.message, /The same applies to 4 other jobs/);
    t.ok(frag.filter((f) => f.ruleId === 'ci-config-invalid').every((f) => f.severity === 'info'), 'stage docker is not defined here: info');

    const iqb = join(corpus, 'iqb-berlin__studio-lite');
    const included = (await lintPaths(['.gitlab-ci/Release-Pipelines.gitlab-ci.yml'], iqb, rules)).findings;
    t.notOk(included.some((f) => f.ruleId === 'ci-config-invalid' && f.severity !== 'info'), 'judged with the root that defines its stages');
    t.ok(included.some((f) => f.ruleId === 'docker-login-password-argv'));

    const chris = join(corpus, 'Chrisss93__gitlab-ci-utils');
    const [ref] = (await lintPaths(['docker.gitlab-ci.yml'], chris, rules)).findings.filter((f) => f.ruleId === 'image-tag-ref-name');
    t.ok(ref, '`tag=dev-$CI_COMMIT_REF_NAME` then `--destination ${IMAGE:-$CI_REGISTRY_IMAGE}:$tag`');
    t.equal(ref?.location?.line, 39);
    t.match(ref?.fix?.edits[0]?.newLines[0], /then tag=dev-\$CI_COMMIT_REF_SLUG; else/);
  });
}
