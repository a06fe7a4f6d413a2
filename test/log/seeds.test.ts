import t from 'tap';
import { scanLog } from '../../src/analysis/log/scan.js';
import { builtinRules, fixtureStream, ruleIds } from './helpers.js';

t.test('seed (a): docker push without login', async (t) => {
  const r = await scanLog(fixtureStream('seed-registry/job.log'), builtinRules());
  t.same(ruleIds(r), ['registry-login-missing']);
  const m = r.matches[0]!;
  t.equal(m.line.text, 'denied: requested access to the resource is denied');
  t.equal(m.line.section, 'step_script');
  t.equal(m.command?.text, '$ docker push $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA');
  t.equal(m.afterLine?.text, '$ docker push $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA');
  t.equal(m.dockerStep, undefined, 'the build steps belong to the earlier docker build');
  t.ok(m.context.some((l) => l.text === 'errors:'));
  t.ok(m.context.some((l) => l.text === 'unauthorized: authentication required'));
  t.equal(r.truncated, false);
  t.match(r.tail.at(-2)?.text, /^ERROR: Job failed: exit code 1$/);
});

t.test('seed (b): FROM with CI variables', async (t) => {
  const r = await scanLog(fixtureStream('seed-dockerfile/job.log'), builtinRules());
  t.same(ruleIds(r), ['dockerfile-from-undeclared-arg']);
  const m = r.matches[0]!;
  t.equal(m.line.text, 'invalid reference format');
  t.equal(m.dockerStep?.text, 'Step 1/4 : FROM $CI_REGISTRY_IMAGE:$CI_COMMIT_BEFORE_SHA');
  t.match(m.command?.text, /^\$ docker build \. --cache-from/);
  t.equal(m.confidence, 95);
});

t.test('a successful job log matches no rule', async (t) => {
  const r = await scanLog(fixtureStream('success.log'), builtinRules());
  t.same(r.matches, []);
  t.ok(r.totalLines > 40);
});
