import t from 'tap';
import { check } from '../../src/analysis/rules/checks/image-tag-before-sha.js';
import { runCheck } from './helpers.js';

t.test('tagging or pulling :$CI_COMMIT_BEFORE_SHA', async (t) => {
  const [f] = await runCheck(check, { ci: `build:
  script:
    - docker pull $CI_REGISTRY_IMAGE:$CI_COMMIT_BEFORE_SHA
` });
  t.same(f!.location, { path: '.gitlab-ci.yml', line: 3 });
});

t.test('seed: FROM ...:$CI_COMMIT_BEFORE_SHA and a build arg feeding FROM', async (t) => {
  const found = await runCheck(check, { ci: `build:
  script:
    - docker build --build-arg TAG=$CI_COMMIT_BEFORE_SHA -t app .
`, files: { Dockerfile: 'ARG TAG=latest\nFROM $CI_REGISTRY_IMAGE:$TAG\n', 'other/Dockerfile': 'FROM $CI_REGISTRY_IMAGE:$CI_COMMIT_BEFORE_SHA\n' } });
  t.same(found.map((f) => f.location), [{ path: '.gitlab-ci.yml', line: 3 }, { path: 'other/Dockerfile', line: 1 }]);
});

t.test('near misses', async (t) => {
  t.same(await runCheck(check, { ci: `build:
  script:
    - docker pull $CI_REGISTRY_IMAGE:$CI_COMMIT_BEFORE_SHA || true
    - docker build --cache-from $CI_REGISTRY_IMAGE:$CI_COMMIT_BEFORE_SHA -t $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA .
    - echo $CI_COMMIT_BEFORE_SHA
` }), [], 'best-effort cache pulls');
});
