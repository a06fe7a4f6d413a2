import t from 'tap';
import { check } from '../../src/analysis/rules/checks/ci-config-invalid.js';
import { runCheck } from './helpers.js';

t.test('config problems become ci-config-invalid findings', async (t) => {
  const found = await runCheck(check, { ci: `stages: [build]
build:
  stage: test
  script: [make]
deploy:
  extends: .missing
  script: [make]
` });
  t.ok(found.length >= 2);
  for (const f of found) {
    t.equal(f.ruleId, 'ci-config-invalid');
    t.equal(f.title, 'CI configuration GitLab would reject');
    t.ok(f.location);
  }
});

t.test('YAML that does not parse', async (t) => {
  const found = await runCheck(check, { ci: 'build:\n  script: [unclosed\n' });
  t.equal(found.length, 1);
});

t.test('a valid config has none', async (t) => {
  t.same(await runCheck(check, { ci: 'build:\n  script: [make]\n' }), []);
});
