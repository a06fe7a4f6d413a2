// hadolint-style one-liners per BuildKit-parity rule: `catches` must report the rule on the
// given line, `catchesNot` must stay quiet (near misses).
import t from 'tap';
import { parseDockerfile } from '../../src/analysis/dockerfile/parse.js';
import { lintDockerfile } from '../../src/analysis/dockerfile/lint.js';
import { isDockerfilePath } from '../../src/analysis/dockerfile/paths.js';

function lint(text: string, args: Record<string, string> = {}) {
  return lintDockerfile(parseDockerfile('Dockerfile', text), new Map(Object.entries(args)));
}
function catches(rule: string, text: string, line: number, args?: Record<string, string>): void {
  const got = lint(text, args).filter((f) => f.buildkit === rule).map((f) => f.location?.line);
  t.ok(got.includes(line), `${rule} catches line ${line}: ${JSON.stringify(text)}`, { got });
}
function catchesNot(rule: string, text: string, args?: Record<string, string>): void {
  const got = lint(text, args).filter((f) => f.buildkit === rule);
  t.same(got.map((f) => f.message), [], `${rule} quiet on ${JSON.stringify(text)}`);
}

t.test('UndefinedArgInFrom', async () => {
  catches('UndefinedArgInFrom', 'FROM $CI_REGISTRY_IMAGE:$CI_COMMIT_BEFORE_SHA\nRUN true\n', 1);
  catches('UndefinedArgInFrom', 'FROM node:22${VARIANT}\n', 1, { VARIANT: '-alpine' });
  catchesNot('UndefinedArgInFrom', 'ARG VARIANT=-alpine\nFROM node:22${VARIANT}\n');
  catchesNot('UndefinedArgInFrom', 'FROM --platform=$BUILDPLATFORM golang AS build\nARG TARGETARCH\nRUN echo $TARGETARCH\n');
  catchesNot('UndefinedArgInFrom', 'ARG TAG=1\nFROM alpine:${TAG:-3}\n');
  catchesNot('UndefinedArgInFrom', 'FROM alpine\nRUN echo $NOT_IN_FROM\n');
});

t.test('InvalidDefaultArgInFrom', async () => {
  catches('InvalidDefaultArgInFrom', 'ARG TAG\nFROM alpine:$TAG\n', 2);
  catchesNot('InvalidDefaultArgInFrom', 'ARG TAG=3.20\nFROM alpine:$TAG\n');
  catchesNot('InvalidDefaultArgInFrom', 'ARG TAG\nFROM alpine:${TAG:-3.20}\n');
});

t.test('UndefinedVar', async () => {
  catches('UndefinedVar', 'FROM alpine\nCOPY $SRC /app\n', 2);
  catches('UndefinedVar', 'ARG DIR=x\nFROM alpine\nWORKDIR /$DIR\n', 3);
  catchesNot('UndefinedVar', 'FROM alpine\nARG DIR=x\nWORKDIR /$DIR\n');
  catchesNot('UndefinedVar', 'FROM alpine\nCOPY \\$literal /app\n');
  catchesNot('UndefinedVar', 'FROM alpine\nRUN echo $SHELL_ONLY\n');
  catchesNot('UndefinedVar', 'FROM alpine\nCOPY <<EOF /x\n$NOT_EXPANDED_HERE\nEOF\n');
  catchesNot('UndefinedVar', 'FROM python:3.12\nARG V=$PYTHON_VERSION\n');
  catchesNot('UndefinedVar', 'FROM example.org/custom:1\nCOPY $APP_HOME /x\n');
});

t.test('stage names and FROM casing', async () => {
  catches('StageNameCasing', 'FROM alpine AS Build\n', 1);
  catchesNot('StageNameCasing', 'FROM alpine AS build\n');
  catches('FromAsCasing', 'FROM alpine as build\n', 1);
  catchesNot('FromAsCasing', 'from alpine as build\n');
  catches('DuplicateStageName', 'FROM alpine AS a\nFROM alpine AS A\n', 2);
  catchesNot('DuplicateStageName', 'FROM alpine AS a\nFROM alpine AS b\n');
  catches('ReservedStageName', 'FROM alpine AS context\n', 1);
  catchesNot('ReservedStageName', 'FROM alpine AS contexts\n');
});

t.test('platform flags', async () => {
  catches('RedundantTargetPlatform', 'FROM --platform=${TARGETPLATFORM} alpine\n', 1);
  catchesNot('RedundantTargetPlatform', 'FROM --platform=$BUILDPLATFORM alpine\n');
  catches('FromPlatformFlagConstDisallowed', 'FROM --platform=linux/arm64 alpine AS build\n', 1);
  catchesNot('FromPlatformFlagConstDisallowed', 'FROM --platform=linux/arm64 alpine AS build-arm64\n');
});

t.test('secrets, maintainer, JSON args', async () => {
  catches('SecretsUsedInArgOrEnv', 'FROM alpine\nARG GITLAB_TOKEN\n', 2);
  catchesNot('SecretsUsedInArgOrEnv', 'FROM alpine\nARG TOKENIZER_VERSION\nENV PUBLIC_KEY=x\n');
  catches('MaintainerDeprecated', 'FROM alpine\nMAINTAINER me@example.org\n', 2);
  catchesNot('MaintainerDeprecated', 'FROM alpine\nLABEL org.opencontainers.image.authors=me\n');
  catches('JSONArgsRecommended', 'FROM alpine\nCMD node server.js\n', 2);
  catchesNot('JSONArgsRecommended', 'FROM alpine\nCMD ["node", "server.js"]\n');
  catchesNot('JSONArgsRecommended', 'FROM alpine\nSHELL ["/bin/bash", "-c"]\nCMD node server.js\n');
});

t.test('casing, key/value, workdir, multiple, expose', async () => {
  catches('ConsistentInstructionCasing', 'FROM alpine\nRUN true\nrun true\n', 3);
  catchesNot('ConsistentInstructionCasing', 'from alpine\nrun true\n');
  catches('LegacyKeyValueFormat', 'FROM alpine\nENV A b\n', 2);
  catchesNot('LegacyKeyValueFormat', 'FROM alpine\nENV A=b\n');
  catches('WorkdirRelativePath', 'FROM alpine\nWORKDIR app\n', 2);
  catchesNot('WorkdirRelativePath', 'FROM alpine\nWORKDIR /srv\nWORKDIR app\n');
  catches('MultipleInstructionsDisallowed', 'FROM alpine\nCMD ["a"]\nCMD ["b"]\n', 2);
  catchesNot('MultipleInstructionsDisallowed', 'FROM alpine\nCMD ["a"]\nFROM alpine\nCMD ["b"]\n');
  catches('ExposeProtoCasing', 'FROM alpine\nEXPOSE 80/TCP\n', 2);
  catchesNot('ExposeProtoCasing', 'FROM alpine\nEXPOSE 80/tcp\n');
  catches('ExposeInvalidFormat', 'FROM alpine\nEXPOSE 8080:80\n', 2);
  catchesNot('ExposeInvalidFormat', 'FROM alpine\nEXPOSE 80 443/udp\n');
});

t.test('check options', async () => {
  catchesNot('FromAsCasing', '# check=skip=FromAsCasing\nFROM alpine as b\n');
  catchesNot('FromAsCasing', 'FROM alpine as b\n', { BUILDKIT_DOCKERFILE_CHECK: 'skip=all' });
  catches('FromAsCasing', '# check=skip=all\nFROM alpine as b\n', 2, { BUILDKIT_DOCKERFILE_CHECK: 'skip=StageNameCasing' });
});

t.test('never throws on garbage', async (t) => {
  for (const text of ['', '\\', 'FROM', 'FROM --platform=', 'ARG\nFROM $', 'FROM ${', '\u0000\u0001', 'RUN <<EOF']) {
    t.doesNotThrow(() => lint(text), JSON.stringify(text));
  }
});

t.test('isDockerfilePath', async (t) => {
  for (const p of ['Dockerfile', 'a/b/Dockerfile.prod', 'api.Dockerfile', 'Containerfile', 'x/y.containerfile']) t.ok(isDockerfilePath(p), p);
  for (const p of ['Dockerfiles/readme.md', 'docker-compose.yml', 'MyDockerfile.txt', 'dockerfile-lint.sh']) t.notOk(isDockerfilePath(p), p);
});
