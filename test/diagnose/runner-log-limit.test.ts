// GitLab Runner's own cut of a job log (output_limit): the note says the failure may be past it,
// in JSON, text and markdown, and no cause is claimed from what remains.
import t from 'tap';
import { diagnose } from '../../src/cli/diagnose.js';
import { runCommand } from '../../src/cli/capture.js';

// As gitlab-runner writes it (helpers.ANSI_BOLD_YELLOW ... ANSI_RESET), after a flood of test output.
const LOG = [
  '$ npm test',
  ...Array.from({ length: 30 }, (_, i) => `  ✓ renders widget ${i}`),
  "\u001b[0;33mJob's log exceeded limit of 4194304 bytes.",
  'Job execution will continue but no more output will be collected.\u001b[0;m',
  'ERROR: Job failed: exit code 1',
  '',
].join('\n');

t.test("the runner's log limit is reported in every format", async (t) => {
  const json = await runCommand(diagnose, ['-', '--format', 'json'], { stdin: LOG, throwUsage: true });
  const result = JSON.parse(json.stdout) as { findings: unknown[]; runnerLogLimit?: { line: number; limitBytes?: number } };
  t.same(result.runnerLogLimit, { line: 32, limitBytes: 4194304 });
  t.same(result.findings, [], 'no cause is claimed from a log whose end is missing');
  const md = await runCommand(diagnose, ['-', '--format', 'markdown'], { stdin: LOG, throwUsage: true });
  t.match(md.stdout, /GitLab Runner stopped collecting this log at line 32 \(4194304 bytes, its `output_limit`\)/);
  const text = await runCommand(diagnose, ['-'], { stdin: LOG, throwUsage: true });
  t.match(text.stdout, /GitLab Runner stopped collecting the log at line 32/);
  const plain = await runCommand(diagnose, ['-', '--format', 'json'], { stdin: LOG.replace(/Job's log exceeded[^\n]*\n/, ''), throwUsage: true });
  t.notOk((JSON.parse(plain.stdout) as { runnerLogLimit?: unknown }).runnerLogLimit, 'absent without the message');
});
