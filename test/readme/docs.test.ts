// README must stay true to the code: every environment variable the service reads is a row of
// the configuration table (one table: a blank line would split it and the rest would not render
// as a table), and every refusal code the ingress can answer is listed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { ERROR_CODES } from '../../src/server/errors.js';
import { repoRoot } from '../helpers/paths.js';
import { envNamesIn } from './env-names.js';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

/** The configuration table: the contiguous `|` rows after the `### Configuration` heading. */
function configurationRows(): string[] {
  const lines = readme.split('\n');
  const heading = lines.findIndex((l) => l.trim() === '### Configuration');
  if (heading < 0) return [];
  const first = lines.findIndex((l, i) => i > heading && l.startsWith('|'));
  const rows: string[] = [];
  for (let i = first; i >= 0 && i < lines.length && lines[i]!.startsWith('|'); i++) rows.push(lines[i]!);
  return rows;
}

t.test('envNamesIn finds every form of read', async (t) => {
  t.same(envNamesIn(`integer(env, 'PORT', 1)\noptional(env,'HOST')\nio.env['RULES_DIR']\nprocess.env.CI`).sort(), ['CI', 'HOST', 'PORT', 'RULES_DIR']);
});

t.test('every environment variable the service reads is documented in the one configuration table', async (t) => {
  const rows = configurationRows();
  t.ok(rows.length > 10, 'the configuration table is found');
  const documented = new Set(rows.map((r) => /^\|\s*`([A-Z][A-Z0-9_]*)`/.exec(r)?.[1]).filter((n): n is string => !!n));
  const read = new Set<string>();
  for (const file of sourceFiles(join(repoRoot, 'src'))) {
    for (const name of envNamesIn(readFileSync(file, 'utf8'))) read.add(name);
  }
  t.ok(read.has('GITLAB_URL') && read.has('MAX_LOG_BYTES_PER_JOB'), 'the reads are found');
  // Variables the process reads that are not ci-medic settings.
  for (const foreign of ['NODE_ENV', 'CI']) read.delete(foreign);
  for (const name of [...read].sort()) t.ok(documented.has(name), `${name} is a row of README's configuration table`);
});

t.test('every refusal code is documented', async (t) => {
  for (const code of Object.keys(ERROR_CODES)) t.match(readme, code, `${code} appears in README`);
});
