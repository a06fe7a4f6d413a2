import t from 'tap';
import { check } from '../../src/analysis/rules/checks/dind-tls-mismatch.js';
import { runCheck } from './helpers.js';

t.test('port 2375 against a TLS-by-default dind adds DOCKER_TLS_CERTDIR: ""', async (t) => {
  const [f] = await runCheck(check, { ci: `variables:
  DOCKER_HOST: tcp://docker:2375/
  DOCKER_DRIVER: overlay2
build:
  image: docker:latest
  services: [docker:dind]
  script: [docker build .]
` });
  t.same(f!.location, { path: '.gitlab-ci.yml', line: 2 });
  t.same(f!.fix!.edits, [{ path: '.gitlab-ci.yml', startLine: 3, endLine: 2, newLines: ['  DOCKER_TLS_CERTDIR: ""'] }]);
});

t.test('port 2375 with an explicit certdir replaces its value', async (t) => {
  const [f] = await runCheck(check, { ci: `variables:
  DOCKER_HOST: tcp://docker:2375
  DOCKER_TLS_CERTDIR: "/certs"
build:
  image: docker:24
  services: [docker:24-dind]
  script: [docker build .]
` });
  t.same(f!.fix!.edits, [{ path: '.gitlab-ci.yml', startLine: 3, endLine: 3, newLines: ['  DOCKER_TLS_CERTDIR: ""'] }]);
});

t.test('port 2376 with TLS disabled', async (t) => {
  const [f] = await runCheck(check, { ci: `variables:
  DOCKER_HOST: tcp://docker:2376
  DOCKER_TLS_CERTDIR: ""
build:
  image: docker:24
  services: [docker:24-dind]
  script: [docker build .]
` });
  t.same(f!.fix!.edits[0]!.newLines, ['  DOCKER_HOST: tcp://docker:2375']);
});

t.test('near misses', async (t) => {
  t.same(await runCheck(check, { ci: `variables:
  DOCKER_HOST: tcp://docker:2376
  DOCKER_TLS_CERTDIR: "/certs"
build:
  image: docker:24
  services: [docker:24-dind]
  script: [docker build .]
` }), [], 'consistent TLS');
  t.same(await runCheck(check, { ci: `variables:
  DOCKER_HOST: tcp://docker:2375
  DOCKER_TLS_CERTDIR: ""
build:
  image: docker:24
  services: [docker:24-dind]
  script: [docker build .]
` }), [], 'consistent plain');
  t.same(await runCheck(check, { ci: `variables:
  DOCKER_HOST: tcp://docker:2375
build:
  image: docker:18.09
  services: [docker:18.09-dind]
  script: [docker build .]
` }), [], 'dind before 19.03 has no TLS by default');
});
