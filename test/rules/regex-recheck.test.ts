// Proves every built-in log pattern linear-time with recheck (an ReDoS checker), beyond the
// syntactic guard the loader applies.
import t from 'tap';
import { checkSync } from 'recheck';
import { loadAllRules } from '../../src/analysis/rules/index.js';

const { rules } = loadAllRules();
const patterns = rules.flatMap((r) => (r.log ?? []).flatMap((p) => [p.match, ...(p.after ? [p.after] : [])].map((lp) => ({ rule: r.id, id: p.id, ...lp }))));

t.test('every built-in log pattern is safe', async (t) => {
  t.ok(patterns.length > 0);
  for (const p of patterns) {
    const res = checkSync(p.regex, p.flags ?? '', { timeout: 20_000, checker: 'automaton' });
    t.not(res.status, 'vulnerable', `${p.rule}/${p.id}: ${p.regex} ${res.status === 'vulnerable' ? JSON.stringify(res.complexity) : ''}`);
  }
});
