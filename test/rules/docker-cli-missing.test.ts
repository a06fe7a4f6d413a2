import t from 'tap';
import { check } from '../../src/analysis/rules/checks/docker-cli-missing.js';
import { runCheck } from './helpers.js';

t.test('docker in node:20', async (t) => {
  const [f] = await runCheck(check, { ci: `build:
  image: node:20
  script:
    - npm ci
    - docker build -t app .
` });
  t.same(f!.location, { path: '.gitlab-ci.yml', line: 5 });
  t.equal(f!.severity, 'error');
});

t.test('near misses', async (t) => {
  t.same(await runCheck(check, { ci: `build:
  image: alpine:3.19
  before_script:
    - apk add --no-cache docker-cli
  script:
    - docker build -t app .
` }), [], 'installs the CLI');
  t.same(await runCheck(check, { ci: `build:
  image: docker:24
  script: [docker build .]
` }), [], 'docker image');
  t.same(await runCheck(check, { ci: `build:
  image: $CI_REGISTRY_IMAGE/builder:latest
  script: [docker build .]
` }), [], 'custom image: unknown content');
  t.same(await runCheck(check, { ci: `build:
  script: [docker build .]
` }), [], 'no image: the runner default (may be a shell executor)');
  t.same(await runCheck(check, { ci: `build:
  image: node:20
  script: [echo docker build]
` }), [], 'docker only in an echo');
});

t.test('a global image may be ignored by a shell runner: quiet', async (t) => {
  t.same(await runCheck(check, { ci: `image: ruby:3.3
test:
  tags: [shell]
  script: [docker info]
` }), []);
});
