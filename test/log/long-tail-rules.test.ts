// The long-tail log rules (issue 14 §2), checked against the real-log corpus they were written
// from and against real-format lines that must, or must not, match.
import t from 'tap';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { builtinRules, repoRoot, ruleIds, scanText } from './helpers.js';

const LONG_TAIL = [
  'buildx-multiplatform-docker-driver', 'ci-variable-protected-empty', 'dind-certs-not-shared',
  'docker-api-version-mismatch', 'git-clone-unreachable', 'image-entrypoint-script',
  'job-command-not-found', 'job-dns-resolution-failed', 'job-timeout', 'job-token-image-pull-denied',
  'k8s-rbac-forbidden', 'kaniko-push-unauthorized', 'maven-deploy-conflict', 'npm-publish-version-exists',
  'pypi-file-exists', 'rootless-subuid-insufficient', 'runner-build-dir-conflict',
  'runner-prepare-environment-failed', 'docker-socket-permission-denied', 'git-http-auth-denied',
  'ssh-host-key-verification-failed', 'ssh-auth-rejected', 'buildah-userns-denied',
  'k8s-pod-start-timeout', 'kaniko-dockerfile-not-found', 'runner-docker-daemon-down', 'git-lfs-missing',
  'k8s-cluster-unreachable', 'node-heap-out-of-memory', 'gitlab-ci-config-error',
];

const corpusDir = join(repoRoot, 'test/fixtures/real-logs');

interface Fixture { id: string; expect: string; kind: string; split: string; log: string }

function corpus(): Fixture[] {
  if (!existsSync(corpusDir)) return [];
  return readdirSync(corpusDir)
    .filter((f) => f.startsWith('c-') && f.endsWith('.log'))
    .map((f) => {
      const id = f.slice(0, -'.log'.length);
      const meta = parse(readFileSync(join(corpusDir, `${id}.yml`), 'utf8')) as Record<string, string>;
      return { id, expect: meta.expect!, kind: meta.kind!, split: meta.split!, log: readFileSync(join(corpusDir, f), 'utf8') };
    });
}

// Linear time is proven for every built-in pattern by test/log/redos.test.ts.
t.test('every long-tail rule is a built-in log rule', async (t) => {
  const byId = new Map(builtinRules().map((r) => [r.id, r]));
  for (const id of LONG_TAIL) t.ok(byId.get(id)?.log?.length, `${id} is a built-in rule with log patterns`);
});

t.test('corpus: each excerpt that names a long-tail rule is matched by it', async (t) => {
  const fixtures = corpus().filter((f) => LONG_TAIL.includes(f.expect));
  t.ok(fixtures.length >= 40, `at least 40 excerpts name a long-tail rule (found ${fixtures.length})`);
  for (const f of fixtures) {
    // Holdout excerpts are reported by the evaluation, not asserted: rules are never tuned on them.
    if (f.split !== 'dev') continue;
    t.ok(ruleIds(await scanText(f.log)).includes(f.expect), `${f.id}: ${f.expect} matches`);
  }
});

t.test('corpus: no long-tail rule matches a negative excerpt', async (t) => {
  const negatives = corpus().filter((f) => f.kind === 'negative' && f.split === 'dev');
  t.ok(negatives.length > 0);
  for (const f of negatives) {
    const hits = ruleIds(await scanText(f.log)).filter((id) => LONG_TAIL.includes(id));
    t.same(hits, [], `${f.id}: no long-tail rule`);
  }
});

interface Case { rule: string; hit: string[]; miss: string[] }

// `hit`: lines as tools print them; `miss`: the near misses each rule must leave alone.
const cases: Case[] = [
  {
    rule: 'kaniko-push-unauthorized',
    hit: ['error checking push permissions -- make sure you entered the correct tag name, and that you are authenticated correctly, and try again: checking push permission for "registry.gitlab.com/acme/app:1.0": POST https://registry.gitlab.com/v2/acme/app/blobs/uploads/: UNAUTHORIZED: authentication required'],
    miss: [
      'error checking push permissions -- make sure you entered the correct tag name, and that you are authenticated correctly, and try again: checking push permission for "x/y:v1": creating push check transport for x.com failed: Get "https://x.com/v2/": dial tcp 10.0.0.1:443: connect: no route to host',
      'INFO[0000] Resolved base name gcr.io/distroless/base:latest to gcr.io/distroless/base:latest',
    ],
  },
  {
    rule: 'ci-variable-protected-empty',
    hit: ['error checking push permissions -- make sure you entered the correct tag name, and that you are authenticated correctly, and try again: checking push permission for "/group/app:latest": creating push check transport for index.docker.io failed', '/scripts/deploy.sh: line 4: DEPLOY_TOKEN: unbound variable'],
    miss: ['checking push permission for "registry.gitlab.com/group/app:latest"', 'line 4: i: unbound variable'],
  },
  {
    rule: 'docker-api-version-mismatch',
    hit: ['Error response from daemon: client version 1.52 is too new. Maximum supported API version is 1.41', 'Error response from daemon: client version 1.40 is too old. Minimum supported API version is 1.44, please upgrade your client to a newer version'],
    miss: [' API version:       1.41 (downgraded from 1.51)'],
  },
  {
    rule: 'k8s-rbac-forbidden',
    hit: ['Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:gitlab-runner:default" cannot create resource "pods" in API group "" in the namespace "ci"'],
    miss: ['pods "cpu-test" is forbidden: error looking up service account ns/default: serviceaccount "default" not found'],
  },
  {
    rule: 'dind-certs-not-shared',
    hit: ['unable to resolve docker endpoint: open /certs/client/ca.pem: no such file or directory'],
    miss: ['unable to resolve docker endpoint: invalid docker host'],
  },
  {
    rule: 'job-dns-resolution-failed',
    hit: ["fatal: unable to access 'https://gitlab.example.com/acme/app.git/': Could not resolve host: gitlab.example.com", 'dial tcp: lookup registry.example.com on 10.0.0.2:53: no such host'],
    miss: ['error during connect: Get "http://docker:2375/v1.24/info": dial tcp: lookup docker on 10.0.0.2:53: no such host'],
  },
  {
    rule: 'git-clone-unreachable',
    hit: ["fatal: unable to access 'http://gitlab-ci-token:xxxx@192.168.1.5:10080/acme/app.git/': Failed to connect to 192.168.1.5 port 10080: Connection refused"],
    miss: ["fatal: unable to access 'https://gitlab.example.com/acme/app.git/': The requested URL returned error: 403"],
  },
  {
    rule: 'job-timeout',
    hit: ['ERROR: Job failed: execution took longer than 1h0m0s seconds', 'There has been a timeout failure or the job got stuck. Check your timeout limits or try again'],
    miss: ['WARNING: Timed out waiting for the build to finish'],
  },
  {
    rule: 'npm-publish-version-exists',
    hit: ['npm ERR! 403 403 Forbidden - PUT https://registry.npmjs.org/pkg - You cannot publish over the previously published versions: 1.2.3.', 'npm ERR! code EPUBLISHCONFLICT'],
    miss: ['npm ERR! 403 403 Forbidden - PUT https://registry.npmjs.org/pkg - You do not have permission to publish "pkg".', '+ pkg@1.2.4'],
  },
  {
    rule: 'pypi-file-exists',
    hit: ['File already exists. See https://pypi.org/help/#file-name-reuse for more information.', '{"message":"Validation failed: File name has already been taken"}'],
    miss: ['WARNING  Skipping pkg-1.0-py3-none-any.whl because it appears to already exist', 'INFO     Requested entity already exists.'],
  },
  {
    rule: 'maven-deploy-conflict',
    hit: ['[ERROR] Failed to execute goal org.apache.maven.plugins:maven-deploy-plugin:3.1.1:deploy (default-deploy) on project app: Failed to deploy artifacts: Could not transfer artifact com.acme:app:jar:1.0 from/to gitlab-maven (https://gitlab.com/api/v4/projects/1/packages/maven): Transfer failed for https://gitlab.com/api/v4/projects/1/packages/maven/com/acme/app/1.0/app-1.0.jar 409 Conflict'],
    miss: ['Failed to deploy artifacts: Could not transfer artifact com.acme:app:pom:2.0 from/to repo (https://repo.example.com/): status code: 400, reason phrase: Bad Request (400)'],
  },
  {
    rule: 'rootless-subuid-insufficient',
    hit: ['Error: potentially insufficient UIDs or GIDs available in user namespace (requested 0:42 for /etc/shadow): Check /etc/subuid and /etc/subgid: lchown /etc/shadow: invalid argument'],
    miss: ['time="2025-08-04T18:50:29Z" level=warning msg="Using rootless single mapping into the namespace. This might break some images."'],
  },
  {
    rule: 'runner-prepare-environment-failed',
    hit: ['ERROR: Job failed: prepare environment: exit status 1. Check https://docs.gitlab.com/runner/shells/index.html#shell-profile-loading for more information'],
    miss: ['ERROR: Job failed: exit status 1'],
  },
  {
    rule: 'buildx-multiplatform-docker-driver',
    hit: ['ERROR: multiple platforms feature is currently not supported for docker driver. Please switch to a different driver (eg. "docker buildx create --use")'],
    miss: ['#1 [internal] booting buildkit'],
  },
  {
    rule: 'job-command-not-found',
    hit: ['bash: line 34: git: command not found', '/bin/sh: eval: line 125: apt-get: not found', '/usr/local/bin/mvn-entrypoint.sh: line 24: find: command not found'],
    miss: ['/busybox/sh: eval: line 136: -: not found', 'npm ERR! 404 Not Found - GET https://registry.npmjs.org/nope - Not found', 'error: pathspec \'main\' did not match any file(s) known to git'],
  },
  {
    rule: 'image-entrypoint-script',
    hit: ['sh: 3: set: Illegal option -o pipefail', 'Terraform has no command named "sh".', '/bin/sh: /bin/sh: cannot execute binary file', 'Failed to parse CLI arguments; Failed to load `sh`: File not found'],
    miss: ['set -o pipefail'],
  },
  {
    rule: 'job-token-image-pull-denied',
    hit: [],
    miss: ["Error response from daemon: pull access denied for acme/app, repository does not exist or may require 'docker login': denied: requested access to the resource is denied"],
  },
  {
    rule: 'runner-build-dir-conflict',
    hit: ['fatal: shallow file has changed since we read it', "fatal: destination path '/builds/acme/app' already exists and is not an empty directory.", "fatal: Unable to create '/builds/acme/app/.git/index.lock': File exists."],
    miss: ['Reinitialized existing Git repository in /builds/acme/app/.git/'],
  },
  {
    rule: 'docker-socket-permission-denied',
    hit: ['Got permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.24/version": dial unix /var/run/docker.sock: connect: permission denied'],
    miss: ['Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?'],
  },
  {
    rule: 'git-http-auth-denied',
    hit: ['remote: HTTP Basic: Access denied. The provided password or token is incorrect or your account has 2FA enabled and you must use a personal access token instead of a password.', "fatal: Authentication failed for 'https://gitlab.com/acme/app.git/'"],
    miss: ["fatal: could not read Username for 'https://gitlab.com': terminal prompts disabled", 'remote: You are not allowed to download code from this project.'],
  },
  {
    rule: 'ssh-host-key-verification-failed',
    hit: ['Host key verification failed.'],
    miss: ["Warning: Permanently added 'deploy.example.com' (ED25519) to the list of known hosts."],
  },
  {
    rule: 'ssh-auth-rejected',
    hit: ['deploy@203.0.113.7: Permission denied (publickey,password).', 'git@gitlab.com: Permission denied (publickey).'],
    miss: ['/bin/sh: 1: ./deploy.sh: Permission denied'],
  },
  {
    rule: 'buildah-userns-denied',
    hit: ['Error during unshare(CLONE_NEWUSER): Operation not permitted', 'error running subprocess: creating new mount namespace for [/bin/sh -c make]: operation not permitted'],
    miss: ['Error: building at STEP "RUN make": exit status 2'],
  },
  {
    rule: 'k8s-pod-start-timeout',
    hit: ['ERROR: Job failed (system failure): prepare environment: waiting for pod running: timed out waiting for pod to start. Check https://docs.gitlab.com/runner/shells/index.html#shell-profile-loading for more information'],
    miss: ['Waiting for pod gitlab/runner-abc-project-1-concurrent-0 to be running, status is Pending'],
  },
  {
    rule: 'kaniko-dockerfile-not-found',
    hit: ['Error: error resolving dockerfile path: please provide a valid path to a Dockerfile within the build context with --dockerfile'],
    miss: ['error building image: parsing dockerfile: Dockerfile parse error line 20: Unknown flag: mount'],
  },
  {
    rule: 'runner-docker-daemon-down',
    hit: ['ERROR: Preparation failed: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running? (docker.go:650:0s)', 'ERROR: Job failed (system failure): Cannot connect to the Docker daemon at tcp://172.31.7.97:2376. Is the docker daemon running? (executor_docker.go:967:60s)'],
    miss: ['Cannot connect to the Docker daemon at tcp://docker:2375. Is the docker daemon running?'],
  },
  {
    rule: 'git-lfs-missing',
    hit: ["This repository is configured for Git LFS but 'git-lfs' was not found on your path. If you no longer wish to use Git LFS, remove this hook by deleting .git/hooks/post-checkout.", "git: 'lfs' is not a git command. See 'git --help'."],
    miss: ['Git LFS: (1 of 1 files) 12.5 MB / 12.5 MB'],
  },
  {
    rule: 'k8s-cluster-unreachable',
    hit: ['Error: Kubernetes cluster unreachable: Get "http://localhost:8080/version?timeout=32s": dial tcp [::1]:8080: connect: connection refused', 'The connection to the server localhost:8080 was refused - did you specify the right host or port?'],
    miss: ['Release "app" has been upgraded. Happy Helming!'],
  },
  {
    rule: 'node-heap-out-of-memory',
    hit: ['FATAL ERROR: Ineffective mark-compacts near heap limit Allocation failed - JavaScript heap out of memory'],
    miss: ['<--- Last few GCs --->'],
  },
  {
    rule: 'gitlab-ci-config-error',
    hit: ['jobs:build config contains unknown keys: scripts', 'jobs config should contain at least one visible job', 'This GitLab CI configuration is invalid: jobs:test:rules:rule if invalid expression syntax'],
    miss: ['Checking out 1a2b3c4d as detached HEAD (ref is main)...'],
  },
];

t.test('each long-tail rule on its lines and near misses', async (t) => {
  t.same(cases.map((c) => c.rule).sort(), [...LONG_TAIL].sort(), 'every long-tail rule has a case');
  for (const c of cases) {
    for (const line of c.hit) t.ok(ruleIds(await scanText(`${line}\n`)).includes(c.rule), `${c.rule} matches: ${line}`);
    for (const line of c.miss) t.notOk(ruleIds(await scanText(`${line}\n`)).includes(c.rule), `${c.rule} leaves alone: ${line}`);
  }
});

t.test('sequence patterns need the line that ties them to the command', async (t) => {
  const denied = "WARNING: Failed to pull image with policy \"always\": Error response from daemon: pull access denied for gitlab.example.com/acme/base, repository does not exist or may require 'docker login': denied: requested access to the resource is denied (manager.go:237:0s)\n";
  const payload = 'Authenticating with credentials from job payload (GitLab Registry)\nPulling docker image gitlab.example.com/acme/base:latest ...\n';
  t.ok(ruleIds(await scanText(payload + denied)).includes('job-token-image-pull-denied'), 'after the job-payload login');
  t.notOk(ruleIds(await scanText(denied)).includes('job-token-image-pull-denied'), 'a denial without the job-payload login is not the job token');
  const wrapped = 'error checking push permissions -- make sure you entered the correct tag name,\nand that you are authenticated correctly, and try again: checking push permission for\n"foo/bar:1": UNAUTHORIZED: authentication required; [map[Action:pull Class:\n';
  t.ok(ruleIds(await scanText(wrapped)).includes('kaniko-push-unauthorized'), 'kaniko message wrapped over lines');
  t.notOk(ruleIds(await scanText('"foo/bar:1": UNAUTHORIZED: authentication required\n')).includes('kaniko-push-unauthorized'), 'not without kaniko\'s push check');
});
