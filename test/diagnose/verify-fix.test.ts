// Patches that match the cause: a fix is offered only when, applied to the job's files, it
// removes its finding and adds none (ci-medic's own lint re-run on the patched, re-resolved files).
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveCiConfigFromFiles } from '../../src/analysis/ci-config/load.js';
import { diagnoseJob, verifyFixes, withEvidencePatterns } from '../../src/analysis/diagnose/index.js';
import { scanLog } from '../../src/analysis/log/scan.js';
import { builtinRules, fixtureStream, fixturesDir } from '../log/helpers.js';

const rules = builtinRules();
const read = (rel: string): string => readFileSync(join(fixturesDir, rel), 'utf8');

t.test('seed (a): the login fix passes the round trip; a broken one is dropped, saying why', async (t) => {
  const ci = await resolveCiConfigFromFiles(new Map([['.gitlab-ci.yml', read('seed-registry/.gitlab-ci.yml')]]));
  const scan = await scanLog(fixtureStream('seed-registry/job.log'), withEvidencePatterns(rules));
  const good = await verifyFixes(diagnoseJob({ scan, rules, ci }), { rules, ci });
  const f = good.findings[0]!;
  t.equal(f.ruleId, 'registry-login-missing');
  t.ok(f.fix, 'the fix is kept');
  t.equal(f.evidence?.fixVerified, true);

  const bad = diagnoseJob({ scan, rules, ci });
  // A "fix" that does not add the login: the finding stays, so the patch must not be offered.
  bad.findings[0]!.fix = { description: 'Add a comment', edits: [{ path: '.gitlab-ci.yml', startLine: 1, endLine: 0, newLines: ['# nothing'] }] };
  const checked = await verifyFixes(bad, { rules, ci });
  t.equal(checked.findings[0]!.fix, undefined);
  t.equal(checked.findings[0]!.evidence?.fixVerified, false);
  t.match(checked.findings[0]!.evidence?.fixDropped, 'leaves registry-login-missing in place');
  t.match(checked.findings[0]!.message, "ci-medic's patch for it was left out");

  const elsewhere = diagnoseJob({ scan, rules, ci });
  elsewhere.findings[0]!.fix = { description: 'x', edits: [{ path: 'other.yml', startLine: 1, endLine: 0, newLines: ['a: 1'] }] };
  t.match((await verifyFixes(elsewhere, { rules, ci })).findings[0]!.evidence?.fixDropped, 'a file ci-medic has not read');
});
