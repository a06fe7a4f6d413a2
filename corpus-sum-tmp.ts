import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { lintPaths } from '/work/main/src/cli/lint.js';
import { loadAllRules } from '/work/main/src/analysis/rules/index.js';
const base = '/work/shared/corpus/real-world';
const { rules } = loadAllRules();
const counts = new Map<string, number>();
const only = process.argv[2];
const t0 = Date.now();
for (const d of readdirSync(base).sort()) {
  if (d === 'MANIFEST.tsv') continue;
  const { findings, errors } = await lintPaths(['.'], join(base, d), rules);
  for (const e of errors) console.log('ERR', d, e);
  for (const f of findings) {
    counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
    if (only && (f.ruleId === only || only === 'all')) console.log(`${d}/${f.location?.path}:${f.location?.line}: ${f.ruleId} ${f.message}`);
  }
}
console.log([...counts].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${v}\t${k}`).join('\n'));
console.log('ms', Date.now() - t0);
