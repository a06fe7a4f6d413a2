import t from 'tap';
import { changedLinesFromDiffs, hunksToText, newLineIndex, parseHunks, unifiedHunks, diffLines } from '../../src/analysis/fixes/diff.js';
import { renderFix, fenceFor } from '../../src/analysis/fixes/render.js';
import type { Fix } from '../../src/analysis/types.js';
import { applySuggestion } from './helpers.js';

const oldCi = ['stages: [build]', '', 'build:', '  image: docker:24', '  script:', '    - docker build -t $CI_REGISTRY_IMAGE .', ''].join('\n');
const newCi = ['stages: [build]', '', 'build:', '  image: docker:24', '  services: [docker:24-dind]', '  script:', '    - docker build -t $CI_REGISTRY_IMAGE .', '    - docker push $CI_REGISTRY_IMAGE', ''].join('\n');

t.test('Myers diff and hunks round-trip', async (t) => {
  const hunks = unifiedHunks(oldCi, newCi);
  t.equal(hunks.length, 1);
  const text = hunksToText(hunks);
  t.match(text, /^@@ -2,5 \+2,7 @@\n/);
  t.same(parseHunks(text).map((h) => h.lines.map((l) => l.kind + l.text)), hunks.map((h) => h.lines.map((l) => l.kind + l.text)));
  const idx = newLineIndex(text);
  t.equal(idx.get(5), null, 'added line has no old line');
  t.equal(idx.get(7), 6, 'context line maps to its old number');
  t.notOk(idx.has(1), 'line 1 is outside the hunk (context 3)');
  // Property: applying the diff reproduces the new text.
  const a = ['a', 'b', 'c', 'd', 'e', 'f'];
  const b = ['a', 'x', 'c', 'd', 'y', 'f', 'g'];
  const d = diffLines(a, b);
  t.same(d.filter((l) => l.kind !== '-').map((l) => l.text), b);
  t.same(d.filter((l) => l.kind !== '+').map((l) => l.text), a);
});

t.test('hunks far apart stay separate; new file starts at 0', async (t) => {
  const base = Array.from({ length: 30 }, (_, i) => `l${i + 1}`);
  const changed = [...base];
  changed[1] = 'X';
  changed[25] = 'Y';
  const hunks = unifiedHunks(base.join('\n') + '\n', changed.join('\n') + '\n');
  t.equal(hunks.length, 2);
  t.match(hunksToText(unifiedHunks('', 'a\nb\n')), /^@@ -0,0 \+1,2 @@/);
  const cl = changedLinesFromDiffs([{ new_path: 'f', diff: hunksToText(hunks) }]);
  t.ok(cl.get('f')!.has(2) && cl.get('f')!.has(5) && !cl.get('f')!.has(6) && !cl.get('f')!.has(15));
});

const changed = changedLinesFromDiffs([{ new_path: '.gitlab-ci.yml', diff: hunksToText(unifiedHunks(oldCi, newCi)) }]);
const files = (p: string) => (p === '.gitlab-ci.yml' ? newCi : p === 'Dockerfile' ? 'FROM $CI_REGISTRY_IMAGE:$TAG\nRUN true\n' : undefined);

t.test('an insertion becomes a suggestion that applies cleanly', async (t) => {
  const fix: Fix = {
    description: 'Add docker login to before_script',
    edits: [{ path: '.gitlab-ci.yml', startLine: 6, endLine: 5, newLines: ['  before_script:', '    - echo -n "$CI_JOB_TOKEN" | docker login -u gitlab-ci-token --password-stdin "$CI_REGISTRY"'] }],
  };
  const r = renderFix(fix, files, changed);
  t.equal(r.outside, '');
  t.equal(r.inline.length, 1);
  const s = r.inline[0]!;
  t.equal(s.anchorLine, 5, 'anchored on the borrowed line above');
  t.match(s.body, /^```suggestion:-0\+0\n  services: \[docker:24-dind\]\n  before_script:/);
  const expected = newCi.replace('  script:\n', '  before_script:\n    - echo -n "$CI_JOB_TOKEN" | docker login -u gitlab-ci-token --password-stdin "$CI_REGISTRY"\n  script:\n');
  t.equal(applySuggestion(newCi, s.anchorLine, s.body), expected);
});

t.test('a multi-line replacement anchors on its last line with -N+0', async (t) => {
  const fix: Fix = { description: 'x', edits: [{ path: '.gitlab-ci.yml', startLine: 6, endLine: 8, newLines: ['  script:', '    - docker build .'] }] };
  const s = renderFix(fix, files, changed).inline[0]!;
  t.equal(s.anchorLine, 8);
  t.match(s.body, /^```suggestion:-2\+0\n/);
  t.equal(applySuggestion(newCi, 8, s.body), newCi.replace('  script:\n    - docker build -t $CI_REGISTRY_IMAGE .\n    - docker push $CI_REGISTRY_IMAGE\n', '  script:\n    - docker build .\n'));
});

t.test('edits outside the diff become a diff block', async (t) => {
  const fix: Fix = { description: 'Declare ARG', edits: [{ path: 'Dockerfile', startLine: 1, endLine: 0, newLines: ['ARG TAG=latest'] }] };
  const r = renderFix(fix, files, changed);
  t.equal(r.inline.length, 0);
  t.equal(r.outside, '```diff\n--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,2 +1,3 @@\n+ARG TAG=latest\n FROM $CI_REGISTRY_IMAGE:$TAG\n RUN true\n```');
  // Near miss: line 1 of the CI file is not a shown line.
  const r2 = renderFix({ description: 'x', edits: [{ path: '.gitlab-ci.yml', startLine: 1, endLine: 1, newLines: ['stages: [build, test]'] }] }, files, changed);
  t.equal(r2.inline.length, 0);
  t.match(r2.outside, /^```diff\n--- a\/.gitlab-ci.yml/);
});

t.test('fences grow past backticks in the content', async (t) => {
  t.equal(fenceFor('plain'), '```');
  t.equal(fenceFor('has ``` inside'), '````');
  const fix: Fix = { description: 'x', edits: [{ path: '.gitlab-ci.yml', startLine: 8, endLine: 8, newLines: ['    - echo "```"'] }] };
  const s = renderFix(fix, files, changed).inline[0]!;
  t.match(s.body, /^````suggestion:-0\+0\n {4}- echo "```"\n````$/);
  t.equal(applySuggestion(newCi, 8, s.body), newCi.replace('    - docker push $CI_REGISTRY_IMAGE', '    - echo "```"'));
});

t.test('more than 100 lines above the anchor is not a suggestion', async (t) => {
  const big = Array.from({ length: 150 }, (_, i) => `x${i}`).join('\n') + '\n';
  const cl = changedLinesFromDiffs([{ new_path: 'big', diff: hunksToText(unifiedHunks('', big)) }]);
  const edit = (end: number) => ({ description: 'x', edits: [{ path: 'big', startLine: 1, endLine: end, newLines: ['y'] }] });
  t.equal(renderFix(edit(101), () => big, cl).inline.length, 1, '101 lines = anchor + 100 above');
  t.equal(renderFix(edit(102), () => big, cl).inline.length, 0);
});
