// Lints every project of the shared real-world corpus in-process: each folder as a checkout,
// and each YAML file on its own as a CI file (fragments included). Nothing may throw.
import t from 'tap';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { lintPaths } from '../../src/cli/lint.js';
import { loadAllRules, repoRoot } from '../../src/analysis/rules/index.js';
import { walkFiles } from '../../src/cli/lint-source.js';

const corpus = join(resolve(repoRoot(), '../shared'), 'corpus/real-world');

if (!existsSync(corpus)) {
  t.plan(0, 'shared corpus not present');
} else {
  const { rules } = loadAllRules();
  const projects = readdirSync(corpus).filter((d) => statSync(join(corpus, d)).isDirectory()).sort();
  t.test('every project lints without crashing', async (t) => {
    t.ok(projects.length > 0);
    let findings = 0;
    for (const p of projects) {
      const dir = join(corpus, p);
      const asFolder = await lintPaths(['.'], dir, rules);
      t.same(asFolder.errors, [], `${p}: folder`);
      findings += asFolder.findings.length;
      const yamls = (await walkFiles(dir)).filter((f) => /\.ya?ml$/.test(f));
      const asFiles = await lintPaths(yamls, dir, rules);
      t.same(asFiles.errors, [], `${p}: ${yamls.length} YAML files`);
      for (const f of [...asFolder.findings, ...asFiles.findings]) {
        if (!f.location) continue;
        if (f.location.line < 1 || f.location.path.startsWith('..')) t.fail(`${p}: bad location ${JSON.stringify(f.location)} for ${f.ruleId}`);
      }
    }
    t.ok(findings > 0, 'the corpus has real problems to report');
  });
}
