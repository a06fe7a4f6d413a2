// A fake GitLab with one project and one MR changing .gitlab-ci.yml, for the gitlab tests.
import type { Test } from 'tap';
import { startFakeGitlab, type FakeGitlab } from '../fake-gitlab/index.js';

export const TOKEN = 'glpat-test-token-000000';
export const BASE = 'b'.repeat(40);
export const HEAD = 'c'.repeat(40);

export const OLD_CI = ['stages: [build]', '', 'build:', '  image: docker:24', '  script:', '    - docker build -t $CI_REGISTRY_IMAGE .', ''].join('\n');
export const NEW_CI = [
  'stages: [build]',
  '',
  'build:',
  '  image: docker:24',
  '  services: [docker:24-dind]',
  '  script:',
  '    - docker build -t $CI_REGISTRY_IMAGE .',
  '    - docker push $CI_REGISTRY_IMAGE',
  '',
].join('\n');

export async function fakeWithMr(t: Test): Promise<FakeGitlab> {
  const gl = await startFakeGitlab({ token: TOKEN, botUser: { id: 99, username: 'ci-medic' } });
  t.teardown(() => gl.close());
  gl.addProject({ id: 42, path: 'acme/web-app' });
  gl.setFile(42, BASE, 'README.md', 'hello\n');
  gl.addMergeRequest({
    project: 42,
    iid: 12,
    sourceBranch: 'feature/docker-build',
    headSha: HEAD,
    baseSha: BASE,
    files: [{ path: '.gitlab-ci.yml', oldText: OLD_CI, newText: NEW_CI }],
  });
  return gl;
}
