// Shared by the log, diagnose and CLI tests: the built-in rules and small log builders.
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths.js';
import { loadRuleFiles } from '../../src/analysis/rules/load-files.js';
import type { RuleMeta } from '../../src/analysis/rules/types.js';
import { scanLog, type ScanOptions } from '../../src/analysis/log/scan.js';
import type { LogScanResult } from '../../src/analysis/log/types.js';

export { repoRoot };
export const fixturesDir = join(repoRoot, 'test/fixtures/logs');

let cached: RuleMeta[] | undefined;

/** Every rules/*.yml; a rule file that does not load fails the test that asked. */
export function builtinRules(): RuleMeta[] {
  if (cached) return cached;
  const { rules, errors } = loadRuleFiles([join(repoRoot, 'rules')]);
  if (errors.length) throw new Error(`rule files rejected: ${JSON.stringify(errors)}`);
  cached = rules;
  return rules;
}

export function fixtureStream(rel: string): AsyncIterable<Uint8Array | string> {
  return createReadStream(join(fixturesDir, rel), { highWaterMark: 1024 });
}

export async function scanText(text: string, opts?: ScanOptions, rules = builtinRules()): Promise<LogScanResult> {
  return scanLog([text], rules, opts);
}

const ESC = '\x1b';
/** A runner-echoed command as GitLab prints it (green, bold). */
export const cmd = (c: string): string => `${ESC}[32;1m$ ${c}${ESC}[0;m\n`;

/** A minimal but real-looking failed job: preamble, step_script with `body`, failure line. */
export function failedJob(body: string, exitCode = 1): string {
  return (
    `${ESC}[0KRunning with gitlab-runner 16.11.1 (535ced5f)${ESC}[0;m\n` +
    `section_start:1700000000:prepare_executor\r${ESC}[0K${ESC}[0K${ESC}[36;1mPreparing the "docker" executor${ESC}[0;m${ESC}[0;m\n` +
    `${ESC}[0KUsing Docker executor with image docker:24.0.5-cli ...${ESC}[0;m\n` +
    `section_end:1700000001:prepare_executor\r${ESC}[0Ksection_start:1700000001:step_script\r${ESC}[0K${ESC}[0K${ESC}[36;1mExecuting "step_script" stage of the job script${ESC}[0;m${ESC}[0;m\n` +
    body +
    `section_end:1700000002:step_script\r${ESC}[0Ksection_start:1700000002:cleanup_file_variables\r${ESC}[0K${ESC}[0K${ESC}[36;1mCleaning up project directory and file based variables${ESC}[0;m${ESC}[0;m\n` +
    `section_end:1700000003:cleanup_file_variables\r${ESC}[0K${ESC}[31;1mERROR: Job failed: exit code ${exitCode}\n${ESC}[0;m\n`
  );
}

/** Rule ids that matched, deduplicated, in first-match order. */
export function ruleIds(result: LogScanResult): string[] {
  return [...new Set(result.matches.map((m) => m.ruleId))];
}
