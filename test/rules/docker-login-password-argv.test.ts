import t from 'tap';
import { check } from '../../src/analysis/rules/checks/docker-login-password-argv.js';
import { runCheck, contextFor } from './helpers.js';
import { runStaticChecks } from '../../src/analysis/rules/run.js';

const only = async (ci: string) => runStaticChecks(await contextFor({ ci }), { ruleIds: ['docker-login-password-argv'] });

t.test('-p on argv fires and is rewritten to --password-stdin', async (t) => {
  const ci = `build:
  before_script:
    - docker login -u $CI_REGISTRY_USER -p $CI_REGISTRY_PASSWORD $CI_REGISTRY
  script:
    - docker push $CI_REGISTRY_IMAGE
`;
  const [f, ...rest] = await runCheck(check, { ci });
  t.same(rest, []);
  t.equal(f!.severity, 'warning');
  t.same(f!.location, { path: '.gitlab-ci.yml', line: 3 });
  t.same(f!.fix!.edits, [{ path: '.gitlab-ci.yml', startLine: 3, endLine: 3, newLines: ['    - echo -n "$CI_REGISTRY_PASSWORD" | docker login -u $CI_REGISTRY_USER --password-stdin $CI_REGISTRY'] }]);
});

t.test('quoted and --password= forms', async (t) => {
  const [f] = await runCheck(check, { ci: `build:
  script:
    - docker login --username "$U" --password="$P" registry.example.com
` });
  t.same(f!.fix!.edits[0]!.newLines, ['    - echo -n "$P" | docker login --username "$U" --password-stdin registry.example.com']);
  t.match(f!.message, /on the command line \(`--password=`\)/, 'names the form found');
  t.notMatch(f!.message, /`-p`/);
  const [g] = await runCheck(check, { ci: `build:
  script:
    - podman login -u "$U" -p "$P" quay.io
` });
  t.same(g!.fix!.edits[0]!.newLines, ['    - echo -n "$P" | podman login -u "$U" --password-stdin quay.io']);
});

t.test('one finding for a login shared by several jobs', async (t) => {
  const found = await runCheck(check, { ci: `default:
  before_script:
    - docker login -u u -p $TOKEN
a:
  script: [docker push x]
b:
  script: [docker push y]
` });
  t.equal(found.length, 2, 'the check reports each job');
  const merged = await only(`default:
  before_script:
    - docker login -u u -p $TOKEN
a:
  script: [docker push x]
b:
  script: [docker push y]
`);
  t.equal(merged.length, 1, 'one finding for the shared line');
  t.match(merged[0]!.message, /The same applies to 1 other job: `b`\./);
});

t.test('the same mistake in every job is one finding naming the other jobs; its fix fixes them all', async (t) => {
  const jobs = ['a', 'b', 'c'].map((j) => `${j}:\n  script:\n    - docker login -u u -p $TOKEN reg.example.com\n    - docker push reg.example.com/${j}\n`).join('');
  const found = await only(jobs);
  t.equal(found.length, 1);
  t.match(found[0]!.message, /^Job `a` passes the password .*The same applies to 2 other jobs: `b` \(line 7\), `c` \(line 11\)\./);
  t.same(found[0]!.evidence!['locations'], [3, 7, 11].map((line) => ({ path: '.gitlab-ci.yml', line })));
  t.same(found[0]!.fix!.edits.map((e) => e.startLine), [3, 7, 11]);
});

t.test('a password written in the file is not copied into the suggestion', async (t) => {
  const [f] = await runCheck(check, { ci: `build:
  script:
    - docker login -u bot -p hunter2secret reg.example.com
` });
  t.notMatch(JSON.stringify(f), /hunter2secret/);
  t.same(f!.fix!.edits[0]!.newLines, ['    - echo -n "$REGISTRY_PASSWORD" | docker login -u bot --password-stdin reg.example.com']);
  t.match(f!.message, /rotate it/);
});

t.test('near misses', async (t) => {
  t.same(await runCheck(check, { ci: `build:
  script:
    - echo -n "$CI_JOB_TOKEN" | docker login -u gitlab-ci-token --password-stdin "$CI_REGISTRY"
    - docker run -p 8080:80 nginx
    - docker build --platform linux/amd64 -t x .
` }), []);
  t.same(await runCheck(check, { ci: `build:
  script:
    - echo "docker login -p is insecure"
` }), []);
});

t.test('a literal password never reaches the fix: it becomes $REGISTRY_PASSWORD, and the message says to rotate it', async (t) => {
  const [f] = await runCheck(check, { ci: `build:
  script:
    - docker login -u deploy -p hunter2-S3cret registry.example.com
` });
  t.same(f!.fix!.edits[0]!.newLines, ['    - echo -n "$REGISTRY_PASSWORD" | docker login -u deploy --password-stdin registry.example.com']);
  t.notMatch(JSON.stringify(f), 'hunter2', 'the secret is nowhere in the finding');
  t.match(f!.message, /rotate it/);
  t.match(f!.message, '`REGISTRY_PASSWORD`');
  const [g] = await runCheck(check, { ci: `build:
  script:
    - docker login -u u -p "$P" r.example.com
` });
  t.notMatch(g!.message, /rotate/, 'a variable reference is no leak');
});
