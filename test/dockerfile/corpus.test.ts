// Every Dockerfile of the real-world corpus parses and lints without throwing, and the seed-rule
// near misses found there (declared ARGs, platform ARGs, ${X:-d}) stay quiet.
import t from 'tap';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseDockerfile } from '../../src/analysis/dockerfile/parse.js';
import { lintDockerfile } from '../../src/analysis/dockerfile/lint.js';
import { isDockerfilePath } from '../../src/analysis/dockerfile/paths.js';

import { repoRoot } from '../helpers/paths.js';
const corpus = path.resolve(repoRoot, '../shared/corpus/real-world');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

if (!existsSync(corpus)) {
  t.plan(0, `${corpus} is absent`);
} else {
  const files = walk(corpus).filter((f) => isDockerfilePath(f));
  t.ok(files.length > 10, `found ${files.length} Dockerfiles`);
  const report: string[] = [];
  for (const file of files) {
    const rel = path.relative(corpus, file);
    const text = readFileSync(file, 'utf8');
    const model = parseDockerfile(rel, text);
    const findings = lintDockerfile(model);
    for (const f of findings) {
      report.push(`${rel}:${f.location?.line}: ${f.buildkit} ${f.message}`);
      if (f.buildkit === 'UndefinedArgInFrom') {
        const name = String(f.evidence?.variable);
        t.notOk(model.globalArgs.some((a) => a.name === name), `${rel}: ${name} is really undeclared`);
        t.notOk(/^(?:BUILD|TARGET)(?:PLATFORM|OS|ARCH|VARIANT)$/.test(name), `${rel}: predefined ${name} is not reported`);
      }
    }
  }
  if (process.env.CORPUS_REPORT) console.log(report.join('\n'));
  t.pass(`${report.length} findings over ${files.length} Dockerfiles`);
}
