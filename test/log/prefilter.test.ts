// The literal prefilter may only skip a regex on a line the regex cannot match: checked against
// every fixture log line, generated matches of every built-in pattern, and near misses.
import t from 'tap';
import fc from 'fast-check';
import '../helpers/fuzz.js';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { requiredLiterals } from '../../src/analysis/log/literals.js';
import { LiteralPrefilter } from '../../src/analysis/log/prefilter.js';
import { stripAnsi } from '../../src/analysis/log/normalise.js';
import { compilePatterns } from '../../src/analysis/log/patterns.js';
import { ERROR_LIKE } from '../../src/analysis/log/scan.js';
import { builtinRules, fixturesDir } from './helpers.js';

const regexes: RegExp[] = [
  ...compilePatterns(builtinRules()).patterns.flatMap((p) => (p.after ? [p.match, p.after] : [p.match])),
  ERROR_LIKE,
];
// One gate per regex, so each verdict is about exactly one regex.
const prefilter = new LiteralPrefilter(regexes.map((r) => [r]));

/** The regexes that match `line` but whose gate is closed: must always be empty. */
function hidden(line: string): string[] {
  prefilter.scan(line);
  return regexes.flatMap((r, i) => (r.test(line) && !prefilter.mayMatch(i) ? [r.source] : []));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

t.test('requiredLiterals: what every match must contain', async (t) => {
  t.same(requiredLiterals('denied: requested access', 'i'), ['denied: requested access']);
  t.same(requiredLiterals('^\\$ (docker|podman) (image )?push '), ['docker', 'podman'], 'the longest required piece wins');
  t.same(requiredLiterals('Out of memory: Kill(ed)? process'), ['out of memory: kill'], 'an optional group ends the run');
  t.same(requiredLiterals('ab+cde'), ['cde'], 'a repeated character ends the run after its first copy');
  t.same(requiredLiterals('x509\\.pem|tls: bad'), ['x509.pem', 'tls: bad'], 'escaped punctuation is literal; alternation gives any-of');
  t.same(requiredLiterals('\\bENOSPC\\b'), ['enospc'], 'lower-cased, assertions are not text');
  t.same(requiredLiterals('error|fail|failed'), ['fail', 'error'], 'a fragment containing another is redundant');
  t.same(requiredLiterals('a{2}b{x}'), ['b{x}'], 'a brace that is no quantifier is literal');
});

t.test('requiredLiterals: no requirement unless provable (near misses)', async (t) => {
  t.equal(requiredLiterals('foo|[a-z]+'), undefined, 'a branch without literal text');
  t.equal(requiredLiterals('(?:foo|)x?'), undefined, 'an empty branch, and an optional character');
  t.same(requiredLiterals('(?:foo|)bar?'), ['ba'], 'only the characters that must occur');
  t.equal(requiredLiterals('(?=needle)'), undefined, 'a lookahead consumes nothing');
  // The regex's real AST (regexpp): escapes are the characters they stand for.
  t.same(requiredLiterals('\\x41BC'), ['abc'], 'a hex escape is its character');
  t.same(requiredLiterals('(?<n>ab)\\k<n>'), ['ab'], 'a named backreference is not text; the group before it is');
  t.same(new RegExp('\\x41BC').test('xABCx') && 'xABCx'.toLowerCase().includes('abc'), true, 'and the fragment is in a matching line');
  t.same(requiredLiterals('caf\u00e9'), ['caf'], 'non-ASCII characters are not fragments');
  t.equal(requiredLiterals('needle', 'iu'), undefined, 'unicode case folding is not analysed');
  t.equal(requiredLiterals('[abc'), undefined, 'an unclosed class');
  t.equal(requiredLiterals('(ab'), undefined, 'an unclosed group');
});

t.test('the prefilter matches case-insensitively and stays closed on lines without fragments', async (t) => {
  const p = new LiteralPrefilter([[/denied: requested/i], [/\bENOSPC\b/], [/[a-z]+/]]);
  t.equal(p.scan('DENIED: Requested access'), true);
  t.ok(p.mayMatch(0), 'upper-case text opens the case-insensitive gate');
  t.notOk(p.mayMatch(1), 'a fragment elsewhere does not open another gate');
  t.equal(p.scan('denied : requested'), false, 'near miss: no fragment at all');
  t.notOk(p.mayMatch(0));
  t.ok(p.mayMatch(2), 'a regex without fragments is always tested');
  t.equal(p.scan('\u212Aenospc'), true, 'a fragment after a non-ASCII character is still found');
  t.ok(p.mayMatch(1));
});

t.test('no regex is skipped on any fixture log line', async (t) => {
  const lines = filesUnder(fixturesDir).flatMap((f) =>
    readFileSync(f, 'utf8').split('\n').flatMap((raw) => [raw, stripAnsi(raw), ...raw.split('\r').map(stripAnsi)]),
  );
  t.ok(lines.length > 100, `${lines.length} lines`);
  const misses = lines.flatMap((l) => hidden(l).map((src) => `${src} on ${JSON.stringify(l)}`));
  t.same(misses, []);
});

t.test('no regex is skipped on generated matches, whatever the case and surroundings', async (t) => {
  const noise = fc.string({ maxLength: 20, unit: fc.constantFrom('a', 'Z', ' ', ':', '$', 'é', '\u212A', '\t', 'x') });
  for (const [i, r] of regexes.entries()) {
    // stringMatching knows no `\b`: generate without it; lines the real regex rejects are skipped.
    const matching = fc.stringMatching(new RegExp(r.source.replace(/\\b/g, '')));
    fc.assert(
      fc.property(noise, matching, noise, fc.nat(), (pre, hit, post, flips) => {
        // Flip the case of some characters: the `i` patterns still match, and the gate must open.
        const text = [...hit].map((c, k) => ((flips >> k % 30) & 1 ? c.toUpperCase() : c)).join('');
        for (const line of [hit, pre + hit + post, text, pre + text]) {
          prefilter.scan(line);
          if (r.test(line) && !prefilter.mayMatch(i)) return false;
        }
        return true;
      }),
      { numRuns: 40 },
    );
  }
  t.pass(`${regexes.length} regexes`);
});
