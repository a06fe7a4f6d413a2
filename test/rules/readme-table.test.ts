// README's rules table must be what rules/ generates (regenerate: npm run build && node dist/src/cli/docs-rules.js).
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAllRules, repoRoot } from '../../src/analysis/rules/index.js';
import { renderRulesTable, replaceRulesTable, TABLE_START, TABLE_END } from '../../src/report/rules-table.js';

t.test('README rules table matches rules/', async (t) => {
  const readmePath = join(repoRoot(), 'README.md');
  t.ok(existsSync(readmePath), 'README.md exists');
  if (!existsSync(readmePath)) return;
  const readme = readFileSync(readmePath, 'utf8');
  const { rules } = loadAllRules();
  const expected = replaceRulesTable(readme, renderRulesTable(rules));
  t.ok(expected !== undefined, `README.md needs the markers ${TABLE_START} and ${TABLE_END} around the rules table`);
  if (expected === undefined) return;
  t.equal(readme, expected, 'README rules table is stale: run `npm run build && node dist/src/cli/docs-rules.js`');
});

t.test('the table lists every rule once, escaping pipes', async (t) => {
  const table = renderRulesTable([
    { id: 'b-rule', title: 'B | pipe', severity: 'error', explain: '', docs: 'https://x/b', seenIn: ['files', 'log'], buildkit: 'UndefinedVar', source: 'b.yml' },
    { id: 'a-rule', title: 'A', severity: 'info', explain: '', docs: 'https://x/a', seenIn: ['log'], source: 'a.yml' },
  ]);
  t.equal(table, [
    '| id | severity | seen in | title | BuildKit |',
    '|---|---|---|---|---|',
    '| [`a-rule`](https://x/a) | info | log | A |  |',
    '| [`b-rule`](https://x/b) | error | files, log | B \\| pipe | `UndefinedVar` |',
    '',
  ].join('\n'));
  t.equal(replaceRulesTable('x\n<!-- rules:start -->\nold\n<!-- rules:end -->\ny', 'T\n'), 'x\n<!-- rules:start -->\nT\n<!-- rules:end -->\ny');
  t.equal(replaceRulesTable('no markers', 'T\n'), undefined);
});
