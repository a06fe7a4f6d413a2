// `ci-medic tasks`: what the queue holds — pending, running, retrying (failed), dead letters, done.
// `ci-medic tasks retry KEY|--dead`: put dead letters back to run (after fixing what killed them).
import { ConfigError, loadQueueConfig } from '../config.js';
import { openQueue, TASK_STATES, type TaskRecord, type TaskState } from '../queue/index.js';
import { UsageError, type CliCommand } from './io.js';

export const USAGE = 'usage: ci-medic tasks [--state pending|running|failed|dead|done] [--format text|json] [--limit N]\n'
  + '       ci-medic tasks retry KEY|--dead   (re-queue the dead letter of KEY, or every dead letter)';

const RETRY_USAGE = 'usage: ci-medic tasks retry KEY|--dead';

/** `retry` arguments: one task key, or --dead for all. */
function parseRetry(argv: string[]): { key?: string } {
  if (argv.length !== 1) throw new UsageError(`retry takes one task key or --dead\n${RETRY_USAGE}`);
  const [arg] = argv as [string];
  if (arg === '--dead') return {};
  if (arg.startsWith('-')) throw new UsageError(`unknown option '${arg}'\n${RETRY_USAGE}`);
  return { key: arg };
}

interface TasksArgs {
  state?: TaskState;
  format: 'text' | 'json';
  limit: number;
}

function parseArgs(argv: string[]): TasksArgs | 'help' {
  const args: TasksArgs = { format: 'text', limit: 100 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = (argv[i] ?? '').split('=', 2) as [string, string | undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    if (flag === '--help' || flag === '-h') return 'help';
    else if (flag === '--state') {
      const v = value();
      if (!(TASK_STATES as readonly string[]).includes(v)) throw new UsageError(`--state must be one of ${TASK_STATES.join(', ')}, got '${v}'`);
      args.state = v as TaskState;
    } else if (flag === '--format') {
      const v = value();
      if (v !== 'text' && v !== 'json') throw new UsageError(`--format must be text or json, got '${v}'`);
      args.format = v;
    } else if (flag === '--limit') {
      const v = value();
      if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`--limit must be a positive integer, got '${v}'`);
      args.limit = Number(v);
    } else throw new UsageError(`unknown option '${flag}'\n${USAGE}`);
  }
  return args;
}

function when(ms: number | undefined): string {
  return ms === undefined ? '-' : new Date(ms).toISOString();
}

function oneLine(text: string | undefined, max = 120): string {
  if (!text) return '-';
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max)}...` : flat;
}

export function formatTasks(records: TaskRecord[]): string {
  if (records.length === 0) return 'no tasks\n';
  const rows = records.map((r) => [r.state, r.key, String(r.attempts), when(r.nextRunAt), oneLine(r.lastError)]);
  const head = ['STATE', 'KEY', 'ATTEMPTS', 'NEXT RUN', 'LAST ERROR'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  return `${[line(head), ...rows.map(line)].join('\n')}\n`;
}

export const tasks: CliCommand = async (argv, io) => {
  const retry = argv[0] === 'retry' ? parseRetry(argv.slice(1)) : undefined;
  const args = retry ? { format: 'text' as const, limit: 0 } : parseArgs(argv);
  if (args === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let config;
  try {
    config = loadQueueConfig(io.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr.write(`ci-medic: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const queue = openQueue(config);
  try {
    if (retry) {
      const n = await queue.retryDead(retry.key);
      if (n === 0) {
        io.stderr.write(`ci-medic: ${retry.key === undefined ? 'no dead letters' : `no dead letter for ${retry.key}`}\n`);
        return 1;
      }
      io.stdout.write(`re-queued ${n} dead letter${n === 1 ? '' : 's'}\n`);
      return 0;
    }
    const records = await queue.list({ state: args.state, limit: args.limit });
    if (args.format === 'json') {
      io.stdout.write(`${JSON.stringify(records.map(({ task, ...rest }) => ({ ...rest, task })), null, 2)}\n`);
    } else {
      io.stdout.write(formatTasks(records));
    }
    return 0;
  } finally {
    await queue.close();
  }
};
