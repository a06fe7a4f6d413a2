// Runs a CLI command in-process with captured output, a working folder and an environment (tests and the corpus evaluation).
import { PassThrough, Readable } from 'node:stream';
import type { CliCommand, CliIo } from './io.js';

export interface CommandRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCommand(
  command: CliCommand,
  argv: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; stdin?: string; /** Rethrow UsageError instead of exit 2. */ throwUsage?: boolean } = {},
): Promise<CommandRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const io: CliIo = { stdout, stderr, stdin: Readable.from([opts.stdin ?? '']), cwd: opts.cwd ?? process.cwd(), env: opts.env ?? {} };
  let code: number;
  try {
    code = await command(argv, io);
  } catch (e) {
    // What src/cli.ts does with a usage error.
    if (!opts.throwUsage && (e as { code?: string }).code === 'CIM_ERR_USAGE') {
      err += (e as Error).message;
      code = 2;
    } else throw e;
  }
  return { code, stdout: out, stderr: err };
}
