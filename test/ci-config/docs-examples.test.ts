// Table-driven: the examples of GitLab's CI YAML docs (doc/ci/yaml/_index.md, yaml_optimization.md,
// includes.md), each asserting the effective job the way GitLab documents it.
import t from 'tap';
import type { Test } from 'tap';
import type { CiConfig } from '../../src/analysis/ci-config/index.js';
import { codes, job, lineOf, lines, resolve } from './helpers.js';

interface Case {
  name: string;
  files: Record<string, string>;
  check: (t: Test, c: CiConfig, f: Record<string, string>) => void;
}

const anchorsTemplate = `.job_template: &job_configuration
  image: ruby:2.6
  services:
    - postgres
    - redis

test1:
  <<: *job_configuration
  script:
    - test1 project

test2:
  <<: *job_configuration
  script:
    - test2 project
`;

const anchorsScripts = `.some-script-before: &some-script-before
  - echo "Execute this script first"

.some-script: &some-script
  - echo "Execute this script second"
  - echo "Execute this script too"

.some-script-after: &some-script-after
  - echo "Execute this script last"

job1:
  before_script:
    - *some-script-before
  script:
    - *some-script
    - echo "Execute something, for this job only"
  after_script:
    - *some-script-after
`;

const mergeList = `.base1: &base1
  image: alpine:3
  variables:
    A: one
.base2: &base2
  image: debian:12
  stage: build
  script: echo base2
job:
  <<: [*base1, *base2]
  script: echo mine
`;

const extendsSimple = `.tests:
  script: rake test
  stage: test
  only:
    refs:
      - branches

rspec:
  extends: .tests
  script: rake rspec
  only:
    variables:
      - $RSPEC
`;

const extendsMulti = `.tests:
  rules:
    - if: $CI_PIPELINE_SOURCE == "push"

.rspec:
  extends: .tests
  script: rake rspec

rspec 1:
  variables:
    RSPEC_SUITE: '1'
  extends: .rspec

rspec 2:
  variables:
    RSPEC_SUITE: '2'
  extends: .rspec

spinach:
  extends: .tests
  script: rake spinach
`;

const extendsList = `.only-important:
  variables:
    URL: "http://my-url.internal"
    IMPORTANT_VAR: "the details"
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
    - if: $CI_COMMIT_BRANCH == "stable"
  tags:
    - production
  script:
    - echo "Hello world!"

.in-docker:
  variables:
    URL: "http://docker-url.internal"
  tags:
    - docker
  image: alpine

rspec:
  variables:
    GITLAB: "is-awesome"
  extends:
    - .only-important
    - .in-docker
  script:
    - rake rspec
`;

const referenceSetup = `.setup:
  script:
    - echo creating environment
`;
const referenceMain = `include:
  - local: setup.yml

.teardown:
  after_script:
    - echo deleting environment

test:
  script:
    - !reference [.setup, script]
    - echo running my own command
  after_script:
    - !reference [.teardown, after_script]
`;

const referenceNested = `.snippets:
  one:
    - echo "ONE!"
  two:
    - !reference [.snippets, one]
    - echo "TWO!"
  three:
    - !reference [.snippets, two]
    - echo "THREE!"

nested-references:
  script:
    - !reference [.snippets, three]
`;

const referenceVars = `.vars:
  variables:
    URL: "http://my-url.internal"
    IMPORTANT_VAR: "the details"

test-vars-1:
  variables: !reference [.vars, variables]
  script:
    - printenv

test-vars-2:
  variables:
    MY_VAR: !reference [.vars, variables, IMPORTANT_VAR]
  script:
    - printenv
`;

const inheritDefault = `default:
  retry: 2
  image: ruby:3.0
  interruptible: true
  before_script:
    - echo default before

job1:
  script: echo "This job does not inherit any default keywords."
  inherit:
    default: false

job2:
  script: echo "This job inherits only the two listed default keywords."
  inherit:
    default:
      - retry
      - image

job3:
  script: echo all
`;

const inheritVariables = `variables:
  VARIABLE1: "This is variable 1"
  VARIABLE2: "This is variable 2"
  VARIABLE3: "This is variable 3"

job1:
  script: echo "This job does not inherit any global variables."
  inherit:
    variables: false

job2:
  script: echo "This job inherits only the two listed global variables."
  inherit:
    variables:
      - VARIABLE1
      - VARIABLE2
`;

const defaultImage = `default:
  image: ruby:3.0
  retry: 2

rspec:
  script: bundle exec rspec

rspec 2.7:
  image: ruby:2.7
  script: bundle exec rspec
`;

const includeTemplate = `variables:
  POSTGRES_USER: user
  POSTGRES_PASSWORD: testing_password
  POSTGRES_DB: $CI_ENVIRONMENT_SLUG

production:
  stage: production
  script:
    - install_dependencies
    - deploy
  environment:
    name: production
    url: https://$CI_PROJECT_PATH_SLUG.$KUBE_INGRESS_BASE_DOMAIN
`;
const includeOverride = `include: 'autodevops-template.yml'

image: alpine:latest

variables:
  POSTGRES_USER: root
  POSTGRES_PASSWORD: secure_password

stages:
  - build
  - test
  - production

production:
  environment:
    url: https://domain.com
`;

const includeExtends = `include: included.yml

useTemplate:
  image: alpine
  extends: .template
`;

const arraysReplaced = `include:
  - local: override.yml

job:
  script:
    - echo "Job defined in .gitlab-ci.yml"
`;

const scriptForms = `plain: 
  script: echo one
list:
  script:
    - echo a
    - echo b
nested:
  script:
    - echo a
    - - echo b
      - - echo c
literal:
  script:
    - |
      echo first
      echo second
    - echo after
folded:
  script:
    - >
      docker build .
      --tag x
`;

const servicesForms = `variables:
  DOCKER_TLS_CERTDIR: "/certs"
image:
  name: docker:24.0.5-cli
  entrypoint: [""]
build:
  services:
    - redis:7
    - name: docker:24.0.5-dind
      alias: docker
      command: ["--tls=false"]
      entrypoint: ["dockerd-entrypoint.sh"]
      variables:
        DOCKER_TLS_CERTDIR: ""
  script: docker info
`;

const specInputs = `spec:
  inputs:
    stage:
      default: test
    image:
      default: docker:24
---
scan:
  stage: $[[ inputs.stage ]]
  image: $[[ inputs.image ]]
  script: ./scan --image $[[ inputs.image ]]
`;

const cases: Case[] = [
  {
    name: 'anchors: merge key copies image and services into each job',
    files: { '.gitlab-ci.yml': anchorsTemplate },
    check(t, c, f) {
      for (const n of ['test1', 'test2']) {
        const j = job(c, n);
        t.equal(j.image?.name, 'ruby:2.6');
        t.equal(j.image?.pos?.line, lineOf(f['.gitlab-ci.yml']!, 'image: ruby:2.6'), 'image keeps the anchor line');
        t.same(j.services.map((s) => s.name), ['postgres', 'redis']);
      }
      t.same(lines(job(c, 'test1').script), [['test1 project', '.gitlab-ci.yml', 10, 'job']]);
      t.same(c.hiddenJobs.map((j) => j.name), ['.job_template']);
      t.same(codes(c), []);
    },
  },
  {
    name: 'anchors: script lists through aliases, nested and flattened',
    files: { '.gitlab-ci.yml': anchorsScripts },
    check(t, c) {
      const j = job(c, 'job1');
      t.same(lines(j.beforeScript), [['echo "Execute this script first"', '.gitlab-ci.yml', 2, 'anchor']]);
      t.same(lines(j.script), [
        ['echo "Execute this script second"', '.gitlab-ci.yml', 5, 'anchor'],
        ['echo "Execute this script too"', '.gitlab-ci.yml', 6, 'anchor'],
        ['echo "Execute something, for this job only"', '.gitlab-ci.yml', 16, 'job'],
      ]);
      t.same(lines(j.afterScript), [['echo "Execute this script last"', '.gitlab-ci.yml', 9, 'anchor']]);
    },
  },
  {
    name: 'anchors: list of merge keys, explicit keys win, first merged map wins',
    files: { '.gitlab-ci.yml': mergeList },
    check(t, c) {
      const j = job(c, 'job');
      t.equal(j.image?.name, 'alpine:3');
      t.equal(j.stage, 'build');
      t.same(lines(j.script), [['echo mine', '.gitlab-ci.yml', 11, 'job']]);
      t.equal(j.variables.A?.value, 'one');
    },
  },
  {
    name: 'extends: child script replaces, hashes deep-merge',
    files: { '.gitlab-ci.yml': extendsSimple },
    check(t, c) {
      const j = job(c, 'rspec');
      t.same(lines(j.script), [['rake rspec', '.gitlab-ci.yml', 10, 'job']]);
      t.equal(j.stage, 'test');
      t.same(j.raw.only, { refs: ['branches'], variables: ['$RSPEC'] });
      t.same(j.extends, ['.tests']);
    },
  },
  {
    name: 'extends: multi-level chains',
    files: { '.gitlab-ci.yml': extendsMulti },
    check(t, c) {
      const j = job(c, 'rspec 1');
      t.same(lines(j.script), [['rake rspec', '.gitlab-ci.yml', 7, '.rspec']]);
      t.same(j.extends, ['.rspec', '.tests']);
      t.same(j.raw.rules, [{ if: '$CI_PIPELINE_SOURCE == "push"' }]);
      t.equal(j.variables.RSPEC_SUITE?.value, '1');
      t.equal(j.scriptPos?.line, 7, 'script key of the parent');
      t.same(lines(job(c, 'spinach').script), [['rake spinach', '.gitlab-ci.yml', 21, 'job']]);
    },
  },
  {
    name: 'extends: list of parents, later parent wins, arrays replaced',
    files: { '.gitlab-ci.yml': extendsList },
    check(t, c) {
      const j = job(c, 'rspec');
      t.same(Object.fromEntries(Object.entries(j.variables).map(([k, v]) => [k, v.value])), {
        URL: 'http://docker-url.internal',
        IMPORTANT_VAR: 'the details',
        GITLAB: 'is-awesome',
      });
      t.same(j.tags, ['docker']);
      t.equal(j.image?.name, 'alpine');
      t.same(lines(j.script), [['rake rspec', '.gitlab-ci.yml', 27, 'job']]);
      t.equal((j.raw.rules as unknown[]).length, 2);
    },
  },
  {
    name: '!reference across an included file',
    files: { '.gitlab-ci.yml': referenceMain, 'setup.yml': referenceSetup },
    check(t, c) {
      const j = job(c, 'test');
      t.same(lines(j.script), [
        ['echo creating environment', 'setup.yml', 3, 'reference'],
        ['echo running my own command', '.gitlab-ci.yml', 11, 'job'],
      ]);
      t.same(lines(j.afterScript), [['echo deleting environment', '.gitlab-ci.yml', 6, 'reference']]);
      t.same([...c.files.keys()], ['.gitlab-ci.yml', 'setup.yml']);
    },
  },
  {
    name: '!reference nested three levels',
    files: { '.gitlab-ci.yml': referenceNested },
    check(t, c) {
      t.same(job(c, 'nested-references').script.map((l) => [l.command, l.pos.line]), [
        ['echo "ONE!"', 3],
        ['echo "TWO!"', 6],
        ['echo "THREE!"', 9],
      ]);
    },
  },
  {
    name: '!reference in variables, whole map and one value',
    files: { '.gitlab-ci.yml': referenceVars },
    check(t, c) {
      t.same(Object.keys(job(c, 'test-vars-1').variables), ['URL', 'IMPORTANT_VAR']);
      t.equal(job(c, 'test-vars-2').variables.MY_VAR?.value, 'the details');
    },
  },
  {
    name: 'inherit: default false / list',
    files: { '.gitlab-ci.yml': inheritDefault },
    check(t, c) {
      t.equal(job(c, 'job1').image, undefined);
      t.same(job(c, 'job1').beforeScript, []);
      t.equal(job(c, 'job2').image?.name, 'ruby:3.0');
      t.equal(job(c, 'job2').raw.retry, 2);
      t.equal(job(c, 'job2').raw.interruptible, undefined);
      t.same(job(c, 'job2').beforeScript, []);
      t.same(lines(job(c, 'job3').beforeScript), [['echo default before', '.gitlab-ci.yml', 6, 'default']]);
      t.equal(job(c, 'job3').beforeScriptPos?.line, 5);
      t.equal(c.defaultBeforeScriptPos?.line, 5);
      t.equal(c.defaultPos?.line, 1);
    },
  },
  {
    name: 'inherit: variables false / list',
    files: { '.gitlab-ci.yml': inheritVariables },
    check(t, c) {
      t.same(Object.keys(job(c, 'job1').variables), []);
      t.same(Object.keys(job(c, 'job2').variables), ['VARIABLE1', 'VARIABLE2']);
      t.equal(c.globalVariables.VARIABLE3?.scope, 'global');
    },
  },
  {
    name: 'default: image applies unless the job sets its own',
    files: { '.gitlab-ci.yml': defaultImage },
    check(t, c) {
      t.equal(job(c, 'rspec').image?.name, 'ruby:3.0');
      t.equal(job(c, 'rspec 2.7').image?.name, 'ruby:2.7');
      t.equal(job(c, 'rspec').raw.retry, 2);
    },
  },
  {
    name: 'include: the including file overrides, hashes merge',
    files: { '.gitlab-ci.yml': includeOverride, 'autodevops-template.yml': includeTemplate },
    check(t, c) {
      const j = job(c, 'production');
      t.same(lines(j.script), [
        ['install_dependencies', 'autodevops-template.yml', 9, 'job'],
        ['deploy', 'autodevops-template.yml', 10, 'job'],
      ]);
      t.same(j.raw.environment, { name: 'production', url: 'https://domain.com' });
      t.equal(j.variables.POSTGRES_USER?.value, 'root');
      t.equal(j.variables.POSTGRES_DB?.value, '$CI_ENVIRONMENT_SLUG');
      t.equal(j.image?.name, 'alpine:latest');
      t.same(c.stages, ['.pre', 'build', 'test', 'production', '.post']);
      t.same(codes(c), []);
    },
  },
  {
    name: 'include: extends a hidden job of the included file',
    files: { '.gitlab-ci.yml': includeExtends, 'included.yml': '.template:\n  script:\n    - echo Hello!\n' },
    check(t, c) {
      t.same(lines(job(c, 'useTemplate').script), [['echo Hello!', 'included.yml', 3, '.template']]);
    },
  },
  {
    name: 'include: arrays are replaced, not concatenated',
    files: { '.gitlab-ci.yml': arraysReplaced, 'override.yml': 'job:\n  script:\n    - echo "Job defined in override.yml"\n' },
    check(t, c) {
      t.same(lines(job(c, 'job').script), [['echo "Job defined in .gitlab-ci.yml"', '.gitlab-ci.yml', 6, 'job']]);
    },
  },
  {
    name: 'script forms: string, list, nested lists, literal and folded block scalars',
    files: { '.gitlab-ci.yml': scriptForms },
    check(t, c, f) {
      const src = f['.gitlab-ci.yml']!;
      t.same(lines(job(c, 'plain').script), [['echo one', '.gitlab-ci.yml', 2, 'job']]);
      t.same(job(c, 'nested').script.map((l) => l.command), ['echo a', 'echo b', 'echo c']);
      const lit = job(c, 'literal').script;
      t.equal(lit[0]!.command, 'echo first\necho second\n');
      t.equal(lit[0]!.pos.line, lineOf(src, '- |'));
      t.equal(lit[0]!.pos.endLine, lineOf(src, 'echo second'), 'block scalar spans its lines');
      t.equal(lit[1]!.pos.line, lineOf(src, 'echo after'));
      const folded = job(c, 'folded').script[0]!;
      t.equal(folded.command, 'docker build . --tag x\n');
      t.same([folded.pos.line, folded.pos.endLine], [lineOf(src, '- >'), lineOf(src, '--tag x')]);
      t.same(codes(c), []);
    },
  },
  {
    name: 'services and image in string and object form',
    files: { '.gitlab-ci.yml': servicesForms },
    check(t, c) {
      const j = job(c, 'build');
      t.same(j.image, { name: 'docker:24.0.5-cli', entrypoint: [''], pos: j.image!.pos });
      t.same(j.services[0], { name: 'redis:7', variables: {}, pos: j.services[0]!.pos });
      const dind = j.services[1]!;
      t.equal(dind.alias, 'docker');
      t.same(dind.command, ['--tls=false']);
      t.same(dind.entrypoint, ['dockerd-entrypoint.sh']);
      t.same(dind.variables, { DOCKER_TLS_CERTDIR: '' });
      t.equal(dind.pos?.line, 9);
    },
  },
  {
    name: 'spec:inputs header is skipped and defaults interpolated',
    files: { '.gitlab-ci.yml': specInputs },
    check(t, c) {
      const j = job(c, 'scan');
      t.equal(j.stage, 'test');
      t.equal(j.image?.name, 'docker:24');
      t.same(lines(j.script), [['./scan --image docker:24', '.gitlab-ci.yml', 11, 'job']]);
      t.same(c.jobs.map((x) => x.name), ['scan']);
    },
  },
  {
    name: 'spec:inputs given by the include win over defaults',
    files: {
      '.gitlab-ci.yml': 'include:\n  - local: scan.yml\n    inputs:\n      stage: build\n',
      'scan.yml': specInputs,
    },
    check(t, c) {
      t.equal(job(c, 'scan').stage, 'build');
      t.equal(job(c, 'scan').image?.name, 'docker:24');
    },
  },
  {
    name: 'reserved top-level keys are not jobs',
    files: {
      '.gitlab-ci.yml': 'workflow:\n  rules:\n    - when: always\nstages: [build]\nvariables: {A: b}\ndefault: {tags: [x]}\ncache: {paths: [y]}\nbuild:\n  stage: build\n  script: make\n',
    },
    check(t, c) {
      t.same(c.jobs.map((j) => j.name), ['build']);
      t.same(job(c, 'build').tags, ['x']);
      t.same(job(c, 'build').raw.cache, { paths: ['y'] });
      t.same(codes(c), []);
    },
  },
];

for (const k of cases) {
  t.test(k.name, async (t) => {
    const c = await resolve(k.files);
    k.check(t, c, k.files);
  });
}
