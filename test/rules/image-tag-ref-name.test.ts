import t from 'tap';
import { check } from '../../src/analysis/rules/checks/image-tag-ref-name.js';
import { runCheck } from './helpers.js';

t.test('REF_NAME as the tag, written on the script line', async (t) => {
  const [f, ...rest] = await runCheck(check, { ci: `build:
  script:
    - docker build --build-arg BRANCH=$CI_COMMIT_REF_NAME -t $CI_REGISTRY_IMAGE:$CI_COMMIT_REF_NAME .
` });
  t.same(rest, []);
  t.same(f!.location, { path: '.gitlab-ci.yml', line: 3 });
  t.same(f!.fix!.edits, [{ path: '.gitlab-ci.yml', startLine: 3, endLine: 3, newLines: ['    - docker build --build-arg BRANCH=$CI_COMMIT_REF_NAME -t $CI_REGISTRY_IMAGE:$CI_COMMIT_REF_SLUG .'] }]);
});

t.test('${CI_COMMIT_BRANCH} through a variable is fixed in the variable', async (t) => {
  const [f] = await runCheck(check, { ci: `variables:
  IMAGE: "$CI_REGISTRY_IMAGE:\${CI_COMMIT_BRANCH}"
build:
  script:
    - docker push $IMAGE
` });
  t.same(f!.location, { path: '.gitlab-ci.yml', line: 2 });
  t.same(f!.fix!.edits[0]!.newLines, ['  IMAGE: "$CI_REGISTRY_IMAGE:${CI_COMMIT_REF_SLUG}"']);
});

t.test('near misses', async (t) => {
  t.same(await runCheck(check, { ci: `build:
  script:
    - docker build -t $CI_REGISTRY_IMAGE:$CI_COMMIT_REF_SLUG .
` }), [], 'slug');
  t.same(await runCheck(check, { ci: `build:
  only: [tags]
  script:
    - docker build -t $CI_REGISTRY_IMAGE:$CI_COMMIT_REF_NAME .
` }), [], 'tags only');
  t.same(await runCheck(check, { ci: `build:
  rules:
    - if: $CI_COMMIT_BRANCH == "main"
  script:
    - docker build -t $CI_REGISTRY_IMAGE:$CI_COMMIT_BRANCH .
` }), [], 'main only');
  t.same(await runCheck(check, { ci: `build:
  script:
    - docker build --build-arg BRANCH=$CI_COMMIT_REF_NAME -t app .
` }), [], 'only in a build arg');
});
