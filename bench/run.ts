// `npm run bench`: prints figures; nothing here asserts a time.
// Options: --log-mib N (default 100), --requests N (default 3000), --concurrency N (default 16).
import { benchIngress } from './ingress.js';
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
  printResult(await benchIngress(option('requests', 3000), option('concurrency', 16)));
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
