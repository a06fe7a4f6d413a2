import t from 'tap';
import {
  findDockerInvocations, parseDockerBuild, parseDockerLogin, imageRegistryHost, loginRegistryHost, pushTargets, invocationOf,
} from '../../src/analysis/shell/index.js';
import type { DockerInvocation } from '../../src/analysis/shell/types.js';
import { makeJob } from './make-job.js';

function inv(cmd: string): DockerInvocation {
  const found = findDockerInvocations(makeJob({ script: [cmd] }));
  if (!found[0]) throw new Error(`no invocation in ${cmd}`);
  return found[0];
}

t.test('verbs normalise across tools and spellings', async (t) => {
  const cases: Array<[string, string, string]> = [
    ['docker build .', 'build', 'docker'],
    ['docker buildx build --push -t x .', 'build', 'buildx'],
    ['docker image push x', 'push', 'docker'],
    ['docker --config /tmp/c push x', 'push', 'docker'],
    ['podman login -u a -p b reg', 'login', 'podman'],
    ['buildah bud -t x .', 'build', 'buildah'],
    ['/kaniko/executor --context . --destination x', 'build', 'kaniko'],
    ['docker compose up', 'other', 'docker'],
  ];
  for (const [cmd, verb, tool] of cases) {
    const i = inv(cmd);
    t.equal(i.verb, verb, cmd);
    t.equal(i.tool, tool, cmd);
  }
  t.equal(invocationOf(['echo', 'docker']), undefined);
  t.equal(invocationOf(['dockerd-entrypoint.sh']), undefined);
});

t.test('order: before_script, script, then after_script flagged by section', async (t) => {
  const job = makeJob({ before: ['echo -n $T | docker login -u u --password-stdin $CI_REGISTRY'], script: ['docker build -t x . && docker push x'], after: ['docker logout'] });
  const found = findDockerInvocations(job);
  t.same(found.map((f) => f.verb), ['login', 'build', 'push', 'logout']);
  t.same(found.map((f) => f.source.section), ['before_script', 'script', 'script', 'after_script']);
  t.equal(found[0]!.prev, '|');
  t.equal(found[2]!.indexInLine, 1);
});

t.test('cd carries over to later commands', async (t) => {
  const found = findDockerInvocations(makeJob({ script: ['cd services/api', 'docker build .', 'cd $CI_PROJECT_DIR && docker build .'] }));
  t.equal(found[0]!.cwd, 'services/api');
  t.equal(found[1]!.cwd, '');
});

t.test('docker build flags', async (t) => {
  const b = parseDockerBuild(inv('docker build --pull -f docker/Dockerfile --tag "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHA" -t y --build-arg A=1 --build-arg=B --cache-from x:latest --label a=b ./app'))!;
  t.equal(b.file, 'docker/Dockerfile');
  t.equal(b.context, './app');
  t.same(b.tags, ['$CI_REGISTRY_IMAGE:$CI_COMMIT_SHA', 'y']);
  t.same(b.buildArgs, [{ name: 'A', value: '1' }, { name: 'B' }]);
  t.same(b.cacheFrom, ['x:latest']);
  t.equal(b.push, false);
  t.equal(parseDockerBuild(inv('docker buildx build --push -t x .'))!.push, true);
  t.equal(parseDockerBuild(inv('docker buildx build --output type=image,push=true -t x .'))!.push, true);
  t.equal(parseDockerBuild(inv('docker push x')), undefined);
});

t.test('kaniko reads context, dockerfile and destinations', async (t) => {
  const b = parseDockerBuild(inv('/kaniko/executor --context "${CI_PROJECT_DIR}" --dockerfile "${CI_PROJECT_DIR}/Dockerfile" --destination "${CI_REGISTRY_IMAGE}:${CI_COMMIT_TAG}" --build-arg X=1'))!;
  t.equal(b.context, '${CI_PROJECT_DIR}');
  t.equal(b.file, '${CI_PROJECT_DIR}/Dockerfile');
  t.same(b.tags, ['${CI_REGISTRY_IMAGE}:${CI_COMMIT_TAG}']);
  t.equal(b.push, true);
  t.equal(parseDockerBuild(inv('/kaniko/executor --context . --destination x --no-push'))!.push, false);
});

t.test('docker login flags', async (t) => {
  const l = parseDockerLogin(inv('docker login -u $CI_REGISTRY_USER -p $CI_REGISTRY_PASSWORD $CI_REGISTRY'))!;
  t.equal(l.registry, '$CI_REGISTRY');
  t.equal(l.username, '$CI_REGISTRY_USER');
  t.equal(l.passwordArgv, '$CI_REGISTRY_PASSWORD');
  t.equal(l.passwordStdin, false);
  const s = parseDockerLogin(inv('docker login --username=gitlab-ci-token --password-stdin "${CI_REGISTRY}" < token.txt'))!;
  t.equal(s.registry, '${CI_REGISTRY}');
  t.equal(s.passwordStdin, true);
  t.equal(s.passwordArgv, undefined);
});

t.test('push targets', async (t) => {
  t.same(pushTargets(inv('docker push --all-tags $CI_REGISTRY_IMAGE')), ['$CI_REGISTRY_IMAGE']);
  t.same(pushTargets(inv('podman push localimg docker://registry.example.com/a/b:1')), ['registry.example.com/a/b:1']);
  t.same(pushTargets(inv('docker build -t x .')), []);
});

t.test('registry hosts', async (t) => {
  const cases: Array<[string, string]> = [
    ['$CI_REGISTRY_IMAGE:latest', '$CI_REGISTRY'],
    ['${CI_REGISTRY_IMAGE}/api:1', '$CI_REGISTRY'],
    ['$CI_REGISTRY/group/proj', '$CI_REGISTRY'],
    ['alpine:3', 'docker.io'],
    ['library/alpine', 'docker.io'],
    ['docker.io/library/alpine', 'docker.io'],
    ['Registry.Example.com:5050/a/b', 'registry.example.com:5050'],
    ['$CI_DEPENDENCY_PROXY_GROUP_IMAGE_PREFIX/alpine', '$CI_DEPENDENCY_PROXY_SERVER'],
    ['$HARBOR/a/b', '$HARBOR'],
  ];
  for (const [ref, host] of cases) t.equal(imageRegistryHost(ref), host, ref);
  t.equal(loginRegistryHost(undefined), 'docker.io');
  t.equal(loginRegistryHost('${CI_REGISTRY}'), '$CI_REGISTRY');
  t.equal(loginRegistryHost('https://index.docker.io/v1/'), 'docker.io');
  t.equal(loginRegistryHost('registry.gitlab.com'), 'registry.gitlab.com');
});
