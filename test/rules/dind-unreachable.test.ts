import t from 'tap';
import { check } from '../../src/analysis/rules/checks/dind-unreachable.js';
import { runCheck } from './helpers.js';

t.test('DOCKER_HOST names a host the dind service does not answer to', async (t) => {
  const [f] = await runCheck(check, { ci: `variables:
  DOCKER_HOST: tcp://docker:2376
build:
  image: docker:24
  services:
    - name: mirror.gcr.io/library/docker:24-dind
      alias: dind
  script:
    - docker build .
` });
  t.same(f!.location, { path: '.gitlab-ci.yml', line: 2 });
  t.same(f!.fix!.edits, [{ path: '.gitlab-ci.yml', startLine: 2, endLine: 2, newLines: ['  DOCKER_HOST: tcp://dind:2376'] }]);
});

t.test('DOCKER_HOST=tcp://docker:2375 and no service at all', async (t) => {
  const [f] = await runCheck(check, { ci: `build:
  image: docker:24
  variables:
    DOCKER_HOST: tcp://docker:2375
  script:
    - docker info
` });
  t.match(f!.message, /no `docker:dind` service/);
});

t.test('dind service, public non-docker image, no DOCKER_HOST', async (t) => {
  const [f] = await runCheck(check, { ci: `build:
  image: ubuntu:22.04
  services: [docker:24-dind]
  before_script:
    - apt-get update && apt-get install -y docker.io
  script:
    - docker build .
` });
  t.same(f!.location, { path: '.gitlab-ci.yml', line: 7 });
});

t.test('near misses', async (t) => {
  t.same(await runCheck(check, { ci: `build:
  image: docker:24
  services: [docker:24-dind]
  script: [docker build .]
` }), [], 'docker image finds the docker service itself');
  t.same(await runCheck(check, { ci: `build:
  image: docker:24
  variables: { DOCKER_HOST: tcp://docker:2376 }
  services: [{ name: docker:24-dind, alias: dind }]
  script: [docker build .]
` }), [], 'an alias adds a hostname; the derived one still answers');
  t.same(await runCheck(check, { ci: `build:
  image: docker:24
  variables: { DOCKER_HOST: tcp://localhost:2375 }
  services: [docker:24-dind]
  script: [docker build .]
` }), [], 'kubernetes: services share localhost');
  t.same(await runCheck(check, { ci: `build:
  image: docker:24
  script: [docker build .]
` }), [], 'no service, no DOCKER_HOST: maybe a mounted socket');
  t.same(await runCheck(check, { ci: `build:
  image: docker:24
  variables: { DOCKER_HOST: tcp://build-host.example.com:2376 }
  script: [docker build .]
` }), [], 'a remote daemon');
  t.same(await runCheck(check, { ci: `build:
  image: python:3.12
  services: [docker:24-dind]
  script:
    - echo "docker"
` }), [], 'no docker command');
});
