// `npm run bench`: prints figures; nothing here asserts a time.
// Options: --log-mib N (default 100), --requests N (default 20000), --concurrency N (default 10),
// --stored-deliveries N (default 1000000).
import { benchIngest } from './ingest.js';
import { benchLint } from './lint.js';
import { benchLogScan } from './log-scan.js';
import { printResult } from './format.js';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`);
  return value;
}

async function main(): Promise<void> {
  process.stdout.write(`ci-medic benchmarks (node ${process.version}, ${process.platform}/${process.arch})\n`);
  printResult(await benchLogScan(option('log-mib', 100)));
  printResult(await benchLint());
  printResult(await benchIngest(option('requests', 20_000), option('concurrency', 10), option('stored-deliveries', 1_000_000)));
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
