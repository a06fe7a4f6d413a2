// What a CLI command may touch, injected so tests can run commands in-process.
import type { Readable, Writable } from 'node:stream';

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** A command: parses its own argv (words after the command name) and returns the exit code. */
export type CliCommand = (argv: string[], io: CliIo) => Promise<number>;

/** A usage error: printed as one line with the command's usage, exit code 2. */
export class UsageError extends Error {
  readonly code = 'CIM_ERR_USAGE';
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd(), env: process.env };
}
