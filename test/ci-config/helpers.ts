// Shared helpers for the ci-config tests.
import { resolveCiConfigFromFiles } from '../../src/analysis/ci-config/index.js';
import type { CiConfig, EffectiveJob } from '../../src/analysis/ci-config/index.js';

/** 1-based line of the first line containing `needle` (after `after`, if given). Throws if absent. */
export function lineOf(text: string, needle: string, after = 0): number {
  const lines = text.split('\n');
  for (let i = after; i < lines.length; i++) if (lines[i]!.includes(needle)) return i + 1;
  throw new Error(`not found: ${needle}`);
}

export async function resolve(files: Record<string, string> | string): Promise<CiConfig> {
  const map = typeof files === 'string' ? new Map([['.gitlab-ci.yml', files]]) : new Map(Object.entries(files));
  return resolveCiConfigFromFiles(map);
}

export function job(c: CiConfig, name: string): EffectiveJob {
  const j = c.jobs.find((x) => x.name === name) ?? c.hiddenJobs.find((x) => x.name === name);
  if (!j) throw new Error(`no job ${name}; have ${c.jobs.map((x) => x.name).join(', ')}`);
  return j;
}

/** Script lines as [command, path, line, origin] tuples, for compact assertions. */
export function lines(list: EffectiveJob['script']): [string, string, number, string][] {
  return list.map((l) => [l.command, l.pos.path, l.pos.line, l.origin]);
}

export function codes(c: CiConfig): string[] {
  return c.problems.map((p) => String(p.evidence?.code));
}
