import t from 'tap';
import { join } from 'node:path';
import { fixturesDir } from '../log/helpers.js';
import { runDiagnose } from './diagnose-helpers.js';

const seedA = join(fixturesDir, 'seed-registry');
const seedB = join(fixturesDir, 'seed-dockerfile');

t.test('seed (a) with --ci-config: docker login in before_script', async (t) => {
  const r = await runDiagnose(['job.log', '--ci-config', '.gitlab-ci.yml', '--format', 'json'], { cwd: seedA });
  t.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  t.same(Object.keys(out), ['findings', 'hypotheses']);
  const f = out.findings[0];
  t.equal(f.ruleId, 'registry-login-missing');
  t.type(f.confidence, 'number');
  t.ok(f.confidence >= 60 && f.confidence <= 100, `confidence ${f.confidence} at or above the lead threshold`);
  t.same(out.hypotheses[0].status, 'lead');
  t.match(f.evidence, { job: 'build', command: 'docker push $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA' });
  t.ok(f.fix.edits.some((e: { newLines: string[] }) => e.newLines.some((l) => l.includes('docker login -u gitlab-ci-token --password-stdin'))));
  t.ok(f.fix.edits.some((e: { newLines: string[] }) => e.newLines.some((l) => l.includes('before_script'))));
});

t.test('seed (b) with --ci-config and --dockerfile: the same cause and fix in every format, and only a fix that passes lint', async (t) => {
  const args = ['job.log', '--ci-config', '.gitlab-ci.yml', '--dockerfile', 'Dockerfile'];
  const json = JSON.parse((await runDiagnose([...args, '--format', 'json'], { cwd: seedB })).stdout);
  const f = json.findings[0];
  t.equal(f.ruleId, 'dockerfile-from-undeclared-arg');
  t.same(f.location, { path: 'Dockerfile', line: 1 });
  t.type(f.evidence.fixVerified, 'boolean', 'the patch went through the lint round trip');

  const text = await runDiagnose(args, { cwd: seedB });
  t.equal(text.code, 0);
  t.match(text.stdout, 'error dockerfile-from-undeclared-arg');
  const md = await runDiagnose([...args, '--format', 'markdown'], { cwd: seedB });
  t.ok(md.stdout.trimEnd().endsWith('<!-- ci-medic:diagnosis pipeline=0 -->'));
  t.match(md.stdout, 'Rule `dockerfile-from-undeclared-arg`');
  if (f.fix) {
    // Offered only because, applied, it removes its finding and adds none.
    t.equal(f.evidence.fixVerified, true);
    t.match(text.stdout, /\+ARG CI_REGISTRY_IMAGE/);
    t.match(md.stdout, '```diff');
    t.match(md.stdout, '+ARG CI_REGISTRY_IMAGE');
  } else {
    // A patch that fails ci-medic's own lint is left out everywhere, saying why.
    t.match(f.evidence.fixDropped, /^applied, the patch (adds|leaves)/);
    t.match(text.stdout, "ci-medic's patch for it was left out");
    t.notMatch(text.stdout, /^\s+fix:/m);
    t.match(md.stdout, "ci-medic's patch for it was left out");
    t.notMatch(md.stdout, '```diff');
  }
});

t.test('stdin, no known cause, json unmatched', async (t) => {
  const log = '$ make\nmake: *** [all] Error 2\nERROR: Job failed: exit code 2\n';
  const r = await runDiagnose(['-', '--format', 'json'], { cwd: seedA, stdin: log });
  const out = JSON.parse(r.stdout);
  t.same(out.findings, []);
  t.ok(out.unmatched.errorLines.length >= 1);
  const text = await runDiagnose(['-'], { cwd: seedA, stdin: log });
  t.match(text.stdout, 'no known cause');
});

t.test('log alone (no config) still names the cause and the command', async (t) => {
  const r = await runDiagnose([join(seedA, 'job.log')], { cwd: '/' });
  t.match(r.stdout, 'error registry-login-missing');
  t.match(r.stdout, 'docker push $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA');
  t.notMatch(r.stdout, 'fix:');
});

t.test('usage errors and bad rule dirs', async (t) => {
  await t.rejects(runDiagnose([], { cwd: seedA }), { code: 'CIM_ERR_USAGE' });
  await t.rejects(runDiagnose(['job.log', '--format', 'xml'], { cwd: seedA }), { code: 'CIM_ERR_USAGE' });
  await t.rejects(runDiagnose(['job.log', '--bogus'], { cwd: seedA }), { code: 'CIM_ERR_USAGE' });
  const r = await runDiagnose(['job.log', '--rules', 'no-such-dir'], { cwd: seedA });
  t.equal(r.code, 2);
  t.match(r.stderr, 'no-such-dir');
});

t.test('--rules adds a custom log rule', async (t) => {
  const dir = t.testdir({
    'acme-flaky-dns.yml': [
      'id: acme-flaky-dns',
      'title: Internal DNS hiccup',
      'severity: warning',
      'seen_in: [log]',
      'docs: https://wiki.example.com/dns',
      'explain: Retry the job.',
      'log:',
      "  - id: temp-failure",
      "    match: { regex: 'Temporary failure in name resolution' }",
      // Above the built-in job-dns-resolution-failed (80), so the site's own rule leads.
      '    confidence: 95',
    ].join('\n'),
    'acme-weak.yml': [
      'id: acme-weak',
      'title: A weak guess',
      'severity: warning',
      'seen_in: [log]',
      'docs: https://wiki.example.com/weak',
      'explain: Maybe.',
      'log:',
      "  - id: curl-6",
      "    match: { regex: 'curl: \\(6\\)' }",
      '    confidence: 40',
    ].join('\n'),
  });
  const log = '$ curl https://internal\ncurl: (6) Could not resolve host: internal: Temporary failure in name resolution\n';
  const r = await runDiagnose(['-', '--rules', dir, '--format', 'json'], { cwd: seedA, stdin: log });
  const out = JSON.parse(r.stdout);
  t.equal(out.findings[0].ruleId, 'acme-flaky-dns');
  t.notOk(out.findings.some((f: { ruleId: string }) => f.ruleId === 'acme-weak'), 'below the lead threshold: not a finding');
  t.match(out.hypotheses.find((h: { ruleId: string }) => h.ruleId === 'acme-weak'), { status: 'weak', confidence: 40 });
});
