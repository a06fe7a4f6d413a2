import t from 'tap';
import { check } from '../../src/analysis/rules/checks/ci-variable-empty.js';
import { runCheck } from './helpers.js';

t.test('a misspelt predefined variable gets the right name', async (t) => {
  const [f] = await runCheck(check, { ci: `build:
  script:
    - docker build -t $CI_REGISTERY_IMAGE:$CI_COMMIT_SHA .
` });
  t.equal(f!.evidence!['variable'], 'CI_REGISTERY_IMAGE');
  t.same(f!.fix!.edits, [{ path: '.gitlab-ci.yml', startLine: 3, endLine: 3, newLines: ['    - docker build -t $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA .'] }]);
});

t.test('a variable defined only in another job (YAML merge keys are shallow)', async (t) => {
  const [f, ...rest] = await runCheck(check, { ci: `a: &job
  variables:
    CTX: app
    FILE: Dockerfile
  script:
    - docker build -f $FILE $CTX
b:
  <<: *job
  variables:
    FILE: Dockerfile.other
` });
  t.same(rest, []);
  t.equal(f!.evidence!['variable'], 'CTX');
  t.equal(f!.evidence!['job'], 'b');
});

t.test('near misses', async (t) => {
  t.same(await runCheck(check, { ci: `variables:
  IMAGE: $CI_REGISTRY_IMAGE
build:
  before_script:
    - export TAG=$(git describe)
    - VERSION=\`cat VERSION\`
  script:
    - docker build -t $IMAGE:$TAG-$VERSION --build-arg TOKEN=$DEPLOY_TOKEN .
` }), [], 'global, shell-assigned, or a project setting we cannot see');
  t.same(await runCheck(check, { ci: `build:
  script:
    - source ./env.sh
    - docker build -t $CI_REGISTERY_IMAGE .
` }), [], 'sources a file: anything may be defined');
});

t.test('parallel: matrix variables are defined', async (t) => {
  t.same(await runCheck(check, { ci: `.tpl: &tpl
  script:
    - docker build -f $DOCKERFILE_PATH .
a:
  variables: { DOCKERFILE_PATH: x/Dockerfile }
  <<: *tpl
b:
  <<: *tpl
  parallel:
    matrix:
      - DOCKERFILE_PATH: [a/Dockerfile, b/Dockerfile]
` }), []);
});
