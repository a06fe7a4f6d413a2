import { PassThrough, Readable } from 'node:stream';
import { diagnose } from '../../src/cli/diagnose.js';
import type { CliIo } from '../../src/cli/io.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `ci-medic diagnose` in-process with captured output. */
export async function runDiagnose(argv: string[], opts: { cwd: string; stdin?: string }): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const io: CliIo = { stdout, stderr, stdin: Readable.from([opts.stdin ?? '']), cwd: opts.cwd, env: {} };
  const code = await diagnose(argv, io);
  return { code, stdout: out, stderr: err };
}
