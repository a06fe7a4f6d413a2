// Log scanning throughput and memory: a generated runner log (ANSI colours, section markers,
// docker build output) streamed through scanLog with every built-in rule.
import { scanLog } from '../src/analysis/log/index.js';
import { builtinRulesDir, loadRuleFiles } from '../src/analysis/rules/load-files.js';
import { formatMiB, type BenchResult } from './format.js';

const NOISE = [
  '\x1b[0KStep 4/9 : RUN npm ci --omit=dev',
  ' ---> Running in 9f25d4d469d1',
  'npm WARN deprecated inflight@1.0.6: This module is not supported, and leaks memory.',
  '\x1b[32;1m$ docker images\x1b[0;m',
  'e7ae86ffe2df: Pull complete',
  'added 1234 packages, and audited 1235 packages in 41s',
  '#12 [build 3/7] RUN go build -o /out/app ./cmd/app',
  'Removing intermediate container 6bcad0f00196',
];

function* generateLog(totalBytes: number, onChunk: () => void): Generator<string> {
  let written = 0;
  let n = 0;
  yield 'Running with gitlab-runner 17.4.0 (b92ee590)\n';
  yield 'section_start:1627233650:step_script\r\x1b[0K\x1b[0K\x1b[36;1mExecuting "step_script" stage of the job script\x1b[0;m\n';
  while (written < totalBytes) {
    let chunk = '';
    for (let i = 0; i < 2000; i++) chunk += `${NOISE[(n++) % NOISE.length]} ${n}\n`;
    written += chunk.length;
    onChunk();
    yield chunk;
  }
  yield '$ docker push $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA\n';
  yield 'denied: requested access to the resource is denied\n';
  yield 'section_end:1627233650:step_script\r\x1b[0K\n';
  yield 'ERROR: Job failed: exit code 1\n';
}

export async function benchLogScan(mib: number): Promise<BenchResult> {
  const { rules } = loadRuleFiles([builtinRulesDir()]);
  const bytes = mib * 1024 * 1024;
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let peak = heapBefore;
  // Sampled from the generator: the scan never yields to timers, so an interval would not run.
  let chunks = 0;
  const sample = () => { if (++chunks % 16 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed); };
  const started = process.hrtime.bigint();
  const result = await scanLog(generateLog(bytes, sample), rules);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const patterns = rules.reduce((n, r) => n + (r.log?.length ?? 0), 0);
  return {
    name: `log scan (${mib} MiB generated runner log, ${rules.length} rules, ${patterns} patterns)`,
    figures: {
      'throughput': `${formatMiB(result.totalBytes / seconds)}/s`,
      'lines': String(result.totalLines),
      'peak heap growth': formatMiB(peak - heapBefore),
      'matched rules': [...new Set(result.matches.map((m) => m.ruleId))].join(', ') || 'none',
    },
  };
}
