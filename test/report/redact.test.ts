import t from 'tap';
import { redact, redactLines, isSecretKeyName } from '../../src/text/redact.js';

// [input, the secret that must not survive, what must still be there]
const table: Array<[string, string, string]> = [
  ['git clone https://oauth2:glpat-AbCdEf1234567890xyz_@gitlab.com/a/b.git', 'glpat-AbCdEf1234567890xyz_', 'gitlab.com/a/b.git'],
  ['token glpat-AbCdEf1234567890xyz_ leaked', 'AbCdEf1234567890xyz_', 'glpat-[REDACTED]'],
  ['deploy gldt-Zx9Yw8Vu7Ts6Rq5Po4Nm', 'Zx9Yw8Vu7Ts6Rq5Po4Nm', 'gldt-'],
  ['runner glrt-t1_AbCdEfGhIjKlMnOpQrSt', 'AbCdEfGhIjKlMnOpQrSt', 'glrt-'],
  ['job token glcbt-64_AbCdEfGhIjKlMnOpQrSt', 'AbCdEfGhIjKlMnOpQrSt', 'glcbt-'],
  ['trigger glptt-0123456789abcdef0123', '0123456789abcdef0123', 'glptt-'],
  ['feed glft-AbCdEfGhIjKlMnOp', 'AbCdEfGhIjKlMnOp', 'glft-'],
  ['mail glimt-AbCdEfGhIjKlMnOp', 'AbCdEfGhIjKlMnOp', 'glimt-'],
  ['agent glagent-AbCdEfGhIjKlMnOpQrStUvWx', 'AbCdEfGhIjKlMnOpQrStUvWx', 'glagent-'],
  ['oauth gloas-AbCdEfGhIjKlMnOpQrSt', 'AbCdEfGhIjKlMnOpQrSt', 'gloas-'],
  ['sa glsoat-AbCdEfGhIjKlMnOpQrSt', 'AbCdEfGhIjKlMnOpQrSt', 'glsoat-'],
  ['register --registration-token GR1348941AbCdEfGhIjKlMnOpQr', 'AbCdEfGhIjKlMnOpQr', 'GR1348941[REDACTED]'],
  ['$ docker login -u me -p s3cr3t-Pass registry.example.com', 's3cr3t-Pass', 'registry.example.com'],
  ['$ docker login -u me -ps3cr3tPass registry.example.com', 's3cr3tPass', 'docker login'],
  ['$ docker login --username me --password hunter2hunter2 reg.io', 'hunter2hunter2', 'reg.io'],
  ['$ docker login --password=hunter2hunter2 reg.io', 'hunter2hunter2', 'reg.io'],
  ['$ docker login -u me -p "quoted secret" reg.io', 'quoted secret', 'reg.io'],
  ['mysql --user=root password=Sup3rS3cret!', 'Sup3rS3cret!', 'mysql'],
  ['DOCKER_PASSWORD=abc123def456 ./push.sh', 'abc123def456', './push.sh'],
  ['"auth": "dXNlcjpwYXNzd29yZA=="', 'dXNlcjpwYXNzd29yZA==', '"auth"'],
  ['curl -H "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload12345.sig1234567" https://x', 'payload12345', 'Authorization: Bearer [REDACTED]'],
  ['Authorization: Basic dXNlcjpwYXNzd29yZA==', 'dXNlcjpwYXNzd29yZA==', 'Authorization: Basic'],
  ['curl --header "PRIVATE-TOKEN: abcdefghij0123456789" https://gitlab.com/api/v4/projects', 'abcdefghij0123456789', 'PRIVATE-TOKEN: [REDACTED]'],
  ['curl --header "JOB-TOKEN: $CI_JOB_TOKEN_VALUE_x9" https://gitlab.com', 'CI_JOB_TOKEN_VALUE_x9', 'JOB-TOKEN'],
  ['fetching https://deployer:pa55w0rd@registry.example.com/v2/', 'pa55w0rd', 'deployer:[REDACTED]@registry.example.com'],
  ['aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE', 'AKIAIOSFODNN7EXAMPLE', 'aws configure'],
  ['AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'AWS_SECRET_ACCESS_KEY='],
  ['id_token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dGhpc2lzYXNpZ25hdHVyZQ', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0', 'id_token'],
];

for (const [input, secret, kept] of table) {
  t.test(input.slice(0, 50), async (t) => {
    const out = redact(input);
    t.notOk(out.includes(secret), `secret gone: ${out}`);
    t.ok(out.includes(kept), `context kept: ${out}`);
  });
}

t.test('PEM private keys, whole, split over quoted lines, and cut by an excerpt', async (t) => {
  const body = 'MIIEowIBAAKCAQEA1x2y3z4AbCdEfGhIjKlMnOpQrStUvWx\nYz0123456789abcdefghijklmnopqrstuvwxyzABCD==';
  const pem = `-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----`;
  for (const text of [
    `$ cat key\n${pem}\n$ next`,
    `echo "-----BEGIN OPENSSH PRIVATE KEY-----\\n${body.replace('\n', '\\n')}\\n-----END OPENSSH PRIVATE KEY-----"`,
    `> "-----BEGIN PRIVATE KEY-----"\n> "${body.split('\n')[0]}"\n> "${body.split('\n')[1]}"`,
    `${body}\n-----END EC PRIVATE KEY-----\n$ after`,
  ]) {
    const out = redact(text);
    t.notOk(out.includes('AbCdEfGhIjKlMnOp'), out);
    t.notOk(out.includes('abcdefghijklmnop'), out);
    t.equal(out.split('\n').length, text.split('\n').length, 'line count kept');
  }
});

t.test('redactLines keeps numbering and catches keys across lines', async (t) => {
  const lines = ['-----BEGIN PRIVATE KEY-----', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', '-----END PRIVATE KEY-----', 'ok'].map((text, i) => ({ number: i + 10, text }));
  const out = redactLines(lines);
  t.same(out.map((l) => l.number), [10, 11, 12, 13]);
  t.notOk(out.some((l) => l.text.includes('MIIEv')));
  t.equal(out[3]!.text, 'ok');
});

t.test('near misses stay readable', async (t) => {
  for (const s of [
    'denied: requested access to the resource is denied',
    'unauthorized: authentication required',
    'echo -n $CI_JOB_TOKEN | docker login -u gitlab-ci-token --password-stdin $CI_REGISTRY',
    'mkdir -p build/output',
    'DOCKER_AUTH_CONFIG=$DOCKER_AUTH_CONFIG_VALUE',
    'Author: Jane <jane@example.com>',
  ]) t.equal(redact(s), s);
  t.ok(isSecretKeyName('CI_JOB_TOKEN'));
  t.ok(isSecretKeyName('accessToken'));
  t.ok(isSecretKeyName('aws_secret_access_key'));
  t.notOk(isSecretKeyName('monkey'));
  t.notOk(isSecretKeyName('unauthorized'));
});

t.test('a URL path segment named like a secret is not a key', async (t) => {
  const line = 'error during connect: Post "http://docker:2375/v1.24/auth": dial tcp: lookup docker on 10.0.0.2:53: no such host';
  t.equal(redact(line), line);
  t.equal(redact('{"auth": "c2VjcmV0"}'), '{"auth": "[REDACTED]"}');
});
