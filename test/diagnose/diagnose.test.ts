import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveCiConfigFromFiles } from '../../src/analysis/ci-config/load.js';
import { parseDockerfile } from '../../src/analysis/dockerfile/parse.js';
import { diagnoseJob } from '../../src/analysis/diagnose/index.js';
import { scanLog } from '../../src/analysis/log/scan.js';
import { builtinRules, cmd, failedJob, fixtureStream, fixturesDir, scanText } from '../log/helpers.js';

const read = (rel: string): string => readFileSync(join(fixturesDir, rel), 'utf8');

t.test('seed (a): log alone names the command; with the config, the fix', async (t) => {
  const rules = builtinRules();
  const scan = await scanLog(fixtureStream('seed-registry/job.log'), rules);
  const alone = diagnoseJob({ scan, rules, jobName: 'build' });
  t.equal(alone.findings.length, 1);
  t.equal(alone.unmatched, undefined);
  const f = alone.findings[0]!;
  t.equal(f.ruleId, 'registry-login-missing');
  t.match(f.message, 'The command `docker push $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA` failed');
  t.match(f.evidence, { job: 'build', command: 'docker push $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA', section: 'step_script' });
  t.equal(f.fix, undefined);

  const ci = await resolveCiConfigFromFiles(new Map([['.gitlab-ci.yml', read('seed-registry/.gitlab-ci.yml')]]));
  const withCi = diagnoseJob({ scan, rules, ci }).findings[0]!;
  t.equal(withCi.evidence?.job, 'build', 'job inferred from the failing command');
  t.ok(withCi.fix, 'fix attached');
  t.ok(withCi.fix!.edits.some((e) => e.newLines.some((l) => /docker login -u gitlab-ci-token --password-stdin/.test(l))));
  t.ok(withCi.fix!.edits.some((e) => e.newLines.some((l) => /before_script/.test(l))));
  t.equal(withCi.location?.path, '.gitlab-ci.yml');
});

t.test('seed (b): ARG before FROM and --build-arg in the job', async (t) => {
  const rules = builtinRules();
  const scan = await scanLog(fixtureStream('seed-dockerfile/job.log'), rules);
  const ci = await resolveCiConfigFromFiles(new Map([['.gitlab-ci.yml', read('seed-dockerfile/.gitlab-ci.yml')]]));
  const dockerfiles = new Map([['Dockerfile', parseDockerfile('Dockerfile', read('seed-dockerfile/Dockerfile'))]]);
  const f = diagnoseJob({ scan, rules, ci, dockerfiles, jobName: 'build' }).findings[0]!;
  t.equal(f.ruleId, 'dockerfile-from-undeclared-arg');
  t.equal(f.buildkit, 'UndefinedArgInFrom');
  t.same(f.location, { path: 'Dockerfile', line: 1 });
  t.match(f.evidence, { dockerStep: 'Step 1/4 : FROM $CI_REGISTRY_IMAGE:$CI_COMMIT_BEFORE_SHA' });
  const dockerEdit = f.fix!.edits.find((e) => e.path === 'Dockerfile')!;
  t.same(dockerEdit.newLines, ['ARG CI_REGISTRY_IMAGE=registry.invalid/set-by-ci', 'ARG BASE_TAG=latest', 'FROM $CI_REGISTRY_IMAGE:$BASE_TAG']);
  t.equal(dockerEdit.startLine, 1);
  const ciEdit = f.fix!.edits.find((e) => e.path === '.gitlab-ci.yml')!;
  t.ok(ciEdit.newLines.some((l) => l.includes('--build-arg CI_REGISTRY_IMAGE=$CI_REGISTRY_IMAGE')));
});

t.test('most likely cause first; evidence is redacted', async (t) => {
  const body =
    cmd('docker login -u me -p glpat-SECRETsecret1234567 registry.gitlab.com') +
    'WARNING! Using --password via the CLI is insecure.\n' +
    cmd('docker push registry.gitlab.com/acme/app:1') +
    'no space left on device\n' +
    'denied: requested access to the resource is denied\n';
  const scan = await scanText(failedJob(body));
  const { findings } = diagnoseJob({ scan, rules: builtinRules() });
  t.same(findings.map((f) => f.ruleId).slice(0, 2), ['disk-full', 'registry-login-missing']);
  const all = JSON.stringify(findings);
  t.notOk(all.includes('SECRETsecret'), 'no token in findings');
});

t.test('no known cause: error lines and tail under unmatched', async (t) => {
  const body = cmd('make test') + 'cc -c foo.c\nfoo.c:3: error: expected ";" before "}" token\nmake: *** [Makefile:4: foo.o] Error 1\n';
  const scan = await scanText(failedJob(body));
  const r = diagnoseJob({ scan, rules: builtinRules(), failureReason: 'script_failure' });
  t.same(r.findings, []);
  t.equal(r.unmatched?.failureReason, 'script_failure');
  t.ok(r.unmatched?.errorLines.some((l) => l.text.includes('foo.c:3: error')));
  t.match(r.unmatched?.tail.at(-2)?.text, 'ERROR: Job failed: exit code 1');
});

t.test('runner-unavailable from failure_reason', async (t) => {
  const empty = await scanText('');
  const r = diagnoseJob({ scan: empty, rules: builtinRules(), failureReason: 'no_matching_runner', jobName: 'gpu' });
  t.equal(r.findings[0]?.ruleId, 'runner-unavailable');
  t.match(r.findings[0]?.message, 'no_matching_runner');
  const stuck = diagnoseJob({ scan: empty, rules: builtinRules(), failureReason: 'stuck_or_timeout_failure' });
  t.equal(stuck.findings[0]?.ruleId, 'runner-unavailable');
  const longRun = await scanText(failedJob(cmd('sleep 7200') + 'still running\n'));
  const timedOut = diagnoseJob({ scan: longRun, rules: builtinRules(), failureReason: 'stuck_or_timeout_failure' });
  t.same(timedOut.findings, [], 'a job that ran and timed out is not a missing runner');
  t.equal(timedOut.unmatched?.failureReason, 'stuck_or_timeout_failure');
});

t.test('errors printed while a job waits for dind do not explain a later failure', async (t) => {
  const rules = builtinRules();
  const waiting = cmd('until docker info; do sleep 1; done')
    + 'Cannot connect to the Docker daemon at tcp://docker:2375. Is the docker daemon running?\n'.repeat(3)
    + 'Server Version: 24.0.5\n';
  const push = cmd('docker push $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA')
    + 'The push refers to repository [registry.example.com/acme/web]\n'
    + 'denied: requested access to the resource is denied\n';
  const later = diagnoseJob({ scan: await scanText(failedJob(waiting + push)), rules, jobName: 'build' });
  t.same(later.findings.map((f) => f.ruleId), ['registry-login-missing'], 'only the push explains the failure');

  const onlyWait = diagnoseJob({ scan: await scanText(failedJob(waiting.replace('Server Version: 24.0.5\n', ''))), rules, jobName: 'build' });
  t.ok(onlyWait.findings.some((f) => f.ruleId === 'dind-unreachable'), 'a wait that never ends still names the daemon');
});
