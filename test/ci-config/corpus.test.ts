// Every CI file of the real-world corpus (../shared/corpus/real-world) loads without throwing;
// includes outside the copied files are reported as unresolved, never guessed.
import t from 'tap';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve as resolvePath } from 'node:path';
import { loadCiConfig, sourceFromFiles } from '../../src/analysis/ci-config/index.js';

import { repoRoot } from '../helpers/paths.js';
const corpus = join(resolvePath(repoRoot, '../shared'), 'corpus/real-world');

const walk = (d: string): string[] => readdirSync(d).flatMap((f) => {
  const p = join(d, f);
  return statSync(p).isDirectory() ? walk(p) : [p];
});

if (!existsSync(corpus)) {
  t.plan(0, 'shared corpus not present');
} else {
  t.test('every corpus CI file resolves without throwing', async (t) => {
    let n = 0;
    let unresolved = 0;
    for (const repo of readdirSync(corpus)) {
      const dir = join(corpus, repo);
      if (!statSync(dir).isDirectory()) continue;
      const files = new Map(walk(dir).map((p) => [relative(dir, p), readFileSync(p, 'utf8')]));
      for (const path of files.keys()) {
        if (!/(^|\/)\.gitlab-ci\.yml$|\.ya?ml$/.test(path)) continue;
        const c = await loadCiConfig(path, sourceFromFiles(files));
        n++;
        unresolved += c.unresolvedIncludes.length;
        t.ok(Array.isArray(c.jobs) && c.files.has(path), `${repo}/${path}`);
        for (const u of c.unresolvedIncludes) {
          t.ok(u.reason.length > 0, `${repo}/${path}: ${u.kind} ${u.target} has a reason`);
          if (u.kind === 'local') t.notOk(files.has(u.target), `${u.target} is really missing`);
        }
        for (const j of c.jobs) for (const l of [...j.beforeScript, ...j.script]) {
          if (!c.files.has(l.pos.path)) t.fail(`${repo}/${path}: ${j.name} line from unknown file ${l.pos.path}`);
        }
      }
    }
    t.comment(`${n} files, ${unresolved} unresolved includes`);
  });
}
