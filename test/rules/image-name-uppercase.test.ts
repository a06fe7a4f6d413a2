import t from 'tap';
import { check } from '../../src/analysis/rules/checks/image-name-uppercase.js';
import { runCheck } from './helpers.js';

t.test('$CI_REGISTRY/$CI_PROJECT_PATH is replaced by $CI_REGISTRY_IMAGE', async (t) => {
  const [f] = await runCheck(check, { ci: `build:
  script:
    - docker build -t $CI_REGISTRY/$CI_PROJECT_PATH/api:latest .
` });
  t.equal(f!.evidence!['variable'], 'CI_PROJECT_PATH');
  t.same(f!.fix!.edits, [{ path: '.gitlab-ci.yml', startLine: 3, endLine: 3, newLines: ['    - docker build -t $CI_REGISTRY_IMAGE/api:latest .'] }]);
});

t.test('project name in the path: finding without fix', async (t) => {
  const [f] = await runCheck(check, { ci: `build:
  script:
    - docker push \${CI_REGISTRY}/group/\${CI_PROJECT_NAME}:1
` });
  t.equal(f!.fix, undefined);
});

t.test('near misses', async (t) => {
  t.same(await runCheck(check, { ci: `build:
  script:
    - docker build -t $CI_REGISTRY_IMAGE:$CI_PROJECT_NAME .
    - docker build -t $CI_REGISTRY/$CI_PROJECT_PATH_SLUG:1 .
    - docker build -t myorg/$CI_PROJECT_NAME:1 .
` }), [], 'variable in the tag, slug, or a non-GitLab registry');
});
