// The scans that replaced super-linear regexes give the answers the regexes gave (checked on
// short inputs, where the regexes are fine), and the hostile inputs that stalled them — an 8 KB
// `docker build` line, a 1 MB string value — complete with the right result. No timings: a
// regression shows as the tap timeout, the results as wrong answers.
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import t from 'tap';
import fc from 'fast-check';
import '../helpers/fuzz.js';
import { collapseNewlines, endsWithColon, stripHashComment, trimLeading, trimTrailing } from '../../src/text/linear.js';
import { includeGlobToRegExp } from '../../src/analysis/ci-config/glob.js';
import { interpolateInputs } from '../../src/analysis/ci-config/inputs.js';
import { echoedCommandText } from '../../src/analysis/diagnose/job-command.js';
import { redact, REDACTED } from '../../src/text/redact.js';
import { safeMarkdown } from '../../src/report/quote.js';
import { lint } from '../../src/cli/lint.js';
import type { CliIo } from '../../src/cli/io.js';
import { tempDir } from '../helpers/config.js';

const text = (chars: string[], maxLength = 24) => fc.array(fc.constantFrom(...chars), { maxLength }).map((a) => a.join(''));

t.test('the scans agree with the regexes they replace', async (t) => {
  fc.assert(fc.property(text([' ', '\t', '\n', 'a', '\r']), (s) => collapseNewlines(s) === s.replace(/\s*\n\s*/g, ' ')));
  fc.assert(fc.property(text(['/', 'a']), (s) => trimTrailing(s, '/') === s.replace(/\/+$/, '')
    && trimLeading(s, '/') === s.replace(/^\/+/, '')));
  fc.assert(fc.property(text([' ', '\t', '#', 'a', ':']), (s) => stripHashComment(s) === s.replace(/\s+#.*$/, '')
    && endsWithColon(s) === /:\s*(#.*)?$/.test(s)));
  fc.assert(fc.property(text([' ', '#', 'a', 'x']), (s) => {
    const line = `$ ${s}`;
    return echoedCommandText(line) === line.replace(/^\$ /, '').replace(/\s*# collapsed multi-line command\s*$/, '')
      && echoedCommandText(`${line} # collapsed multi-line command `) === `${s}`.replace(/\s+$/, '');
  }));
  // The include-wildcard matcher against the regex it replaced.
  const oldGlob = (g: string) => new RegExp(`^${g.replace(/^\/+/, '').split(/(\*\*|\*)/).map((p) => (p === '**' ? '.*' : p === '*' ? '[^/]*' : p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))).join('')}$`);
  fc.assert(fc.property(text(['*', 'a', '/', '.'], 8), text(['a', '/', '.'], 12), (g, p) => includeGlobToRegExp(g).test(p) === oldGlob(g).test(p)));
});

t.test('hostile text: 1 MB inputs complete with the right result', async (t) => {
  const mb = 1024 * 1024;
  // Each was quadratic or worse as a regex.
  t.equal(collapseNewlines(`a${' '.repeat(mb)}b`), `a${' '.repeat(mb)}b`);
  t.equal(trimTrailing(`${'/'.repeat(mb)}x`, '/'), `${'/'.repeat(mb)}x`);
  t.equal(stripHashComment(`a${' '.repeat(mb)}b # c`), `a${' '.repeat(mb)}b`);
  t.equal(endsWithColon(`${': '.repeat(mb / 2)}x`), false);
  t.equal(includeGlobToRegExp('*a*a*a*a*a*a*b').test('a'.repeat(20_000)), false);
  const unclosed = '$[[ inputs.a | '.repeat(mb / 16);
  t.equal(interpolateInputs(`${unclosed}$[[ inputs.a ]]`, { a: 'A' }), `${unclosed}A`);

  const jwt = `eyJ${'a'.repeat(10)}.${'b'.repeat(10)}.${'c'.repeat(10)}`;
  const cases: [string, string, string][] = [
    ['URL credentials after a long scheme-like run', `${'a.'.repeat(mb / 2)} https://user:s3cret@example.com`, `https://user:${REDACTED}@example.com`],
    ['a JWT after a long segment of eyJ', `${'eyJ-'.repeat(mb / 4)} ${jwt}`, ` ${REDACTED}`],
    ['a key after a long dashed run', `${'a-'.repeat(mb / 2)}password=hunter2`, `password=${REDACTED}`],
    ['an authorization header after spaces', `Authorization:${' '.repeat(mb)}Bearer abcdef`, `Bearer ${REDACTED}`],
    ['a login password after unclosed quotes', `docker login${' -p "x'.repeat(mb / 8 + 1)}`, ` -p ${REDACTED}`],
  ];
  for (const [what, input, expected] of cases) {
    const out = redact(input);
    t.ok(out.endsWith(expected), `${what}: ends with ${JSON.stringify(expected)}`);
    t.notOk(/s3cret|hunter2|abcdef|cccccccccc/.test(out), `${what}: nothing left`);
  }
  t.equal(safeMarkdown(`${'`a'.repeat(mb / 2)} && x`).length > mb, true, 'unmatched backtick runs render');
  t.match(safeMarkdown(`${'&a'.repeat(mb / 2)}`), /^(&amp;a)+$/, 'bare ampersands escaped');
});

async function lintDir(files: Record<string, string>): Promise<{ code: number; out: string }> {
  const { dir, cleanup } = tempDir('cim-redos-');
  try {
    for (const [name, body] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), body);
    }
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (d) => { out += String(d); });
    const io: CliIo = { stdout, stderr: new PassThrough(), stdin: new PassThrough(), cwd: dir, env: {} };
    const code = await lint(['--format', 'json', '.'], io);
    return { code, out };
  } finally {
    cleanup();
  }
}

t.test('lint: an 8 KB docker build line and a 1 MB string value', async (t) => {
  const spaces = ' \t'.repeat(2048);
  const dockerfile = 'FROM $CI_REGISTRY_IMAGE:$CI_COMMIT_BEFORE_SHA\nRUN echo hi\n';
  const ci = [
    'build:',
    '  image: docker:24',
    '  services: [docker:24-dind]',
    '  variables:',
    `    HOSTILE: "${'a: #'.repeat(64 * 1024)}${'$[[ inputs.x | '.repeat(32 * 1024)}${'x/'.repeat(256 * 1024)}"`,
    '  script:',
    `    - docker build${spaces}-t "$CI_REGISTRY_IMAGE"${spaces}. ${'# x '.repeat(256)}`,
    '',
  ].join('\n');
  t.ok(ci.length > 1024 * 1024, 'the CI file holds a 1 MB value');
  const { out } = await lintDir({ '.gitlab-ci.yml': ci, Dockerfile: dockerfile });
  const findings = (JSON.parse(out) as { findings: { ruleId: string }[] }).findings;
  t.ok(findings.length > 0, `lint finished with findings: ${[...new Set(findings.map((f) => f.ruleId))].join(', ')}`);
});
