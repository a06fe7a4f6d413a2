// No secret written to a job log survives into the diagnosis comment ci-medic would post: each
// form is placed in the echoed command, the lines around the match, the matching line itself and
// (for a job with no known cause) the error lines and the tail — then scanned, diagnosed, rendered.
import t from 'tap';
import { scanLog } from '../../src/analysis/log/index.js';
import { diagnoseJob } from '../../src/analysis/diagnose/index.js';
import { renderDiagnosis } from '../../src/report/markdown/index.js';
import { loadAllRules } from '../../src/analysis/rules/load-files.js';
import { REDACTED } from '../../src/text/redact.js';

const rules = loadAllRules().rules;

interface SecretCase {
  name: string;
  /** How the secret appears in a log line. */
  line: string;
  /** What must not appear in the comment. */
  secrets: string[];
}

const TOKEN_BODY = 'Xy7kQ2mN9pL4vR8sT1wZ';
const tokenCases: SecretCase[] = ['glpat', 'gldt', 'glrt', 'glcbt', 'glptt', 'glft', 'glimt', 'glagent', 'gloas'].map((prefix) => ({
  name: `${prefix}- token`,
  line: `using token ${prefix}-${TOKEN_BODY}${prefix.length} for the API`,
  secrets: [`${TOKEN_BODY}${prefix.length}`],
}));

const CASES: SecretCase[] = [
  ...tokenCases,
  { name: 'runner registration token', line: 'gitlab-runner register --registration-token GR1348941aBcDeFgHiJkLmNoPqR', secrets: ['aBcDeFgHiJkLmNoPqR'] },
  { name: 'docker login -p', line: 'docker login -u deploy -p Sup3rS3cretPw registry.example.com', secrets: ['Sup3rS3cretPw'] },
  { name: 'docker login --password X', line: 'docker login --username deploy --password Sup3rS3cretPw2 registry.example.com', secrets: ['Sup3rS3cretPw2'] },
  { name: 'docker login --password=X', line: 'docker login --username=deploy --password=Sup3rS3cretPw3 registry.example.com', secrets: ['Sup3rS3cretPw3'] },
  { name: '--password X (not docker)', line: 'mysql --user root --password Sup3rS3cretPw4 -h db', secrets: ['Sup3rS3cretPw4'] },
  { name: 'password=X', line: 'connecting with password=Hunter2Hunter2 to db', secrets: ['Hunter2Hunter2'] },
  { name: 'Authorization: Bearer', line: 'curl -H "Authorization: Bearer opaqueBearerValue123456" https://api.example.com', secrets: ['opaqueBearerValue123456'] },
  { name: 'Authorization: Basic', line: '> Authorization: Basic dXNlcjpzM2NyZXRwYXNzd29yZA==', secrets: ['dXNlcjpzM2NyZXRwYXNzd29yZA=='] },
  { name: 'PRIVATE-TOKEN header', line: 'curl --header "PRIVATE-TOKEN: privTokValue987654321" https://gitlab.example.com/api/v4/projects', secrets: ['privTokValue987654321'] },
  { name: 'URL with user:password@', line: 'git clone https://deployer:UrlPassw0rdValue@git.example.com/acme/app.git', secrets: ['UrlPassw0rdValue'] },
  { name: 'AWS access key id', line: 'export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE', secrets: ['AKIAIOSFODNN7EXAMPLE'] },
  { name: 'AWS secret access key', line: 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', secrets: ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'] },
  { name: 'AWS secret in env', line: 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE2', secrets: ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE2'] },
];

const PEM_BODY = ['MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7', 'kD1uQ3b8H0fZ0rX9mQwEoYk2Yf0pN6m2pS9wq0F7nG5lE1d4cB8a', 'Zx3vU9tP0oL6kJ1hG2fD3sA4qW5eR6tY7uI8oP9aS0dF1gH2jK3l'];
const PEM = ['-----BEGIN RSA PRIVATE KEY-----', ...PEM_BODY, '-----END RSA PRIVATE KEY-----'];

const JOB_URL = 'https://gitlab.example.com/acme/app/-/jobs/77';

async function render(log: string): Promise<string> {
  const scan = await scanLog([log], rules);
  const result = diagnoseJob({ scan, rules, jobName: 'build', failureReason: 'script_failure' });
  return renderDiagnosis({ pipeline: { id: 9, sha: 'c'.repeat(40), ref: 'main' }, jobs: [{ name: 'build', id: 77, webUrl: JOB_URL, result }], rules });
}

/** A registry push failure (a known cause) with the secret all around the match. */
function matchedLog(secret: string): string {
  return [
    'Running with gitlab-runner 17.0.0',
    `$ ${secret}`,
    secret,
    '$ docker push $CI_REGISTRY_IMAGE:latest',
    secret,
    `denied: requested access to the resource is denied ${secret}`,
    secret,
    'ERROR: Job failed: exit code 1',
    '',
  ].join('\n');
}

/** No known cause: the secret sits in error lines and the tail. */
function unmatchedLog(secret: string): string {
  return ['$ ./deploy.sh', `error: ${secret}`, secret, `fatal: could not deploy ${secret}`, 'ERROR: Job failed: exit code 3', ''].join('\n');
}

const visible = (md: string) => md.replace(/\u200D/g, '');

for (const c of CASES) {
  t.test(c.name, async (t) => {
    for (const [kind, log] of [['known cause', matchedLog(c.line)], ['no known cause', unmatchedLog(c.line)]] as const) {
      const md = visible(await render(log));
      for (const s of c.secrets) t.notOk(md.includes(s), `${kind}: ${s} does not survive`);
      t.ok(md.includes(REDACTED), `${kind}: the line is quoted, with the secret replaced`);
    }
  });
}

t.test('a PEM private key, whole or cut by the excerpt', async (t) => {
  const whole = visible(await render(matchedLog(PEM.join('\n'))));
  for (const b of PEM_BODY) t.notOk(whole.includes(b), `key line ${b.slice(0, 8)} redacted`);
  // The context window starts inside the key: only its last lines and END are quoted.
  const cutLog = ['$ cat key.pem', ...PEM, '$ docker push $CI_REGISTRY_IMAGE:latest', 'denied: requested access to the resource is denied', ''].join('\n');
  const cut = visible(await render(cutLog));
  for (const b of PEM_BODY) t.notOk(cut.includes(b), `key line ${b.slice(0, 8)} redacted when the excerpt starts mid-key`);
  t.match(cut, 'registry-login-missing', 'the diagnosis itself is still there');
});

t.test('near misses are quoted as written', async (t) => {
  const md = visible(await render(matchedLog('echo "password: $DB_PASSWORD" and docker login --password-stdin and commit deadbeefcafe')));
  t.match(md, '$DB_PASSWORD', 'a variable reference names a secret without revealing it');
  t.match(md, '--password-stdin', 'the safe login flag is kept');
  t.match(md, 'deadbeefcafe');
});
