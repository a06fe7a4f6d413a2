// `npm run bench`: prints figures; nothing here asserts a time.
// Options: --log-mib N (default 100), --requests N (default 20000), --concurrency N (default 10),
// --stored-deliveries N (default 1000000), --smoke (a few seconds: tiny sizes, so .ci/run keeps
// the bench from rotting). Figures are also merged into bench/results.json (other keys kept).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { benchIngest } from './ingest.js';
import { benchLint } from './lint.js';
import { benchLogScan } from './log-scan.js';
import { benchAnalysisBusy } from './analysis-busy.js';
import { printResult, type BenchResult } from './format.js';

const SMOKE = process.argv.includes('--smoke');

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : SMOKE ? Math.max(1, Math.round(fallback / 50)) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`);
  return value;
}

async function main(): Promise<void> {
  process.stdout.write(`ci-medic benchmarks (node ${process.version}, ${process.platform}/${process.arch})\n`);
  const results: BenchResult[] = [];
  const run = (r: BenchResult) => { printResult(r); results.push(r); };
  run(await benchLogScan(option('log-mib', 100)));
  run(await benchLint());
  run(await benchIngest(option('requests', 20_000), option('concurrency', 10), option('stored-deliveries', 1_000_000)));
  run(await benchAnalysisBusy(option('busy-requests', 2000), SMOKE ? 200 : 10_000));
  if (!SMOKE) writeResults(results);
}

/** Merges this run's figures into bench/results.json under each benchmark's name. */
function writeResults(results: BenchResult[]): void {
  const file = new URL('../../bench/results.json', import.meta.url);
  const old = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  const merged: Record<string, unknown> = { ...old };
  for (const r of results) merged[r.name] = r.figures;
  merged['machine'] = `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`;
  merged['date'] = new Date().toISOString();
  writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
