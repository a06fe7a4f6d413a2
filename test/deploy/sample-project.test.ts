// The walk-through's sample project must carry both seed mistakes, or the README's promise
// ("open a merge request, see the review") shows nothing.
import { join } from 'node:path';
import t from 'tap';
import { lint } from '../../src/cli/lint.js';
import { runCommand } from '../../src/cli/capture.js';
import { repoRoot } from '../helpers/paths.js';

t.test('ci-medic lint finds the missing docker login and the CI variables in FROM', async (t) => {
  const r = await runCommand(lint, ['deploy/sample-project', '--format', 'json'], { cwd: repoRoot });
  const findings = (JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; location?: { path: string; line: number } }> }).findings;
  const at = (file: string) => findings.filter((f) => f.location?.path === join('deploy', 'sample-project', file));
  t.ok(at('.gitlab-ci.yml').some((f) => f.ruleId === 'registry-login-missing'), 'the build job pushes without docker login');
  t.notOk(at('.gitlab-ci.yml').some((f) => f.ruleId === 'registry-login-missing' && f.location!.line > 26), 'the release job, which logs in, is not flagged');
  t.ok(at('Dockerfile').some((f) => f.location!.line === 1 && /arg|ci-variable/.test(f.ruleId)), 'FROM uses CI variables that do not exist in the build');
});
