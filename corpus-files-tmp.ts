import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { lintPaths } from './src/cli/lint.js';
import { walkFiles } from './src/cli/lint-source.js';
import { loadAllRules } from './src/analysis/rules/index.js';
const base = '/work/shared/corpus/real-world';
const { rules } = loadAllRules();
const counts = new Map<string, number>();
for (const d of readdirSync(base).sort()) {
  if (!statSync(join(base, d)).isDirectory()) continue;
  const dir = join(base, d);
  const yamls = (await walkFiles(dir)).filter((f) => /\.ya?ml$/.test(f) && f !== '.gitlab-ci.yml');
  const { findings } = await lintPaths(yamls, dir, rules);
  for (const f of findings) {
    counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
    if (!f.ruleId.startsWith('dockerfile-') && !['docker-login-password-argv', 'ci-config-invalid'].includes(f.ruleId)) console.log(`${d}/${f.location?.path}:${f.location?.line}: ${f.ruleId} ${f.message.slice(0, 250)}`);
  }
}
console.log([...counts].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${v}\t${k}`).join('\n'));
