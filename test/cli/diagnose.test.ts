import t from 'tap';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { UsageError } from '../../src/cli/io.js';
import { fixturesDir } from '../log/helpers.js';
import { runDiagnose } from './diagnose-helpers.js';

const seedA = join(fixturesDir, 'seed-registry');
const seedB = join(fixturesDir, 'seed-dockerfile');

t.test('seed (a) with config: docker login in before_script', async (t) => {
  const r = await runDiagnose(['job.log', '--ci-config', '.gitlab-ci.yml', '--format', 'json'], { cwd: seedA });
  t.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  console.error(JSON.stringify(out, null, 1));
  t.equal(out.findings[0].ruleId, 'registry-login-missing');
});

t.test('seed (b) with config and Dockerfile', async (t) => {
  const r = await runDiagnose(['job.log', '--ci-config', '.gitlab-ci.yml', '--dockerfile', 'Dockerfile', '--format', 'json'], { cwd: seedB });
  t.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  console.error(JSON.stringify(out, null, 1));
  t.equal(out.findings[0].ruleId, 'dockerfile-from-undeclared-arg');
  for (const f of ['text', 'markdown']) {
    const x = await runDiagnose(['job.log', '--ci-config', '.gitlab-ci.yml', '--dockerfile', 'Dockerfile', '--format', f], { cwd: seedB });
    console.error(x.stdout);
  }
});
