// Every regular expression in src/ runs in linear time on text an MR author or a job controls.
// The sites are found by parsing the sources (regex-sources.ts), so a new one cannot be missed:
// each literal is proven linear by recheck's automaton checker; a regex built at run time must
// be listed below with where its source is proven.
import t from 'tap';
import { check } from 'recheck';
import { regexSites, type RegexSite } from './regex-sources.js';
import { REFERENCE } from '../../src/analysis/dockerfile/image-ref.js';
import { GITLAB_TOKEN } from '../../src/text/redact.js';
import { varReferencePattern } from '../../src/text/linear.js';

interface Constructed {
  file: string;
  /** Text of the `new RegExp(...)` call, as written. */
  call: string;
  why: string;
  /** The regexes the call can build, proven here; absent when proven elsewhere (see `why`). */
  prove?: () => RegExp[];
}

const CONSTRUCTED: Constructed[] = [
  {
    file: 'src/analysis/log/patterns.ts',
    call: "new RegExp(p.regex, p.flags?.includes('i') ? 'i' : '')",
    why: 'rule log patterns: built-ins proven by test/log/redos.test.ts, custom rule files by prove-linear.ts at load (refused otherwise)',
  },
  {
    file: 'src/analysis/rules/regex-safety.ts',
    call: 'new RegExp(source, flags)',
    why: 'compiled only to report a syntax error; never executed',
  },
  {
    file: 'src/analysis/dockerfile/image-ref.ts',
    call: 'new RegExp(`^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*(?::${TAG})?(?:@${DIGEST})?$`)',
    why: 'built from constants',
    prove: () => [REFERENCE],
  },
  {
    file: 'src/text/redact.ts',
    call: "new RegExp(`\\\\b(${GITLAB_TOKEN_PREFIXES.join('|')})-[A-Za-z0-9_.\\\\-]+`, 'g')",
    why: 'built from constants',
    prove: () => [GITLAB_TOKEN],
  },
  {
    file: 'src/text/linear.ts',
    call: 'new RegExp(`\\\\$(\\\\{?)${escapeRegExp(name)}\\\\b`, flags)',
    why: 'the name is escaped, so every source is `\\$(\\{?)<literal>\\b`',
    prove: () => ['CI_COMMIT_SHA', 'a.b*c+(d)|[e]{1}?^$\\', 'x'.repeat(200)].map((n) => varReferencePattern(n)),
  },
];

async function linearProblem(source: string, flags: string): Promise<string | undefined> {
  // `g`/`y` only change where matching starts; recheck analyses the pattern itself.
  const d = await check(source, flags.replace(/[gy]/g, ''), { checker: 'automaton', timeout: 30_000 });
  if (d.status === 'safe') return undefined;
  return d.status === 'vulnerable' ? `${d.complexity.summary}, attack ${d.attack.pattern}` : `not provable (${d.error.kind})`;
}

const where = (s: RegexSite) => `${s.file}:${s.line}`;
const sites = regexSites();

t.test('the scan finds the regexes of src/', async (t) => {
  t.ok(sites.filter((s) => s.source !== undefined).length > 200, `${sites.length} sites`);
  t.ok(sites.some((s) => s.file === 'src/text/redact.ts' && s.source?.includes('PRIVATE KEY')), 'a known literal is among them');
  t.ok(sites.some((s) => s.file === 'src/analysis/log/patterns.ts' && s.call), 'a known constructor is among them');
});

t.test('every regex literal in src/ is linear-time', async (t) => {
  const literals = sites.filter((s) => s.source !== undefined);
  const bySource = new Map<string, RegexSite[]>();
  for (const s of literals) {
    const key = `/${s.source}/${s.flags}`;
    bySource.set(key, [...(bySource.get(key) ?? []), s]);
  }
  const keys = [...bySource.keys()];
  const problems: string[] = [];
  // A few at a time: the recheck agent answers each in milliseconds.
  for (let i = 0; i < keys.length; i += 8) {
    await Promise.all(keys.slice(i, i + 8).map(async (key) => {
      const first = bySource.get(key)![0]!;
      const problem = await linearProblem(first.source!, first.flags!);
      if (problem) problems.push(`${bySource.get(key)!.map(where).join(', ')} ${key}: ${problem}`);
    }));
  }
  t.same(problems, [], `${keys.length} distinct literals proven`);
});

t.test('every constructed regex is listed with where its source is proven', async (t) => {
  const constructed = sites.filter((s) => s.call !== undefined);
  for (const s of constructed) {
    const entry = CONSTRUCTED.find((c) => c.file === s.file && c.call === s.call);
    t.ok(entry, `${where(s)} ${s.call} is in the allowlist`);
  }
  for (const c of CONSTRUCTED) {
    t.ok(constructed.some((s) => s.file === c.file && s.call === c.call), `allowlist entry still used: ${c.file} ${c.call}`);
    for (const re of c.prove?.() ?? []) {
      t.equal(await linearProblem(re.source, re.flags), undefined, `${c.file}: /${re.source}/${re.flags} is linear`);
    }
  }
});
