// The real service as a child process (`node dist/src/cli.js serve`), for crash and signal tests:
// spawn it, learn its URL from its log, kill it, ask `ci-medic tasks` what the queue holds.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../src/analysis/rules/load-files.js';
import type { QueueStats, TaskRecord } from '../../src/queue/types.js';

export const ROOT = repoRoot();
export const CLI = path.join(ROOT, 'dist', 'src', 'cli.js');

/** Undefined when dist/src/cli.js exists (npm test builds it first), else why the test is skipped. */
export function cliUnavailable(): string | undefined {
  if (fs.existsSync(CLI)) return undefined;
  const built = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, timeout: 180_000, encoding: 'utf8' });
  return fs.existsSync(CLI) ? undefined : `dist/src/cli.js is missing and building it failed: ${(built.stderr || built.stdout || '').slice(0, 200)}`;
}

export interface ChildService {
  proc: ChildProcess;
  url: string;
  hookUrl: string;
  /** Every log line written so far (pino JSON). */
  logs: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Send a signal and wait for the exit. */
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function spawnService(env: Record<string, string>, startTimeoutMs = 20_000): Promise<ChildService> {
  const proc = spawn(process.execPath, [CLI, 'serve'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start in ${startTimeoutMs} ms:\n${logs.slice(-20).join('\n')}`)), startTimeoutMs);
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        logs.push(line);
        if (line.includes('ci-medic is listening')) {
          try {
            clearTimeout(timer);
            resolve((JSON.parse(line) as { url: string }).url);
          } catch { /* not JSON: keep waiting */ }
        }
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (c: Buffer) => logs.push(`stderr: ${c.toString('utf8')}`));
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`service exited before listening (code ${code}, signal ${signal}):\n${logs.slice(-20).join('\n')}`));
    });
  });
  return {
    proc, url, hookUrl: `${url}/webhooks/gitlab`, logs, exited,
    kill: async (signal) => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

/** `ci-medic tasks --format json` on a DATA_DIR. */
export function cliTasks(dataDir: string, args: string[] = []): TaskRecord[] {
  const res = spawnSync(process.execPath, [CLI, 'tasks', '--format', 'json', '--limit', '10000', ...args], {
    cwd: ROOT, env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir }, encoding: 'utf8', timeout: 30_000,
  });
  if (res.status !== 0) throw new Error(`ci-medic tasks failed (${res.status}): ${res.stderr}`);
  return JSON.parse(res.stdout) as TaskRecord[];
}

export function statsOf(records: TaskRecord[]): QueueStats {
  const stats: QueueStats = { pending: 0, running: 0, failed: 0, dead: 0, done: 0 };
  for (const r of records) stats[r.state]++;
  return stats;
}

/** Reads the ci_medic_tasks gauge from /metrics. */
export async function metricsOf(url: string): Promise<{ text: string; tasks: QueueStats; deadLetters: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const tasks: QueueStats = { pending: 0, running: 0, failed: 0, dead: 0, done: 0 };
  for (const m of text.matchAll(/^ci_medic_tasks\{state="(\w+)"\} (\d+)/gm)) tasks[m[1] as keyof QueueStats] = Number(m[2]);
  let deadLetters = 0;
  for (const m of text.matchAll(/^ci_medic_dead_letters_total\{[^}]*\} (\d+)/gm)) deadLetters += Number(m[1]);
  return { text, tasks, deadLetters };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `done` until it returns true; throws with `describe()` after the timeout. */
export async function waitFor(done: () => boolean | Promise<boolean>, timeoutMs: number, describe: () => string, everyMs = 100): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await sleep(everyMs);
  }
}
