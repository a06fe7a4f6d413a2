// Hypotheses weighed against the whole log: what supports a cause, what contradicts it, and
// "no known cause" over a guess.
import t from 'tap';
import { diagnoseJob, LEAD_THRESHOLD, withEvidencePatterns } from '../../src/analysis/diagnose/index.js';
import { renderText } from '../../src/cli/diagnose-text.js';
import { renderDiagnosis } from '../../src/report/markdown/diagnosis.js';
import { builtinRules, cmd, failedJob, scanText } from '../log/helpers.js';

const rules = builtinRules();
const scan = (text: string, opts = {}) => scanText(text, opts, withEvidencePatterns(rules));
const LOGIN = cmd('echo "$CI_JOB_TOKEN" | docker login -u gitlab-ci-token --password-stdin $CI_REGISTRY')
  + 'WARNING! Your password will be stored unencrypted in /root/.docker/config.json.\n\nLogin Succeeded\n';
const build = cmd('docker build -t $IMAGE .') + 'Step 1/2 : FROM alpine\n ---> 1234\nSuccessfully built 1234\n'.repeat(1);
const deniedPush = (repo: string) => cmd('docker push $IMAGE')
  + `The push refers to repository [${repo}]\n`
  + '5f70bf18a086: Preparing\n'.repeat(12)
  + 'denied: requested access to the resource is denied\n';

t.test('a push denied after a successful login is not a missing login', async (t) => {
  const d = diagnoseJob({ scan: await scan(failedJob(LOGIN + build + deniedPush('registry.gitlab.com/other-group/other-project'))), rules, jobName: 'build' });
  const lead = d.findings[0]!;
  t.not(lead.ruleId, 'registry-login-missing');
  t.equal(lead.ruleId, 'registry-push-target-mismatch');
  t.match(lead.message, /succeeded at line \d+, so the denial is not a missing login: the credentials cannot write to `registry.gitlab.com\/other-group\/other-project`/);
  t.ok(lead.confidence! >= LEAD_THRESHOLD);
  t.notOk(d.findings.some((f) => f.ruleId === 'registry-login-missing'), 'the contradicted cause is not offered');
  const h = d.hypotheses!.find((x) => x.ruleId === 'registry-login-missing')!;
  t.match(h.against.join(' '), /succeeded at line/);
  t.equal(h.replacedBy, 'registry-push-target-mismatch');
  t.ok(h.confidence < LEAD_THRESHOLD);
  // Every format carries the same cause and says why.
  const text = renderText(d, { rules, fileText: () => undefined });
  t.match(text, 'error registry-push-target-mismatch');
  t.match(text, /ruled out or weakened:\n\s+registry-login-missing/);
  const md = renderDiagnosis({ pipeline: { id: 1, sha: 'abc' }, jobs: [{ name: 'build', id: 1, result: d }], rules });
  t.match(md, 'Rule `registry-push-target-mismatch`');
  t.match(md, 'Causes ruled out');
});

t.test('a login to Docker Hub does not cover a push to the GitLab registry', async (t) => {
  const hubLogin = cmd('docker login -u me --password-stdin') + 'Login Succeeded\n';
  const d = diagnoseJob({ scan: await scan(failedJob(hubLogin + deniedPush('registry.gitlab.com/acme/app'))), rules });
  t.equal(d.findings[0]?.ruleId, 'registry-login-missing');
  t.match((d.findings[0]?.evidence?.for as string[]).join(' '), /went to Docker Hub/);
});

t.test('no login at all: the missing login leads, and says so', async (t) => {
  const d = diagnoseJob({ scan: await scan(failedJob(build + deniedPush('registry.gitlab.com/acme/app'))), rules });
  t.equal(d.findings[0]?.ruleId, 'registry-login-missing');
  t.match((d.findings[0]?.evidence?.for as string[]).join(' '), /no `docker login` ran/);
});

const DIND_SERVICE_LOG = [
  "*** WARNING: Service runner-abc-project-1-concurrent-0-docker-0 probably didn't start properly.",
  '',
  'Health check error:',
  'service "runner-abc-project-1-concurrent-0-docker-0-wait-for-service" timeout',
  '',
  'Service container logs:',
  '2024-01-01T10:00:00.000000000Z mount: permission denied (are you root?)',
  '2024-01-01T10:00:00.100000000Z Could not mount /sys/kernel/security.',
  '',
  '*********',
  '',
].join('\n');

t.test('a succeeded job gets no cause, whatever its service printed', async (t) => {
  const log = failedJob(cmd('docker info') + 'Server Version: 24.0.5\n').replace('section_start:1700000001:step_script', `${DIND_SERVICE_LOG}\nsection_start:1700000001:step_script`)
    .replace(/ERROR: Job failed: exit code 1/, 'Job succeeded');
  const d = diagnoseJob({ scan: await scan(log), rules });
  t.same(d.findings, []);
  t.ok(d.jobSucceeded);
  t.equal(d.unmatched, undefined, 'not even "no known cause"');
  t.ok(d.hypotheses!.every((h) => h.status === 'dropped'));
  t.match(renderText(d, { rules, fileText: () => undefined }), /the job succeeded \(log line \d+\): nothing to diagnose/);
});

t.test('a dind service error does not explain a job that failed in its own test', async (t) => {
  const log = failedJob(cmd('docker info') + 'Server Version: 24.0.5\n' + cmd('npm test') + 'FAIL src/app.test.js\n  expected 2, got 3\n')
    .replace('section_start:1700000001:step_script', `${DIND_SERVICE_LOG}\nsection_start:1700000001:step_script`);
  const d = diagnoseJob({ scan: await scan(log), rules });
  t.notOk(d.findings.some((f) => f.ruleId.startsWith('dind-')), `got ${d.findings.map((f) => f.ruleId)}`);
  const h = d.hypotheses!.find((x) => x.ruleId.startsWith('dind-'));
  if (h) t.match(h.against.join(' '), /service container's log/);
});

t.test('an error the job went past does not lead; the note names nothing without evidence', async (t) => {
  const log = failedJob(cmd('docker pull $CI_REGISTRY_IMAGE:cache || true') + 'Error response from daemon: manifest unknown\n'
    + cmd('make test') + 'cc -c foo.c\nfoo.c:3: error: expected ";"\nmake: *** [Makefile:4: foo.o] Error 1\n');
  const d = diagnoseJob({ scan: await scan(log), rules, failureReason: 'script_failure' });
  t.same(d.findings, [], 'no cause named');
  t.match(d.hypotheses?.find((h) => h.ruleId === 'image-not-found')?.against.join(' '), /went on to run `make test`/);
  const text = renderText(d, { rules, fileText: () => undefined });
  t.match(text, 'no known cause (failure reason: script_failure)');
  t.match(text, 'lines that look like the error:');
  t.match(text, 'last lines of the log:');
  t.notMatch(text, /image-not-found/, 'names nothing');
  const md = renderDiagnosis({ pipeline: { id: 1, sha: 'abc' }, jobs: [{ name: 'test', id: 1, result: d }], rules });
  t.notMatch(md, /image-not-found/);
  t.match(md, 'no known cause');
});

t.test('excerpts: failing command, the line naming the target, the error, with skip markers', async (t) => {
  const d = diagnoseJob({ scan: await scan(failedJob(build + deniedPush('registry.gitlab.com/acme/app'))), rules });
  const lines = d.findings[0]!.evidence!.logLines as Array<{ number: number; text: string; skippedBefore?: number }>;
  t.match(lines[0]!.text, /^\$ docker push \$IMAGE/);
  t.ok(lines.some((l) => l.text.startsWith('The push refers to repository [registry.gitlab.com/acme/app]')));
  t.ok(lines.some((l) => l.text === 'denied: requested access to the resource is denied'));
  t.ok(lines.some((l) => (l.skippedBefore ?? 0) > 0), 'a gap is marked');
  t.equal(d.findings[0]!.evidence!.target, 'registry.gitlab.com/acme/app');
  t.match(renderText(d, { rules, fileText: () => undefined }), /… \d+ lines skipped/);
  const md = renderDiagnosis({ pipeline: { id: 1, sha: 'abc' }, jobs: [{ name: 'b', id: 1, result: d }], rules });
  t.match(md, /The push refers to repository[^\n]*\n…\n/);
});

t.test('a truncated log says so in the result, the text and the note', async (t) => {
  const body = 'x'.repeat(100) + '\n';
  const d = diagnoseJob({ scan: await scan(failedJob(body.repeat(50)), { maxBytes: 1000 }), rules });
  t.ok(d.truncated, 'truncated reported');
  t.type(d.truncated!.keptBytes, 'number');
  t.type(d.truncated!.totalBytes, 'number');
  t.match(renderText(d, { rules, fileText: () => undefined }), /^note: .*bytes/);
  t.match(renderDiagnosis({ pipeline: { id: 1, sha: 'abc' }, jobs: [{ name: 'b', id: 1, result: d }], rules }), /bytes were read/);
});
