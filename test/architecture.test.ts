// DESIGN.md: analysis is pure — it renders nothing and talks to nothing. A test, so that an
// import from the rendering, GitLab, queue, server or workflow layers cannot creep back in.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import t from 'tap';
import { repoRoot } from './helpers/paths.js';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const full = join(dir, n);
    return statSync(full).isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
  });
}

t.test('src/analysis imports only src/analysis, src/text and packages', async (t) => {
  const offenders: string[] = [];
  const analysis = files(join(repoRoot, 'src', 'analysis'));
  t.ok(analysis.length > 50, 'the analysis sources are found');
  for (const f of analysis) {
    for (const m of readFileSync(f, 'utf8').matchAll(/from '(\.[^']*)'/g)) {
      const target = relative(join(repoRoot, 'src'), join(f, '..', m[1]!));
      if (!target.startsWith('analysis') && !target.startsWith('text')) offenders.push(`${relative(repoRoot, f)} -> ${m[1]}`);
    }
  }
  t.same(offenders, [], 'no import of report/, gitlab/, queue/, server/ or workflows/ from analysis');
});
