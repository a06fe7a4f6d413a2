import t from 'tap';
import { check } from '../../src/analysis/rules/checks/registry-login-failed.js';
import { check as missing } from '../../src/analysis/rules/checks/registry-login-missing.js';
import { runCheck } from './helpers.js';

t.test('GitLab credentials without a registry log in to Docker Hub', async (t) => {
  const ci = `build:
  before_script:
    - echo $CI_JOB_TOKEN | docker login -u gitlab-ci-token --password-stdin
  script:
    - docker push $CI_REGISTRY_IMAGE:latest
`;
  const [f] = await runCheck(check, { ci });
  t.same(f!.location, { path: '.gitlab-ci.yml', line: 3 });
  t.same(f!.fix!.edits, [{ path: '.gitlab-ci.yml', startLine: 3, endLine: 3, newLines: ['    - echo $CI_JOB_TOKEN | docker login -u gitlab-ci-token --password-stdin "$CI_REGISTRY"'] }]);
  t.same(await runCheck(missing, { ci }), [], 'not also reported as a missing login');
});

t.test('the removed $CI_BUILD_TOKEN', async (t) => {
  const [f] = await runCheck(check, { ci: `build:
  script:
    - docker login -u gitlab-ci-token -p $CI_BUILD_TOKEN $CI_REGISTRY
` });
  t.match(f!.message, /CI_BUILD_TOKEN/);
});

t.test('near misses', async (t) => {
  t.same(await runCheck(check, { ci: `build:
  script:
    - echo "$HUB_TOKEN" | docker login -u "$HUB_USER" --password-stdin
    - echo -n $CI_JOB_TOKEN | docker login -u gitlab-ci-token --password-stdin $CI_REGISTRY
    - docker push $CI_REGISTRY_IMAGE
` }), [], 'a Hub login for pulls beside a registry login');
  t.same(await runCheck(check, { ci: `build:
  script:
    - echo $CI_JOB_TOKEN | docker login -u gitlab-ci-token --password-stdin
    - docker push myorg/app
` }), [], 'no push to the GitLab registry');
});
