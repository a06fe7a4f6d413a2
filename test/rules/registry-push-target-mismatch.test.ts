import t from 'tap';
import { check } from '../../src/analysis/rules/checks/registry-push-target-mismatch.js';
import { runCheck } from './helpers.js';

t.test('logged in to $CI_REGISTRY, pushing a tag without a registry prefix', async (t) => {
  const [f] = await runCheck(check, { ci: `build:
  before_script:
    - echo -n $CI_JOB_TOKEN | docker login -u gitlab-ci-token --password-stdin $CI_REGISTRY
  script:
    - docker build -t myapp:latest .
    - docker push myapp:latest
` });
  t.same(f!.location, { path: '.gitlab-ci.yml', line: 6 });
  t.match(f!.message, /Docker Hub/);
});

t.test('logged in to one literal host, pushing to another', async (t) => {
  t.equal((await runCheck(check, { ci: `build:
  script:
    - docker login -u u --password-stdin registry.example.com < pw
    - docker push other.example.com/team/app:1
` })).length, 1);
});

t.test('near misses', async (t) => {
  t.same(await runCheck(check, { ci: `build:
  script:
    - docker login -u u --password-stdin $CI_REGISTRY < pw
    - docker push $CI_REGISTRY_IMAGE:1
    - docker push registry.gitlab.com/group/app:1
` }), [], 'literal host may be $CI_REGISTRY');
  t.same(await runCheck(check, { ci: `build:
  script:
    - docker login -u u --password-stdin $HARBOR < pw
    - docker push harbor.example.com/app:1
` }), [], 'login host is an unknown variable');
  t.same(await runCheck(check, { ci: `build:
  script:
    - docker push myorg/app:1
` }), [], 'no login at all: not this rule');
  t.same(await runCheck(check, { ci: `build:
  script:
    - docker login -u $CI_DEPENDENCY_PROXY_USER -p $CI_DEPENDENCY_PROXY_PASSWORD $CI_DEPENDENCY_PROXY_SERVER
    - docker login -u $U -p $P
    - docker push myorg/app:1
` }), [], 'Hub login present');
});
