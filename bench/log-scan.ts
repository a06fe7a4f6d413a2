// Log scanning throughput and memory: a generated runner log (ANSI colours, section markers,
// docker build output, the failure at the end) written to a file, then read from it by
// `grep -E -c -f` with 30 failure patterns (the baseline), by scanLog with every built-in rule
// plus the diagnosis evidence patterns (what `ci-medic diagnose` runs), in the same run.
import { spawnSync } from 'node:child_process';
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanLog } from '../src/analysis/log/index.js';
import { withEvidencePatterns } from '../src/analysis/diagnose/index.js';
import { builtinRulesDir, loadRuleFiles } from '../src/analysis/rules/load-files.js';
import type { LogScanResult } from '../src/analysis/log/types.js';
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

/** The baseline's patterns: common CI failure messages, as `grep -E` reads them. */
const GREP_PATTERNS = [
  'denied: requested access to the resource is denied', 'invalid reference format', 'no space left on device',
  'Cannot connect to the Docker daemon', 'x509: certificate signed by unknown authority', 'ERROR: Job failed',
  'unauthorized: authentication required', 'manifest unknown', 'pull access denied', 'connection refused',
  'Could not resolve host', 'npm ERR! code E[A-Z0-9]+', 'ModuleNotFoundError: No module named',
  'error: failed to push some refs', 'Permission denied \\(publickey\\)', 'fatal: unable to access', 'exec format error',
  'OOMKilled', 'Killed', 'ERROR: failed to solve', 'failed to compute cache key', 'COPY failed', 'no such file or directory',
  'command not found', 'toomanyrequests', 'i/o timeout', 'TLS handshake timeout', 'certificate has expired',
  'error during connect', 'Error response from daemon',
];

function writeLog(file: string, totalBytes: number): number {
  const fd = openSync(file, 'w');
  let written = 0;
  const put = (s: string) => { written += writeSync(fd, s); };
  put('Running with gitlab-runner 17.4.0 (b92ee590)\n');
  put('section_start:1627233650:step_script\r\x1b[0K\x1b[0K\x1b[36;1mExecuting "step_script" stage of the job script\x1b[0;m\n');
  let n = 0;
  while (written < totalBytes) {
    let chunk = '';
    for (let i = 0; i < 2000; i++) chunk += `${NOISE[(n++) % NOISE.length]} ${n}\n`;
    put(chunk);
  }
  put('$ docker push $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA\n');
  put('denied: requested access to the resource is denied\n');
  put('section_end:1627233650:step_script\r\x1b[0K\n');
  put('ERROR: Job failed: exit code 1\n');
  closeSync(fd);
  return written;
}

async function timed<T>(f: () => Promise<T> | T): Promise<[T, number]> {
  const started = process.hrtime.bigint();
  const value = await f();
  return [value, Number(process.hrtime.bigint() - started) / 1e9];
}

export async function benchLogScan(mib: number): Promise<BenchResult> {
  const { rules: builtin } = loadRuleFiles([builtinRulesDir()]);
  const rules = withEvidencePatterns(builtin);
  const dir = mkdtempSync(join(tmpdir(), 'ci-medic-bench-'));
  try {
    const log = join(dir, 'job.log');
    const bytes = writeLog(log, mib * 1024 * 1024);
    const patternFile = join(dir, 'patterns');
    writeFileSync(patternFile, `${GREP_PATTERNS.join('\n')}\n`);
    const [grep, grepSeconds] = await timed(() => spawnSync('grep', ['-E', '-c', '-f', patternFile, log], { encoding: 'utf8' }));
    const grepRate = grep.status === 0 || grep.status === 1 ? bytes / grepSeconds : NaN;

    // Warm the scanner so the figure is not the JIT's.
    const warm = join(dir, 'warm.log');
    writeLog(warm, 2 * 1024 * 1024);
    await scanLog(createReadStream(warm), rules);
    const rssBefore = process.resourceUsage().maxRSS;
    const [result, seconds] = await timed(() => scanLog(createReadStream(log), rules));
    const peakRss = process.resourceUsage().maxRSS * 1024;
    const rate = result.totalBytes / seconds;
    const patterns = rules.reduce((n, r) => n + (r.log?.length ?? 0), 0);
    return {
      name: `log scan (${mib} MiB generated runner log, ${rules.length} rules, ${patterns} patterns)`,
      figures: {
        'grep -E -c -f': `${formatMiB(grepRate)}/s (${GREP_PATTERNS.length} patterns, ${grep.stdout.trim() || grep.stderr.trim()} lines)`,
        'throughput': `${formatMiB(rate)}/s`,
        'ratio to grep': `${(rate / grepRate).toFixed(2)}x (target >= 1.0x)`,
        'peak RSS': `${formatMiB(peakRss)} (${formatMiB(rssBefore * 1024)} before the scan; target <= 150 MiB)`,
        'lines': String(result.totalLines),
        'matched rules': matchedRules(result),
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function matchedRules(result: LogScanResult): string {
  return [...new Set(result.matches.map((m) => m.ruleId))].join(', ') || 'none';
}
