// Property: any sequence of Dockerfile instructions (valid, odd or broken) parses and lints
// without throwing, and every finding points at a line of the file.
import t from 'tap';
import fc from 'fast-check';
import '../helpers/fuzz.js';
import { parseDockerfile } from '../../src/analysis/dockerfile/parse.js';
import { lintDockerfile } from '../../src/analysis/dockerfile/lint.js';

const KEYWORDS = ['FROM', 'from', 'ARG', 'ENV', 'RUN', 'CMD', 'ENTRYPOINT', 'COPY', 'ADD', 'WORKDIR', 'EXPOSE', 'LABEL', 'USER', 'SHELL',
  'HEALTHCHECK', 'ONBUILD', 'STOPSIGNAL', 'VOLUME', 'MAINTAINER', 'BOGUS', '#', '# syntax=docker/dockerfile:1', '# escape=`', '# check=skip=all', ''];
const ARGS = [
  '$CI_REGISTRY_IMAGE:$CI_COMMIT_BEFORE_SHA', '${BASE:-alpine} AS build', 'alpine AS Build', 'scratch', '--platform=$BUILDPLATFORM golang:1.22 AS b',
  'NAME', 'NAME=default', 'A=1 B=2', 'KEY value', '["sh", "-c", "echo hi"]', '["unterminated', 'echo $X ${Y} ${Z:+w} $$', '<<EOF\nhello\nEOF',
  'src/ /dst/', '--from=build /a /b', '--chmod=755 a b', 'relative/dir', '80/TCP', '80/tcp 443', 'abc', 'CMD echo', '\\', '`', '"', "'",
  'a \\\n  b \\\n  c', '${', '${A:?err}', '$\u0000', 'x'.repeat(300), '--interval=5s CMD true', 'SECRET_TOKEN=abc', '=',
];

const instruction = fc.tuple(fc.constantFrom(...KEYWORDS), fc.array(fc.constantFrom(...ARGS), { maxLength: 3 }), fc.constantFrom(' ', '\t', '  ', ''))
  .map(([kw, args, sep]) => `${kw}${sep}${args.join(' ')}`);

function check(text: string): boolean {
  const model = parseDockerfile('Dockerfile', text);
  const findings = lintDockerfile(model, new Map([['NAME', 'x'], ['BASE', 'alpine']]));
  const lines = text.split(/\r?\n/).length;
  return findings.every((f) => f.location !== undefined && f.location.line >= 1 && f.location.line <= lines && f.message.length > 0);
}

t.test('random instruction sequences', async (t) => {
  fc.assert(
    fc.property(fc.array(instruction, { maxLength: 25 }), fc.constantFrom('\n', '\r\n'), (lines, eol) => check(lines.join(eol))),
    { numRuns: 150 },
  );
  t.pass('property held');
});

t.test('arbitrary text', async (t) => {
  fc.assert(fc.property(fc.string({ maxLength: 400, unit: 'binary' }), (text) => check(text)), { numRuns: 60 });
  t.pass('property held');
});

// Regression: stage lookups were a scan of every earlier stage / instruction per stage, so a file
// of 40k chained stages (well under MAX_DOCKERFILE_BYTES) took minutes. It must stay linear.
t.test('10k chained stages parse and lint, with each stage based on the previous one', async (t) => {
  const text = Array.from({ length: 10_000 }, (_, i) => (i === 0 ? 'FROM alpine AS s0' : `FROM S${i - 1} AS s${i}\nRUN echo ${i}`)).join('\n');
  const model = parseDockerfile('Dockerfile', text);
  t.equal(model.stages.length, 10_000);
  t.equal(model.stages[9_999]!.baseStage, 9_998, 'FROM <stage name> is case-insensitive and resolved');
  t.equal(model.stages[0]!.baseStage, undefined);
  const findings = lintDockerfile(model);
  t.ok(findings.every((f) => f.location !== undefined && f.location.line >= 1));
});
