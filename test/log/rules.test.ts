// Every log rule on output as runners print it, and a near miss that must not fire.
import t from 'tap';
import { builtinRules, cmd, failedJob, ruleIds, scanText } from './helpers.js';

interface Case {
  rule: string;
  name: string;
  body: string;
  /** The line the best match of `rule` is on (its text). */
  line: string;
}

const cases: Case[] = [
  {
    rule: 'registry-login-missing', name: 'push denied',
    body: cmd('docker push $CI_REGISTRY_IMAGE:latest') + 'The push refers to repository [registry.gitlab.com/acme/app]\n5f70bf18a086: Preparing\ndenied: requested access to the resource is denied\n',
    line: 'denied: requested access to the resource is denied',
  },
  {
    rule: 'registry-login-missing', name: 'no basic auth credentials',
    body: cmd('docker push registry.gitlab.com/acme/app:1.0') + 'The push refers to repository [registry.gitlab.com/acme/app]\nno basic auth credentials\n',
    line: 'no basic auth credentials',
  },
  {
    rule: 'registry-login-missing', name: 'pull unauthorized',
    body: cmd('docker pull $CI_REGISTRY_IMAGE/base:latest') + 'Error response from daemon: Head "https://registry.gitlab.com/v2/acme/app/base/manifests/latest": unauthorized: authentication required\n',
    line: 'Error response from daemon: Head "https://registry.gitlab.com/v2/acme/app/base/manifests/latest": unauthorized: authentication required',
  },
  {
    rule: 'dockerfile-from-undeclared-arg', name: 'BuildKit',
    body: cmd('docker build -t $CI_REGISTRY_IMAGE .') + '#0 building with "default" instance using docker driver\n#1 [internal] load build definition from Dockerfile\n#1 DONE 0.0s\n Dockerfile:1\n--------------------\n   1 | >>> FROM $CI_REGISTRY_IMAGE:$CI_COMMIT_BEFORE_SHA\n   2 |     RUN true\n--------------------\nERROR: failed to solve: failed to parse stage name ":": invalid reference format\n',
    line: 'ERROR: failed to solve: failed to parse stage name ":": invalid reference format',
  },
  {
    rule: 'image-not-found', name: 'manifest unknown',
    body: cmd('docker pull node:99-alpine') + 'Error response from daemon: manifest for node:99-alpine not found: manifest unknown: manifest unknown\n',
    line: 'Error response from daemon: manifest for node:99-alpine not found: manifest unknown: manifest unknown',
  },
  {
    rule: 'registry-insecure', name: 'HTTP registry',
    body: cmd('docker push registry.local:5000/app:1') + 'Get "https://registry.local:5000/v2/": http: server gave HTTP response to HTTPS client\n',
    line: 'Get "https://registry.local:5000/v2/": http: server gave HTTP response to HTTPS client',
  },
  {
    rule: 'dockerhub-rate-limit', name: 'toomanyrequests',
    body: cmd('docker pull node:20') + 'Error response from daemon: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit\n',
    line: 'Error response from daemon: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit',
  },
  {
    rule: 'dind-not-privileged', name: 'service log',
    body: '*** WARNING: Service runner-abc-project-1-concurrent-0-docker-0 probably didn\'t start properly.\n\nService container logs:\n2024-01-01T00:00:00.000Z mount: permission denied (are you root?)\n2024-01-01T00:00:00.000Z Could not mount /sys/kernel/security.\n\n*********\n' + cmd('docker info') + 'error during connect: Get "http://docker:2375/v1.24/info": dial tcp: lookup docker on 10.0.0.2:53: no such host\n',
    line: '2024-01-01T00:00:00.000Z mount: permission denied (are you root?)',
  },
  {
    rule: 'image-no-shell', name: 'kaniko non-debug',
    body: 'Error: unknown command "sh" for "executor"\nRun \'executor --help\' for usage\n',
    line: 'Error: unknown command "sh" for "executor"',
  },
  {
    rule: 'image-user-permission', name: 'git clone as non-root',
    body: 'fatal: could not create work tree dir \'/builds/acme/app\': Permission denied\n',
    line: 'fatal: could not create work tree dir \'/builds/acme/app\': Permission denied',
  },
  {
    rule: 'tls-untrusted-ca', name: 'git clone private CA',
    body: 'fatal: unable to access \'https://gitlab.corp.example/acme/app.git/\': server certificate verification failed. CAfile: /etc/ssl/certs/ca-certificates.crt CRLfile: none\n',
    line: 'fatal: unable to access \'https://gitlab.corp.example/acme/app.git/\': server certificate verification failed. CAfile: /etc/ssl/certs/ca-certificates.crt CRLfile: none',
  },
  {
    rule: 'job-oom-killed', name: 'exit 137',
    body: cmd('npm run build') + '> webpack --mode production\n\nKilled\n',
    line: 'Killed',
  },
  {
    rule: 'disk-full', name: 'no space left',
    body: cmd('docker build -t app .') + 'failed to register layer: Error processing tar file(exit status 1): write /usr/lib/libLLVM.so: no space left on device\n',
    line: 'failed to register layer: Error processing tar file(exit status 1): write /usr/lib/libLLVM.so: no space left on device',
  },
  {
    rule: 'runner-unavailable', name: 'stuck',
    body: 'This job is stuck because you don\'t have any active runners online or available with any of these tags assigned to them: gpu\n',
    line: 'This job is stuck because you don\'t have any active runners online or available with any of these tags assigned to them: gpu',
  },
  {
    rule: 'job-token-forbidden', name: 'clone of another project',
    body: cmd('git clone https://gitlab-ci-token:${CI_JOB_TOKEN}@gitlab.com/acme/private-lib.git') + 'Cloning into \'private-lib\'...\nremote: You are not allowed to download code from this project.\nfatal: unable to access \'https://gitlab.com/acme/private-lib.git/\': The requested URL returned error: 403\n',
    line: 'remote: You are not allowed to download code from this project.',
  },
  {
    rule: 'artifacts-too-large', name: '413',
    body: 'section_start:1700000001:upload_artifacts_on_success\r\x1b[0KUploading artifacts for successful job\nUploading artifacts...\ndist/: found 10231 matching artifact files and directories\nERROR: Uploading artifacts as "archive" to coordinator... too large archive  id=42 responseStatus=413 Request Entity Too Large status=413 token=glcbt-64_abcdef\nFATAL: too large\nsection_end:1700000002:upload_artifacts_on_success\r\x1b[0K\n',
    line: 'ERROR: Uploading artifacts as "archive" to coordinator... too large archive  id=42 responseStatus=413 Request Entity Too Large status=413 token=glcbt-64_abcdef',
  },
];

// Lines that mention the same words in an unrelated or harmless context.
const nearMisses: Array<{ rule: string; body: string }> = [
  { rule: 'registry-login-missing', body: cmd('./check-acl.sh') + 'denied: requested access to the resource is denied (expected for the anonymous probe)\n' },
  { rule: 'registry-login-missing', body: cmd('docker push $CI_REGISTRY_IMAGE:latest') + 'The push refers to repository [registry.gitlab.com/acme/app]\n5f70bf18a086: Pushed\nlatest: digest: sha256:2401d18fcf42aafcbaecf9ea0123456789abcdef0123456789abcdef01234567 size: 528\n' + cmd('curl https://example.com/denied') + 'access denied\n' },
  { rule: 'dockerfile-from-undeclared-arg', body: cmd('docker build .') + 'Step 1/3 : FROM alpine:3.19\ninvalid reference format\n' },
  { rule: 'image-not-found', body: cmd('ls missing') + 'ls: cannot access \'missing\': No such file or directory\nfile not found in cache, rebuilding\n' },
  { rule: 'registry-insecure', body: cmd('openssl x509 -in cert.pem -noout -issuer') + 'issuer=CN = Example Root CA, certificate signed by a trusted authority\nserver gave a response\n' },
  { rule: 'dockerhub-rate-limit', body: cmd('echo "we handle rate limits"') + 'we handle rate limits\n' },
  { rule: 'dind-not-privileged', body: cmd('ls /root') + 'ls: cannot open directory \'/root\': Permission denied\n' },
  { rule: 'image-no-shell', body: cmd('bash ./run.sh') + './run.sh: line 3: zsh: command not found\n' },
  { rule: 'image-user-permission', body: cmd('ssh deploy@host true') + 'deploy@host: Permission denied (publickey).\n' },
  { rule: 'tls-untrusted-ca', body: cmd('curl -k https://self-signed.example') + 'ok\n' },
  { rule: 'job-oom-killed', body: cmd('pkill -f worker') + 'Killed 3 stale workers\n' },
  { rule: 'disk-full', body: cmd('df -h') + 'Filesystem Size Used Avail Use% Mounted on\noverlay 100G 12G 88G 12% /\n' },
  { rule: 'runner-unavailable', body: cmd('echo stuck') + 'stuck\n' },
  { rule: 'job-token-forbidden', body: cmd('curl https://example.com') + '<h1>403 Forbidden</h1>\n' },
  { rule: 'artifacts-too-large', body: cmd('curl -X POST https://example.com/upload') + '413 Request Entity Too Large\n' },
];

t.test('every log rule has a case', async (t) => {
  const logRules = builtinRules().filter((r) => r.log?.length && r.seenIn.includes('log')).map((r) => r.id);
  const mine = [
    'image-not-found', 'registry-insecure', 'dockerhub-rate-limit', 'dind-not-privileged', 'image-no-shell',
    'image-user-permission', 'tls-untrusted-ca', 'job-oom-killed', 'disk-full', 'runner-unavailable',
    'job-token-forbidden', 'artifacts-too-large', 'registry-login-missing', 'dockerfile-from-undeclared-arg',
  ];
  for (const id of mine) {
    t.ok(logRules.includes(id), `${id} has log patterns`);
    t.ok(cases.some((c) => c.rule === id), `${id} has a matching case`);
    t.ok(nearMisses.some((c) => c.rule === id), `${id} has a near miss`);
  }
});

for (const c of cases) {
  t.test(`${c.rule}: ${c.name}`, async (t) => {
    const r = await scanText(failedJob(c.body));
    const mine = r.matches.filter((m) => m.ruleId === c.rule).sort((a, b) => b.confidence - a.confidence);
    t.ok(mine.length > 0, `fires (got ${ruleIds(r).join(', ') || 'nothing'})`);
    t.equal(mine[0]?.line.text, c.line);
  });
}

for (const [i, c] of nearMisses.entries()) {
  t.test(`${c.rule}: near miss ${i}`, async (t) => {
    const r = await scanText(failedJob(c.body));
    t.notOk(ruleIds(r).includes(c.rule), `does not fire (got ${ruleIds(r).join(', ') || 'nothing'})`);
  });
}
