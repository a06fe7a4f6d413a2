import t from 'tap';
import { check } from '../../src/analysis/rules/checks/cache-from-not-pulled.js';
import { runCheck } from './helpers.js';

t.test('--cache-from without a pull: a tolerated pull is inserted before the build', async (t) => {
  const [f] = await runCheck(check, { ci: `build:
  script:
    - docker build --cache-from $CI_REGISTRY_IMAGE:latest -t $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA .
` });
  t.same(f!.location, { path: '.gitlab-ci.yml', line: 3 });
  t.same(f!.fix!.edits, [{ path: '.gitlab-ci.yml', startLine: 3, endLine: 2, newLines: ['    - docker pull $CI_REGISTRY_IMAGE:latest || true'] }]);
});

t.test('a pull of a different tag does not count', async (t) => {
  t.equal((await runCheck(check, { ci: `build:
  script:
    - docker pull $IMG:$latest || true
    - docker build --cache-from $IMG:latest -t x .
` })).length, 1);
});

t.test('near misses', async (t) => {
  t.same(await runCheck(check, { ci: `build:
  script:
    - docker pull \${CI_REGISTRY_IMAGE}:latest || true
    - docker build --cache-from $CI_REGISTRY_IMAGE:latest -t x .
` }), [], 'pulled (spelling differs)');
  t.same(await runCheck(check, { ci: `build:
  script:
    - docker build --build-arg BUILDKIT_INLINE_CACHE=1 --cache-from $CI_REGISTRY_IMAGE:latest -t x .
` }), [], 'inline cache');
  t.same(await runCheck(check, { ci: `build:
  script:
    - docker buildx build --cache-from type=registry,ref=$CI_REGISTRY_IMAGE:cache -t x .
    - docker buildx build --cache-from $CI_REGISTRY_IMAGE:cache -t x .
` }), [], 'buildx pulls remote cache itself');
});
