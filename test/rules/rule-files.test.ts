import t from 'tap';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAllRules, loadRuleFiles, parseRuleYaml, builtinRulesDir, checkRegexSafety } from '../../src/analysis/rules/index.js';
import { allChecks } from '../../src/analysis/rules/checks/index.js';

const GOOD = `id: my-rule
title: Something broke
severity: warning
seen_in: [log]
docs: https://example.com
explain: |
  Because.
log:
  - id: one
    match: { regex: 'it broke', flags: i }
    after: { regex: '^\\$ make' }
    within: 5
    confidence: 60
`;

t.test('every built-in rule file is valid and every check has one', async (t) => {
  const { rules, errors } = loadAllRules();
  t.same(errors, []);
  const ids = new Set(rules.map((r) => r.id));
  for (const c of allChecks) t.ok(ids.has(c.ruleId), `rules/${c.ruleId}.yml exists`);
  t.ok(builtinRulesDir().endsWith('rules'));
});

t.test('a valid rule maps snake_case to RuleMeta', async (t) => {
  const r = parseRuleYaml(GOOD, '/x/my-rule.yml');
  if ('error' in r) throw new Error(r.error);
  t.same(r.seenIn, ['log']);
  t.same(r.log![0], { id: 'one', match: { regex: 'it broke', flags: 'i' }, after: { regex: '^\\$ make' }, within: 5, confidence: 60 });
  t.equal(r.explain, 'Because.');
  t.equal(r.source, '/x/my-rule.yml');
});

t.test('malformed rules are rejected with a reason', async (t) => {
  const cases: Array<[string, string, RegExp]> = [
    ['other-name.yml', GOOD, /does not match the file name/],
    ['my-rule.yml', GOOD.replace('severity: warning', 'severity: fatal'), /severity 'fatal'/],
    ['my-rule.yml', GOOD.replace('title: Something broke\n', ''), /'title' is required/],
    ['my-rule.yml', GOOD.replace("flags: i", 'flags: g'), /only 'i'/],
    ['my-rule.yml', GOOD.replace('it broke', '(a+)+$'), /nested-quantifier/],
    ['my-rule.yml', GOOD.replace('it broke', '(\\w)\\1'), /backreference/],
    ['my-rule.yml', GOOD.replace('it broke', 'a(?=b)'), /lookaround/],
    ['my-rule.yml', GOOD.replace('it broke', '(unclosed'), /does not compile/],
    ['my-rule.yml', GOOD.replace('seen_in: [log]', 'seen_in: [logs]'), /seen_in value 'logs'/],
    ['my-rule.yml', GOOD + 'extra: 1\n', /unknown key 'extra'/],
    ['my-rule.yml', 'id: [', /YAML does not parse/],
  ];
  for (const [name, text, re] of cases) {
    const r = parseRuleYaml(text, name);
    t.ok('error' in r, name);
    if ('error' in r) t.match(r.error, re);
  }
});

t.test('the regex guard', async (t) => {
  for (const ok of ['denied: requested access', '^\\$ docker (image )?push ', 'a[^b]{0,10}b', '(foo|bar) baz', '(ab)+', 'x{2,3}']) t.ok(checkRegexSafety(ok).ok, ok);
  for (const bad of ['(a+)+', '(a*)*b', '(a|ab)*c', '(?:x+y?)+', '(a{1,})*', '(\\w)\\1', '(?<!x)y', '(?<n>a)\\k<n>']) t.notOk(checkRegexSafety(bad).ok, bad);
});

t.test('loadRuleFiles reports a bad admin rule with its path and still loads the rest', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cim-rules-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'my-rule.yml'), GOOD);
  writeFileSync(join(dir, 'bad-rule.yml'), GOOD);
  const { rules, errors } = loadRuleFiles([dir, join(dir, 'missing')]);
  t.same(rules.map((r) => r.id), ['my-rule']);
  t.equal(errors.length, 2);
  t.equal(errors[0]!.path, join(dir, 'bad-rule.yml'));
  t.match(errors[0]!.reason, /does not match the file name/);
  t.match(errors[1]!.reason, /cannot read directory/);
});
