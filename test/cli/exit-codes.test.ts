// One exit-code policy across commands (README "Exit codes"): a missing input file is 2
// everywhere, an unknown option is 2, --version and --help are 0.
import { spawnSync } from 'node:child_process';
import t from 'tap';
import { CLI, cliUnavailable, ROOT } from '../helpers/child-service.js';

const skip = cliUnavailable();
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });

t.test('a missing input file is exit 2 for every command that reads one', { skip }, async (t) => {
  for (const args of [
    ['diagnose', '/nonexistent/job.log'],
    ['diagnose', 'test/fixtures/logs/success.log', '--ci-config', '/nonexistent/.gitlab-ci.yml'],
    ['diagnose', 'test/fixtures/logs/success.log', '--dockerfile', '/nonexistent/Dockerfile'],
    ['lint', '/nonexistent/checkout'],
    ['config', '/nonexistent/checkout'],
    ['replay', '/nonexistent/payload.json'],
  ]) {
    const r = run(...args);
    t.equal(r.status, 2, `ci-medic ${args.join(' ')}: ${r.stderr.trim()}`);
    t.match(r.stderr, /nonexistent/, 'the message names the file');
  }
});

t.test('unknown options are 2; --version and --help are 0', { skip }, async (t) => {
  for (const cmd of ['diagnose', 'lint', 'config', 'tasks', 'hooks', 'replay']) t.equal(run(cmd, '--bogus-option').status, 2, `${cmd} --bogus-option`);
  t.equal(run('nosuchcommand').status, 2);
  const version = run('--version');
  t.equal(version.status, 0);
  t.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  t.equal(run('lint', '--help').status, 0);
});
