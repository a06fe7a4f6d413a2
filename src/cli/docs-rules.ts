// Rewrites README.md's rules table from rules/*.yml (run: node dist/src/cli/docs-rules.js).
// Not a public CLI command: a maintainer script kept beside the CLI because it does file I/O.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAllRules, repoRoot } from '../analysis/rules/index.js';
import { renderRulesTable, replaceRulesTable, TABLE_START, TABLE_END } from '../report/rules-table.js';

function main(): number {
  const root = repoRoot();
  const { rules, errors } = loadAllRules();
  for (const e of errors) process.stderr.write(`docs-rules: ${e.path}: ${e.reason}\n`);
  if (errors.length > 0) return 1;
  const readmePath = join(root, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const next = replaceRulesTable(readme, renderRulesTable(rules));
  if (next === undefined) {
    process.stderr.write(`docs-rules: README.md has no ${TABLE_START} ... ${TABLE_END} markers\n`);
    return 1;
  }
  if (next !== readme) writeFileSync(readmePath, next);
  process.stdout.write(`docs-rules: ${rules.length} rules ${next === readme ? 'already up to date' : 'written'} in README.md\n`);
  return 0;
}

process.exitCode = main();
