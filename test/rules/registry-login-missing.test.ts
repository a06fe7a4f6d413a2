import t from 'tap';
import type { Test } from 'tap';
import { check } from '../../src/analysis/rules/checks/registry-login-missing.js';
import { runCheck, applyEdits } from './helpers.js';

const LOGIN = 'echo -n "$CI_JOB_TOKEN" | docker login -u gitlab-ci-token --password-stdin "$CI_REGISTRY"';

async function fires(t: Test, ci: string, files: Record<string, string> = {}) {
  const found = await runCheck(check, { ci, files });
  t.equal(found.length, 1, 'one finding');
  const f = found[0]!;
  t.equal(f.ruleId, 'registry-login-missing');
  // Certain (error) when the job runs in an image; without one a shell runner may hold a login.
  const inImage = /^\s*(image|services):/m.test(ci);
  t.equal(f.severity, inImage ? 'error' : 'warning');
  if (!inImage) t.match(f.message, /shell runner/);
  // The fix must make the finding go away.
  if (f.fix) {
    const fixed = applyEdits(ci, f.fix.edits);
    t.same(await runCheck(check, { ci: fixed, files }), [], 'fixed config is clean');
  }
  return f;
}

async function quiet(t: Test, ci: string, why: string, files: Record<string, string> = {}) {
  t.same(await runCheck(check, { ci, files }), [], why);
}

t.test('seed: push with no login anywhere adds before_script to the job', async (t) => {
  const ci = `stages: [build]
build:
  stage: build
  image: docker:24
  services: [docker:24-dind]
  script:
    - docker build -t $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA .
    - docker push $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA
`;
  const f = await fires(t, ci);
  t.same(f.location, { path: '.gitlab-ci.yml', line: 8 });
  t.same(f.fix!.edits, [{ path: '.gitlab-ci.yml', startLine: 3, endLine: 2, newLines: ['  before_script:', `    - ${LOGIN}`] }]);
  t.match(f.message, /build.*pushes.*\$CI_REGISTRY_IMAGE:\$CI_COMMIT_SHA/);
});

t.test('job with its own before_script gets the login as first item', async (t) => {
  const ci = `build:
  before_script:
  - docker info
  script:
  - docker push "$CI_REGISTRY_IMAGE"
`;
  const f = await fires(t, ci);
  t.same(f.fix!.edits, [{ path: '.gitlab-ci.yml', startLine: 3, endLine: 2, newLines: [`  - ${LOGIN}`] }]);
});

t.test('default before_script without login receives the line', async (t) => {
  const ci = `default:
  image: docker:24
  before_script:
    - docker info
build:
  script:
    - docker push \${CI_REGISTRY_IMAGE}:latest
`;
  const f = await fires(t, ci);
  t.same(f.fix!.edits, [{ path: '.gitlab-ci.yml', startLine: 4, endLine: 3, newLines: [`    - ${LOGIN}`] }]);
});

t.test('flow-style before_script is rewritten as a block list keeping the old value', async (t) => {
  const ci = `build:
  before_script: ["docker info"]
  script:
    - docker push $CI_REGISTRY_IMAGE
`;
  const f = await fires(t, ci);
  t.same(f.fix!.edits, [{ path: '.gitlab-ci.yml', startLine: 2, endLine: 2, newLines: ['  before_script:', `    - ${LOGIN}`, '    - ["docker info"]'] }]);
});

t.test('login after the push does not count', async (t) => {
  const f = await fires(t, `build:
  script:
    - docker push $CI_REGISTRY_IMAGE
    - echo -n $CI_JOB_TOKEN | docker login -u gitlab-ci-token --password-stdin $CI_REGISTRY
`);
  t.equal(f.location!.line, 3);
});

t.test('a Docker Hub login with Hub credentials does not log in to the GitLab registry', async (t) => {
  await fires(t, `build:
  script:
    - echo "$HUB_TOKEN" | docker login -u "$HUB_USER" --password-stdin
    - docker push $CI_REGISTRY_IMAGE/app:1
`);
});

t.test('push inside a block scalar is located on its own line', async (t) => {
  const f = await fires(t, `build:
  script:
    - |
      docker build -t $CI_REGISTRY_IMAGE .
      docker push $CI_REGISTRY_IMAGE
`);
  t.same(f.location, { path: '.gitlab-ci.yml', line: 5 });
});

t.test('a required pull of a registry image needs login; a tolerated one does not', async (t) => {
  await fires(t, `build:
  script:
    - docker pull $CI_REGISTRY_IMAGE:latest
    - docker build --cache-from $CI_REGISTRY_IMAGE:latest -t app .
`);
  await quiet(t, `build:
  script:
    - docker pull $CI_REGISTRY_IMAGE:latest || true
    - docker build --cache-from $CI_REGISTRY_IMAGE:latest -t app .
`, 'pull || true');
});

t.test('variables expanded: IMAGE defined from $CI_REGISTRY_IMAGE', async (t) => {
  await fires(t, `variables:
  IMAGE: $CI_REGISTRY_IMAGE/api
build:
  script:
    - docker build -t $IMAGE .
    - docker push $IMAGE
`);
});

t.test('kaniko without registry credentials gets the config.json line', async (t) => {
  const f = await fires(t, `build:
  image: { name: gcr.io/kaniko-project/executor:debug, entrypoint: [""] }
  script:
    - /kaniko/executor --context $CI_PROJECT_DIR --dockerfile $CI_PROJECT_DIR/Dockerfile --destination $CI_REGISTRY_IMAGE:$CI_COMMIT_TAG
`);
  t.match(f.fix!.edits[0]!.newLines[1]!, /\/kaniko\/\.docker\/config\.json$/);
});

t.test('a base image from the registry passed by --build-arg needs login', async (t) => {
  const f = await fires(t, `build:
  script:
    - docker build --build-arg BASE=$CI_REGISTRY_IMAGE/base:1 -t app .
`, { Dockerfile: 'ARG BASE\nFROM $BASE\nRUN true\n' });
  t.equal(f.evidence!['action'], 'base image');
});

t.test('near misses', async (t) => {
  await quiet(t, `default:
  before_script:
    - echo -n $CI_JOB_TOKEN | docker login -u gitlab-ci-token --password-stdin $CI_REGISTRY
build:
  script:
    - docker push $CI_REGISTRY_IMAGE
`, 'login in default:');
  await quiet(t, `before_script:
  - docker login -u "$CI_REGISTRY_USER" -p "$CI_REGISTRY_PASSWORD" "\${CI_REGISTRY}"
build:
  script:
    - docker push $CI_REGISTRY_IMAGE
`, 'legacy top-level before_script, quoted ${CI_REGISTRY}, password on argv');
  await quiet(t, `.docker:
  before_script:
    - echo "$CI_REGISTRY_PASSWORD" | docker login $CI_REGISTRY --username $CI_REGISTRY_USER --password-stdin
build:
  extends: .docker
  script:
    - docker push $CI_REGISTRY_IMAGE
`, 'login in an extends parent');
  await quiet(t, `.login: &login
  - echo -n $CI_JOB_TOKEN | docker login -u gitlab-ci-token --password-stdin $CI_REGISTRY
build:
  before_script: *login
  script:
    - docker push $CI_REGISTRY_IMAGE
`, 'login via YAML anchor');
  await quiet(t, `.setup:
  script:
    - docker login -u $CI_REGISTRY_USER -p $CI_REGISTRY_PASSWORD $CI_REGISTRY
build:
  before_script:
    - !reference [.setup, script]
  script:
    - docker push $CI_REGISTRY_IMAGE
`, 'login via !reference');
  await quiet(t, `build:
  script:
    - docker login -u gitlab-ci-token -p $CI_JOB_TOKEN registry.gitlab.com && docker push $CI_REGISTRY_IMAGE
`, 'login on the same line to a literal host');
  await quiet(t, `build:
  script:
    - docker push myorg/app:latest
`, 'push to Docker Hub is not this rule');
  await quiet(t, `build:
  script:
    - docker build -t $CI_REGISTRY_IMAGE .
  after_script:
    - docker push $CI_REGISTRY_IMAGE
`, 'after_script is not checked');
  await quiet(t, `build:
  script:
    - mkdir -p /kaniko/.docker
    - echo "{\\"auths\\":{\\"$CI_REGISTRY\\":{\\"username\\":\\"$CI_REGISTRY_USER\\",\\"password\\":\\"$CI_REGISTRY_PASSWORD\\"}}}" > /kaniko/.docker/config.json
    - /kaniko/executor --context . --destination $CI_REGISTRY_IMAGE
`, 'kaniko with config.json');
  await quiet(t, `build:
  script:
    - echo "denied: requested access to the resource is denied"
    - docker build -t $CI_REGISTRY_IMAGE .
`, 'no push at all');
});
