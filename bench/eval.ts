// `npm run eval [-- --dir DIR] [--rules DIR]...`: recall, wrong-lead rate and the confusion list
// over the real-log corpus, separately for the dev and holdout splits.
import { join } from 'node:path';
import { repoRoot } from '../test/helpers/paths.js';
import { corpusRules, evaluate, formatMetrics, loadFixtures, metrics, readKnownFailing, type Outcome } from './real-logs.js';

async function main(argv: string[]): Promise<number> {
  let dir = join(repoRoot, 'test/fixtures/real-logs');
  const rules: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--dir') dir = argv[++i]!;
    else if (argv[i] === '--rules') rules.push(argv[++i]!);
    else {
      process.stderr.write(`usage: npm run eval -- [--dir DIR] [--rules DIR]...\n`);
      return 2;
    }
  }
  const { fixtures, errors } = loadFixtures(dir);
  for (const e of errors) process.stderr.write(`fixture ${e}\n`);
  const loaded = corpusRules(rules, (m) => process.stderr.write(`${m}\n`));
  const outcomes: Outcome[] = [];
  for (const f of fixtures) outcomes.push(await evaluate(f, loaded));
  for (const split of ['dev', 'holdout'] as const) {
    process.stdout.write(`${formatMetrics(split, metrics(outcomes.filter((o) => o.fixture.split === split)))}\n\n`);
  }
  process.stdout.write(`${formatMetrics('all', metrics(outcomes))}\n`);
  const known = readKnownFailing(join(repoRoot, 'test/diagnose/real-logs-known-failing.txt'));
  process.stdout.write(`\nknown failing (test/diagnose/real-logs-known-failing.txt, grows only when new excerpts are added, each with a reason): ${known.length ? known.join(', ') : 'none'}\n`);
  return errors.length ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
