// Every built-in log pattern is proven linear-time by recheck, and hostile lines scan in bounded time.
import t from 'tap';
import { checkSync } from 'recheck';
import { scanLog } from '../../src/analysis/log/scan.js';
import { builtinRules } from './helpers.js';

const rules = builtinRules();
const sources = rules.flatMap((r) =>
  (r.log ?? []).flatMap((p) => [
    { where: `${r.id}/${p.id}.match`, ...p.match },
    ...(p.after ? [{ where: `${r.id}/${p.id}.after`, ...p.after }] : []),
  ]),
);

t.ok(sources.length >= 30, `${sources.length} patterns checked`);

for (const s of sources) {
  t.test(s.where, async (t) => {
    // The automaton checker decides (safe/vulnerable) rather than fuzzing, and is fast on safe patterns.
    const result = checkSync(s.regex, s.flags ?? '', { checker: 'automaton', timeout: 60_000 });
    t.equal(result.status, 'safe', `${s.regex} is ${result.status}${result.status === 'vulnerable' ? ` (${result.complexity.summary})` : ''}`);
  });
}

t.test('adversarial lines scan to completion', async (t) => {
  const hostile = [
    'a'.repeat(100_000),
    ' '.repeat(100_000) + 'x',
    '['.repeat(50_000) + ']'.repeat(50_000),
    '('.repeat(30_000) + '$'.repeat(30_000),
    '$ docker push ' + 'registry.'.repeat(10_000),
    'Step 1/1 : FROM ' + '$'.repeat(50_000) + ' invalid reference format',
    'denied: '.repeat(10_000),
    '\x1b['.repeat(30_000) + 'm',
    'section_start:1:' + 'a'.repeat(60_000),
    'exec: "' + 'sh'.repeat(40_000),
    'x509: certificate '.repeat(5_000),
  ];
  const log = hostile.join('\n') + '\n';
  const r = await scanLog([log, log], rules);
  t.equal(r.totalLines, hostile.length * 2);
  t.ok(r.tail.every((l) => l.text.length <= 64 * 1024));
});
