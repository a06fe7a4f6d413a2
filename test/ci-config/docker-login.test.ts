// A `docker login` written in default:, an extends parent, an anchor, behind !reference, in an
// included file, or in the seed's top-level before_script is found in the job with its file and line.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { job, lineOf, lines, resolve, codes } from './helpers.js';

const LOGIN = 'echo -n $CI_JOB_TOKEN | docker login -u gitlab-ci-token --password-stdin $CI_REGISTRY';
const fixture = (name: string): string => readFileSync(fixturePath('ci-config', 'seeds', name), 'utf8');
import { fixturePath } from '../helpers/paths.js';

t.test('seed: top-level before_script', async (t) => {
  const src = fixture('registry-push-login.gitlab-ci.yml');
  const c = await resolve(src);
  const j = job(c, 'build');
  t.same(lines(j.beforeScript), [[LOGIN, '.gitlab-ci.yml', lineOf(src, 'docker login'), 'top-level']]);
  t.equal(j.beforeScriptPos?.line, lineOf(src, 'before_script:'));
  t.equal(j.beforeScriptPos?.lastItemLine, lineOf(src, 'docker login'));
  t.equal(j.beforeScriptPos?.indent, 0);
  t.equal(j.beforeScriptPos?.valueStyle, 'block-seq');
  t.equal(c.topLevelBeforeScriptPos?.line, lineOf(src, 'before_script:'));
  t.equal(j.image?.name, 'docker:19.03.13');
  t.same(j.services[0]?.command, ['--insecure-registry=registry.ailab.com']);
  t.equal(j.variables.DOCKER_CERT_PATH?.value, '$DOCKER_TLS_CERTDIR/client');
  t.equal(j.script[2]!.command, 'docker push $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA');
  t.equal(j.script[2]!.pos.line, lineOf(src, '- docker push'));
  t.same(codes(c), []);
});

t.test('seed: folded docker build keeps its lines', async (t) => {
  const src = fixture('dockerfile-ci-variables.gitlab-ci.yml');
  const c = await resolve(src);
  const [line] = job(c, 'build').script;
  t.equal(line?.command, 'docker build . --cache-from $CI_REGISTRY_IMAGE:latest --tag $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA --build-arg CI_REGISTRY_IMAGE=$CI_REGISTRY_IMAGE\n');
  t.same([line?.pos.line, line?.pos.endLine], [lineOf(src, '- >'), lineOf(src, '--build-arg CI_REGISTRY_IMAGE')], 'comment after the scalar is not part of it');
  t.same(job(c, 'build').beforeScript, [], 'near miss: no login anywhere');
});

const placements: { name: string; files: Record<string, string>; file: string; origin: string; keyNeedle: string; style: string }[] = [
  {
    name: 'default:',
    files: { '.gitlab-ci.yml': `default:\n  before_script:\n    - ${LOGIN}\npush:\n  script:\n    - docker push $CI_REGISTRY_IMAGE\n` },
    file: '.gitlab-ci.yml', origin: 'default', keyNeedle: 'before_script:', style: 'block-seq',
  },
  {
    name: 'extends parent',
    files: { '.gitlab-ci.yml': `.docker:\n  image: docker:24\n  before_script:\n    - ${LOGIN}\npush:\n  extends: .docker\n  script:\n    - docker push $CI_REGISTRY_IMAGE\n` },
    file: '.gitlab-ci.yml', origin: '.docker', keyNeedle: 'before_script:', style: 'block-seq',
  },
  {
    name: 'anchor',
    files: { '.gitlab-ci.yml': `.login: &login\n  - ${LOGIN}\npush:\n  before_script: *login\n  script:\n    - docker push $CI_REGISTRY_IMAGE\n` },
    file: '.gitlab-ci.yml', origin: 'anchor', keyNeedle: 'before_script:', style: 'alias',
  },
  {
    name: '!reference',
    files: { '.gitlab-ci.yml': `.login:\n  before_script:\n    - ${LOGIN}\npush:\n  before_script:\n    - !reference [.login, before_script]\n  script:\n    - docker push $CI_REGISTRY_IMAGE\n` },
    file: '.gitlab-ci.yml', origin: 'reference', keyNeedle: '  before_script:\n    - !reference', style: 'block-seq',
  },
  {
    name: 'included default',
    files: { '.gitlab-ci.yml': `include:\n  - local: /ci/base.yml\npush:\n  script:\n    - docker push $CI_REGISTRY_IMAGE\n`, 'ci/base.yml': `# base\ndefault:\n  before_script:\n    - ${LOGIN}\n` },
    file: 'ci/base.yml', origin: 'default', keyNeedle: 'before_script:', style: 'block-seq',
  },
];

for (const p of placements) {
  t.test(`docker login in ${p.name}`, async (t) => {
    const c = await resolve(p.files);
    const j = job(c, 'push');
    const src = p.files[p.file]!;
    const loginLine = src.split('\n').findIndex((l) => l.includes('docker login')) + 1;
    t.same(lines(j.beforeScript), [[LOGIN, p.file, loginLine, p.origin]]);
    t.equal(j.beforeScript[0]!.expanded, LOGIN, 'predefined variables stay symbolic');
    const keyLine = p.keyNeedle.includes('\n') ? src.slice(0, src.indexOf(p.keyNeedle)).split('\n').length : lineOf(src, p.keyNeedle, p.file === '.gitlab-ci.yml' && p.origin === 'reference' ? 3 : 0);
    t.equal(j.beforeScriptPos?.path, p.origin === 'reference' || p.origin === 'anchor' ? '.gitlab-ci.yml' : p.file);
    t.equal(j.beforeScriptPos?.line, p.origin === 'anchor' ? lineOf(src, 'before_script: *login') : keyLine);
    t.equal(j.beforeScriptPos?.valueStyle, p.style);
    t.same(codes(c), []);
  });
}

t.test('near miss: login only in another job is not in this job', async (t) => {
  const c = await resolve(`login:\n  script:\n    - ${LOGIN}\npush:\n  script:\n    - docker push x\n`);
  t.same(job(c, 'push').beforeScript, []);
  t.same(job(c, 'push').script.map((l) => l.command), ['docker push x']);
});

t.test('near miss: inherit default false drops the default login', async (t) => {
  const c = await resolve(`default:\n  before_script:\n    - ${LOGIN}\npush:\n  inherit:\n    default: false\n  script:\n    - docker push x\n`);
  t.same(job(c, 'push').beforeScript, []);
  t.equal(job(c, 'push').beforeScriptPos, undefined);
});
