// Offline lint over the real-world corpus (../shared/corpus/real-world: one folder per
// repository), or over this repository's own test fixtures when the corpus is absent.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { lintPaths } from '../src/cli/lint.js';
import { builtinRulesDir, loadRuleFiles, repoRoot } from '../src/analysis/rules/load-files.js';
import { formatMiB, type BenchResult } from './format.js';

export async function benchLint(): Promise<BenchResult> {
  const root = repoRoot();
  const corpus = resolve(root, '..', 'shared', 'corpus', 'real-world');
  const base = existsSync(corpus) ? corpus : join(root, 'test', 'fixtures');
  const folders = readdirSync(base, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  const { rules } = loadRuleFiles([builtinRulesDir()]);
  const heapBefore = process.memoryUsage().heapUsed;
  const started = process.hrtime.bigint();
  let findings = 0;
  let errors = 0;
  for (const folder of folders) {
    const result = await lintPaths([folder], base, rules);
    findings += result.findings.length;
    errors += result.errors.length;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    name: `ci-medic lint over ${folders.length} repositories (${existsSync(corpus) ? 'real-world corpus' : 'test fixtures'})`,
    figures: {
      'total time': `${seconds.toFixed(2)} s`,
      'per repository': `${((seconds * 1000) / Math.max(1, folders.length)).toFixed(1)} ms`,
      'findings': String(findings),
      'read errors': String(errors),
      'heap growth': formatMiB(process.memoryUsage().heapUsed - heapBefore),
    },
  };
}
