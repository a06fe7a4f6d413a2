import t from 'tap';
import { check } from '../../src/analysis/rules/checks/build-arg-not-declared.js';
import { runCheck } from './helpers.js';

const ci = (cmd: string): string => `build:
  script:
    - ${cmd}
`;

t.test('--build-arg the Dockerfile never declares', async (t) => {
  const found = await runCheck(check, { ci: ci('docker build --build-arg VERSION=$CI_COMMIT_SHA --build-arg NODE_ENV=production -t app .'), files: { Dockerfile: 'FROM node:20\nARG NODE_ENV\nRUN echo $NODE_ENV\n' } });
  t.equal(found.length, 1);
  t.equal(found[0]!.evidence!['buildArg'], 'VERSION');
  t.same(found[0]!.location, { path: '.gitlab-ci.yml', line: 3 });
  t.match(found[0]!.message, /Dockerfile.*ARG VERSION/);
});

t.test('resolves -f relative to the repo root and cd', async (t) => {
  const files = { 'docker/app.Dockerfile': 'FROM alpine\n', 'svc/Dockerfile': 'FROM alpine\nARG X\n' };
  t.equal((await runCheck(check, { ci: ci('docker build -f docker/app.Dockerfile --build-arg X=1 .'), files })).length, 1);
  t.same(await runCheck(check, { ci: `build:
  script:
    - cd svc
    - docker build --build-arg X=1 .
`, files }), [], 'cd svc: builds svc/Dockerfile which declares X');
});

t.test('block scalar build: located on the --build-arg line', async (t) => {
  const found = await runCheck(check, { ci: `build:
  script:
    - >
      docker build
      --build-arg GIT_SHA=$CI_COMMIT_SHA
      -t app .
`, files: { Dockerfile: 'FROM alpine\n' } });
  t.same(found[0]!.location, { path: '.gitlab-ci.yml', line: 5 });
});

t.test('near misses', async (t) => {
  t.same(await runCheck(check, { ci: ci('docker build --build-arg BASE=alpine:3 --build-arg HTTP_PROXY=$P --build-arg BUILDKIT_INLINE_CACHE=1 .'), files: { Dockerfile: 'ARG BASE\nFROM $BASE\n' } }), [], 'declared before FROM; predefined args');
  t.same(await runCheck(check, { ci: ci('docker build --build-arg X=1 -f other/Dockerfile .'), files: { Dockerfile: 'FROM alpine\n' } }), [], 'Dockerfile not available: no guess');
  t.same(await runCheck(check, { ci: ci('docker build --build-arg X=1 .'), files: { Dockerfile: 'FROM alpine AS a\nFROM alpine\nARG X\n' } }), [], 'declared in a later stage');
});
