// Rule patterns cannot be used to stall the scanner: built-in and custom patterns are proven
// linear by recheck, a catastrophic custom pattern is refused at load (file and reason named),
// and adversarial lines scan to completion with correct results.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { checkSync } from 'recheck';
import { loadAllRules, loadRuleFiles } from '../../src/analysis/rules/load-files.js';
import { scanLog } from '../../src/analysis/log/index.js';
import { loadWorkflowRules } from '../../src/workflows/index.js';
import { tempDir } from '../helpers/config.js';

const SAFE_RULE = `id: custom-npm-auth
title: npm registry refused the token
severity: error
seen_in: [log]
docs: https://docs.npmjs.com/
explain: |
  The npm token is missing or expired.
log:
  - id: e401
    after: { regex: '^\\$ npm (ci|install|publish)' }
    match: { regex: 'npm ERR! code E40[13]', flags: i }
    within: 40
    confidence: 80
`;

const catastrophic = (id: string, regex: string) => `id: ${id}
title: bad pattern
severity: warning
seen_in: [log]
docs: https://example.com/
explain: x
log:
  - id: p
    match: { regex: '${regex}' }
`;

function patternsOf(rules: ReturnType<typeof loadAllRules>['rules']) {
  return rules.flatMap((r) => (r.log ?? []).flatMap((p) => [p.match, ...(p.after ? [p.after] : [])].map((lp) => ({ where: `${r.id}/${p.id}`, ...lp }))));
}

t.test('custom patterns are linear-time (recheck), next to the built-in ones', async (t) => {
  const { dir, cleanup } = tempDir('cim-rules-');
  t.teardown(cleanup);
  fs.writeFileSync(path.join(dir, 'custom-npm-auth.yml'), SAFE_RULE);
  const { rules, errors } = loadAllRules([dir]);
  t.same(errors, [], 'the custom rule loads');
  const custom = rules.find((r) => r.id === 'custom-npm-auth');
  t.ok(custom, 'custom rule present');
  t.ok(patternsOf(rules).length > 20, 'built-in patterns loaded alongside');
  // Built-in patterns are each run through recheck by test/rules/regex-recheck.test.ts; here the
  // administrator's patterns get the same proof.
  const patterns = patternsOf(custom ? [custom] : []);
  t.equal(patterns.length, 2);
  for (const p of patterns) {
    const res = checkSync(p.regex, p.flags ?? '', { checker: 'automaton', timeout: 20_000 });
    t.equal(res.status, 'safe', `${p.where}: ${p.regex}`);
  }
});

t.test('catastrophic custom patterns are refused at load, naming the file and the reason', async (t) => {
  const { dir, cleanup } = tempDir('cim-rules-');
  t.teardown(cleanup);
  const bad: Record<string, string> = {
    'nested-plus': '(a+)+$',
    'star-alternation': '(a|aa)*b',
    'word-space': '(\\w+\\s?)*$',
    'backref': '(a*)\\1x',
  };
  for (const [id, regex] of Object.entries(bad)) fs.writeFileSync(path.join(dir, `${id}.yml`), catastrophic(id, regex));
  fs.writeFileSync(path.join(dir, 'custom-npm-auth.yml'), SAFE_RULE);
  const { rules, errors } = loadRuleFiles([dir]);
  t.same(rules.map((r) => r.id), ['custom-npm-auth'], 'only the safe rule loads');
  for (const [id, regex] of Object.entries(bad)) {
    const err = errors.find((e) => e.path === path.join(dir, `${id}.yml`));
    t.ok(err, `${id} refused`);
    t.match(err?.reason, /rejected/, `${id}: reason given (${err?.reason})`);
    // The checker agrees that each refused pattern is dangerous or unsupported.
    if (id !== 'backref') t.equal(checkSync(regex, '', { checker: 'automaton', timeout: 20_000 }).status, 'vulnerable', `${regex} is vulnerable per recheck`);
  }
  // The service refuses to start with such a directory, naming the file.
  t.throws(() => loadWorkflowRules({ rulesDir: dir }), { code: 'CIM_ERR_RULES', message: /nested-plus\.yml/ });
});

t.test('adversarial lines scan to completion, and the real cause after them is still found', async (t) => {
  const { rules } = loadAllRules();
  const hostile = [
    'a'.repeat(100_000),
    ' '.repeat(100_000),
    '['.repeat(10_000) + ']'.repeat(10_000),
    '('.repeat(10_000) + 'x' + ')'.repeat(10_000),
    '$ docker push ' + ' '.repeat(50_000) + 'x',
    'denied: ' + ' '.repeat(50_000),
  ];
  const log = [...hostile, '$ docker push $CI_REGISTRY_IMAGE:latest', 'denied: requested access to the resource is denied', ''].join('\n');
  const r = await scanLog([log], rules);
  t.equal(r.totalLines, hostile.length + 2);
  const hit = r.matches.find((m) => m.ruleId === 'registry-login-missing');
  t.equal(hit?.line.number, hostile.length + 2, 'the push denial is found on its line');
  t.equal(hit?.command?.number, hostile.length + 1, 'with its command');
});
