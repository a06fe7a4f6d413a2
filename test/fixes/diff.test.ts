// The hunks built on jsdiff rebuild the new file from the old one, survive GitLab's hunk text
// format, keep CRLF line text as it is, and number empty sides the way git does.
import fc from 'fast-check';
import t from 'tap';
import { diffLines, hunksToText, parseHunks, splitLines, unifiedHunks, type Hunk } from '../../src/analysis/fixes/diff.js';
import '../helpers/fuzz.js';

/** Applies hunks to the old lines; throws when a context or removed line does not match. */
function apply(oldLines: string[], hunks: Hunk[]): string[] {
  const out: string[] = [];
  let next = 0; // index into oldLines
  for (const h of hunks) {
    const start = h.oldLines === 0 ? h.oldStart : h.oldStart - 1;
    out.push(...oldLines.slice(next, start));
    next = start;
    for (const l of h.lines) {
      if (l.kind === '+') out.push(l.text);
      else {
        if (oldLines[next] !== l.text) throw new Error(`hunk does not match at old line ${next + 1}`);
        if (l.kind === ' ') out.push(l.text);
        next++;
      }
    }
  }
  return [...out, ...oldLines.slice(next)];
}

const linesArb = fc.array(fc.constantFrom('a', 'b', 'c', 'd\r', '', '  e'), { maxLength: 30 });

t.test('hunks rebuild the new text, and round-trip through hunk text', async (t) => {
  fc.assert(
    fc.property(linesArb, linesArb, fc.integer({ min: 0, max: 4 }), (a, b, context) => {
      const oldText = a.map((l) => `${l}\n`).join('');
      const newText = b.map((l) => `${l}\n`).join('');
      const hunks = unifiedHunks(oldText, newText, context);
      if (JSON.stringify(apply(splitLines(oldText), hunks)) !== JSON.stringify(splitLines(newText))) return false;
      return JSON.stringify(parseHunks(hunksToText(hunks))) === JSON.stringify(hunks);
    }),
    { numRuns: 300 },
  );
});

t.test('git numbering of empty sides and CRLF text', async (t) => {
  t.match(hunksToText(unifiedHunks('a\nb\n', 'a\nX\nb\n', 0)), /^@@ -1,0 \+2,1 @@\n\+X\n$/, 'an insertion after line 1 starts at old line 1');
  t.match(hunksToText(unifiedHunks('a\nX\nb\n', 'a\nb\n', 0)), /^@@ -2,1 \+1,0 @@\n-X\n$/);
  t.same(unifiedHunks('x\r\ny\r\n', 'x\r\nY\r\n')[0]!.lines.map((l) => l.text), ['x\r', 'y\r', 'Y\r'], 'CR stays part of the line text');
  t.same(unifiedHunks('a\nb', 'a\nb\n'), [], 'a missing final newline is not a change (lines are what git counts)');
  t.same(diffLines(['a', 'b'], ['b']).map((l) => `${l.kind}${l.text}`), ['-a', ' b']);
});
