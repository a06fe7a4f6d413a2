import { parseDockerfile } from '../../src/analysis/dockerfile/parse.js';
import { lintDockerfile } from '../../src/analysis/dockerfile/lint.js';
const shapes: Record<string, (n: number) => string> = {
  from: (n) => 'FROM x\n'.repeat(n),
  fromas: (n) => Array.from({ length: n }, (_, i) => `FROM s${i - 1} AS s${i}`).join('\n'),
  arg: (n) => Array.from({ length: n }, (_, i) => `ARG A${i}=\${A${i - 1}}`).join('\n') + '\nFROM $A1',
  run: (n) => 'FROM x\n' + Array.from({ length: n }, (_, i) => `RUN echo $V${i}`).join('\n'),
  env: (n) => 'FROM x\n' + Array.from({ length: n }, (_, i) => `ENV V${i}=$V${i - 1}`).join('\n'),
  cont: (n) => 'FROM x\nRUN a' + ' \\\n b'.repeat(n),
};
for (const [name, f] of Object.entries(shapes)) for (const n of [10000, 40000]) {
  const s = f(n); const t0 = performance.now();
  const m = parseDockerfile('D', s); const t1 = performance.now(); lintDockerfile(m);
  console.log(name, n, s.length, 'parse', Math.round(t1 - t0), 'lint', Math.round(performance.now() - t1));
}
