// The analysis pool: a worker gives exactly the findings of the same analysis in-process, a task
// over budget resolves as timed out (its worker terminated), and the pool keeps working after it.
import t from 'tap';
import { resolveCiConfigFromFiles } from '../../src/analysis/ci-config/index.js';
import { loadAllRules } from '../../src/analysis/rules/load-files.js';
import { AnalysisPool } from '../../src/workflows/analysis-pool.js';
import { analyseReview, type ReviewAnalysisInput } from '../../src/workflows/review-analysis.js';
import { seedFile } from '../demo/world.js';

async function seedInput(): Promise<ReviewAnalysisInput> {
  const ci = await resolveCiConfigFromFiles(new Map([['.gitlab-ci.yml', seedFile('from-arg.gitlab-ci.yml')]]));
  return {
    ci, dockerfiles: [['Dockerfile', seedFile('from-arg.Dockerfile')]], rules: loadAllRules([]).rules,
    changed: ['.gitlab-ci.yml', 'Dockerfile'], maxFindings: 50,
  };
}

t.test('a worker gives the in-process findings; over budget it is stopped; the pool goes on', async (t) => {
  const pool = new AnalysisPool(1);
  const input = await seedInput();
  const expected = await analyseReview(input);
  t.ok(expected.findings.length > 0, 'the seed has findings');

  const first = await pool.run(input, 60_000);
  t.same(first, { ok: true, value: expected }, 'same findings, fixes and order as in-process');

  const held = pool.pause();
  const timedOut = await pool.run(input, 1);
  held.release();
  t.same(timedOut, { ok: false, timedOut: true });
  t.equal(pool.busy, 0, 'the stopped task is no longer counted');

  t.same(await pool.run(input, 60_000), { ok: true, value: expected }, 'a new worker takes the next task');
});

t.test('an aborted task rejects with the abort reason', async (t) => {
  const pool = new AnalysisPool(0);
  const held = pool.pause();
  t.teardown(() => held.release());
  const ac = new AbortController();
  const run = pool.run(await seedInput(), 60_000, ac.signal);
  ac.abort(new Error('shutting down'));
  await t.rejects(run, /shutting down/);
  t.equal(pool.busy, 0);
});
