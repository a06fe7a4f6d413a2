import t from 'tap';
import { join } from 'node:path';
import { lint, parseLintArgs } from '../../src/cli/lint.js';
import { runCommand } from '../../src/cli/capture.js';
import { fixturePath } from '../helpers/paths.js';

const FIX = fixturePath('lint');

async function run(argv: string[], cwd = FIX, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  const r = await runCommand(lint, argv, { cwd, env, throwUsage: true });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

t.test('a checkout folder: CI file, local include, the Dockerfile a job builds', async (t) => {
  const { code, out } = await run(['seed']);
  t.equal(code, 1, 'errors exit 1');
  const lines = out.trim().split('\n');
  t.ok(lines.includes('seed/app/Dockerfile:1: error dockerfile-from-undeclared-arg ' + lines.find((l) => l.startsWith('seed/app/Dockerfile:1: error dockerfile-from-undeclared-arg'))!.split('dockerfile-from-undeclared-arg ')[1]));
  t.match(out, /^seed\/ci\/build\.yml:7: error registry-login-missing Job build pushes \$CI_REGISTRY_IMAGE:\$CI_COMMIT_SHA to the GitLab registry/m);
  // ordered by file then line
  const paths = lines.map((l) => l.split(':')[0]!);
  t.same(paths, [...paths].sort());
});

t.test('default path is the cwd; a clean checkout exits 0 with no output', async (t) => {
  const { code, out, err } = await run([], join(FIX, 'clean'));
  t.equal(out, '');
  t.equal(err, '');
  t.equal(code, 0);
});

t.test('json format', async (t) => {
  const { out } = await run(['seed', '--format', 'json']);
  const doc = JSON.parse(out) as { findings: Array<Record<string, unknown>> };
  const f = doc.findings.find((x) => x['ruleId'] === 'registry-login-missing')!;
  t.same(Object.keys(f), ['ruleId', 'severity', 'title', 'message', 'location', 'evidence', 'fix']);
  t.same(f['location'], { path: 'seed/ci/build.yml', line: 7 });
  t.same((f['fix'] as { edits: unknown[] }).edits, [{ path: 'seed/ci/build.yml', startLine: 2, endLine: 1, newLines: ['  before_script:', '    - echo -n "$CI_JOB_TOKEN" | docker login -u gitlab-ci-token --password-stdin "$CI_REGISTRY"'] }]);
});

t.test('codequality format', async (t) => {
  const { out } = await run(['--format=codequality', 'seed']);
  const issues = JSON.parse(out) as Array<Record<string, unknown>>;
  t.ok(issues.length >= 2);
  for (const i of issues) {
    t.same(Object.keys(i), ['description', 'check_name', 'fingerprint', 'severity', 'location']);
    t.match(i['fingerprint'], /^[0-9a-f]{32}$/);
    t.ok(['info', 'minor', 'major', 'critical', 'blocker'].includes(i['severity'] as string));
  }
  const login = issues.find((i) => i['check_name'] === 'registry-login-missing')!;
  t.same(login['location'], { path: 'seed/ci/build.yml', lines: { begin: 7 } });
  t.equal(login['severity'], 'critical');
  t.equal(new Set(issues.map((i) => i['fingerprint'])).size, issues.length, 'fingerprints unique');
});

t.test('single files: an included fragment as a CI file, a Dockerfile by name with --build-arg', async (t) => {
  const frag = await run(['seed/ci/build.yml']);
  t.match(frag.out, /seed\/ci\/build\.yml:7: error registry-login-missing/);
  const df = await run(['seed/app/Dockerfile', '--format', 'json']);
  t.ok((JSON.parse(df.out) as { findings: unknown[] }).findings.length >= 1);
});

t.test('usage errors exit 2 with one line', async (t) => {
  t.throws(() => parseLintArgs(['--frobnicate']), { code: 'CIM_ERR_USAGE' });
  t.throws(() => parseLintArgs(['--format', 'xml']), { code: 'CIM_ERR_USAGE' });
  t.throws(() => parseLintArgs(['--build-arg', 'NOVALUE']), { code: 'CIM_ERR_USAGE' });
  t.same(parseLintArgs(['a', '--build-arg', 'X=1', '--rules', 'r']).buildArgs, new Map([['X', '1']]));
  const missing = await run(['does-not-exist']);
  t.equal(missing.code, 2);
  t.match(missing.err, /^ci-medic lint: cannot read does-not-exist/);
});

t.test('a malformed --rules file stops the run with its path and reason', async (t) => {
  const bad = fixturePath('rules', 'bad');
  const r = await run(['clean', '--rules', bad]);
  t.equal(r.code, 2);
  t.match(r.err, /rule file .*wrong-name\.yml: id 'other-id' does not match the file name 'wrong-name'/);
  t.equal(r.out, '');
  const env = await run(['clean'], FIX, { RULES_DIR: bad });
  t.equal(env.code, 2);
});
