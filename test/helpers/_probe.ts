import { parseDockerfile } from '../../src/analysis/dockerfile/parse.js';
import { buildkitWarnings } from '../../src/analysis/dockerfile/lint.js';
for (const n of [1000, 8000, 16000, 32000]) {
  const s = 'FROM x\n'.repeat(n);
  let t0 = performance.now(); const m = parseDockerfile('D', s); console.log('parse', n, performance.now() - t0);
  t0 = performance.now(); buildkitWarnings(m); console.log('lint', n, performance.now() - t0);
}
