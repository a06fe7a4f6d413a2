import { diagnose } from '../../src/cli/diagnose.js';
import { runCommand } from '../../src/cli/capture.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `ci-medic diagnose` in-process with captured output. */
export async function runDiagnose(argv: string[], opts: { cwd: string; stdin?: string }): Promise<CliRun> {
  return runCommand(diagnose, argv, { ...opts, throwUsage: true });
}
