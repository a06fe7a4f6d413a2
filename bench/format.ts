export interface BenchResult {
  name: string;
  figures: Record<string, string>;
}

export const formatMiB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

export function printResult(r: BenchResult): void {
  process.stdout.write(`\n${r.name}\n`);
  for (const [k, v] of Object.entries(r.figures)) process.stdout.write(`  ${k.padEnd(20)} ${v}\n`);
}

/** Percentile of a sorted-in-place sample. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  values.sort((a, b) => a - b);
  return values[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;
}
