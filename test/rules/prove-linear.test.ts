import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinRulesDir, loadRuleFiles } from '../../src/analysis/rules/load-files.js';
import { linearTimeProblem } from '../../src/analysis/rules/prove-linear.js';

function ruleDir(regex: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ci-medic-rules-'));
  writeFileSync(join(dir, 'custom.yml'), [
    'id: custom', 'title: custom', 'severity: error', 'seen_in: [log]', 'docs: https://example.com/', 'explain: x',
    'log:', '  - id: p', `    match: { regex: '${regex}' }`, '',
  ].join('\n'));
  return dir;
}

t.test('a polynomial custom pattern the syntactic check lets through is refused at load, with path and reason', async (t) => {
  const dir = ruleDir('error.*denied.*token');
  const { rules, errors } = loadRuleFiles([builtinRulesDir(), dir]);
  t.equal(errors.length, 1);
  t.equal(errors[0]!.path, join(dir, 'custom.yml'));
  t.match(errors[0]!.reason, /log pattern 'p' match: .*polynomial.*bounded repetition/);
  t.notOk(rules.some((r) => r.id === 'custom'), 'the rule is not loaded');
  t.ok(rules.length > 40, 'built-in rules still load');
});

t.test('a bounded custom pattern is accepted', async (t) => {
  const { rules, errors } = loadRuleFiles([builtinRulesDir(), ruleDir('error[^\\n]{0,200}denied')]);
  t.same(errors, []);
  t.ok(rules.some((r) => r.id === 'custom'));
});

t.test('linearTimeProblem names exponential patterns too', async (t) => {
  t.match(linearTimeProblem({ regex: '(a+)+$' }), /exponential|polynomial/);
  t.equal(linearTimeProblem({ regex: 'no basic auth credentials', flags: 'i' }), undefined);
});
