import t from 'tap';
import { check } from '../../src/analysis/rules/checks/dind-version-mismatch.js';
import { runCheck } from './helpers.js';

t.test('different majors: the service is pinned to the client version', async (t) => {
  const [f] = await runCheck(check, { ci: `build:
  image: docker:20.10.16
  services:
    - docker:24.0.5-dind
  script: [docker build .]
` });
  t.same(f!.location, { path: '.gitlab-ci.yml', line: 4 });
  t.same(f!.fix!.edits, [{ path: '.gitlab-ci.yml', startLine: 4, endLine: 4, newLines: ['    - docker:20.10.16-dind'] }]);
});

t.test('old pinned client with an unpinned dind', async (t) => {
  const [f] = await runCheck(check, { ci: `build:
  image: docker:19.03.12
  services: [docker:dind]
  script: [docker build .]
` });
  t.match(f!.message, /API 1\.44/);
});

t.test('near misses', async (t) => {
  for (const [img, svc] of [['docker:24.0.5', 'docker:24.0.5-dind'], ['docker:latest', 'docker:dind'], ['docker:27', 'docker:dind'], ['docker:24-cli', 'docker:24-dind-rootless'], ['alpine:3', 'docker:20-dind']]) {
    t.same(await runCheck(check, { ci: `build:\n  image: ${img}\n  services: [${svc}]\n  script: [docker build .]\n` }), [], `${img} + ${svc}`);
  }
});
