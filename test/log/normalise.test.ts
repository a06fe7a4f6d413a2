import t from 'tap';
import { normaliseLog, stripAnsi, type NormaliseStats } from '../../src/analysis/log/normalise.js';
import type { LogLine } from '../../src/analysis/log/types.js';

async function lines(chunks: Array<string | Uint8Array>, opts = {}): Promise<{ lines: LogLine[]; stats: NormaliseStats }> {
  const stats: NormaliseStats = { totalLines: 0, totalBytes: 0, truncated: false };
  const out: LogLine[] = [];
  for await (const l of normaliseLog(chunks, stats, opts)) out.push(l);
  return { lines: out, stats };
}

t.test('splits on \\n only; \\r\\n is a newline; a bare \\r overwrites', async (t) => {
  const { lines: ls } = await lines(['one\r\ntwo\rTWO\nthree\r\r\nlast']);
  t.same(ls.map((l) => [l.number, l.text]), [[1, 'one'], [2, 'TWO'], [3, 'three'], [4, 'last']]);
});

t.test('lines split across chunks and UTF-8 split across byte chunks', async (t) => {
  const bytes = Buffer.from('héllo\nwörld\n');
  const chunks = [...bytes].map((b) => Uint8Array.of(b));
  const { lines: ls, stats } = await lines(chunks);
  t.same(ls.map((l) => l.text), ['héllo', 'wörld']);
  t.equal(stats.totalBytes, bytes.length);
  t.equal(stats.totalLines, 2);
});

t.test('ANSI colours, erase-line and OSC sequences are stripped', async (t) => {
  t.equal(stripAnsi('\x1b[32;1m$ docker push x\x1b[0;m'), '$ docker push x');
  t.equal(stripAnsi('\x1b[0Kplain\x1b]8;;https://x\x07link\x1b]8;;\x07'), 'plainlink');
  t.equal(stripAnsi('no escapes'), 'no escapes');
});

t.test('section markers set the section and disappear from the text', async (t) => {
  const log =
    'section_start:1:prepare_executor[collapsed=true]\r\x1b[0K\x1b[36;1mPreparing\x1b[0;m\n' +
    'inside\n' +
    'section_end:2:prepare_executor\r\x1b[0Ksection_start:2:step_script\r\x1b[0KExecuting "step_script"\n' +
    '$ make\n' +
    'section_end:3:step_script\n' +
    'after all\n';
  const { lines: ls } = await lines([log]);
  t.same(
    ls.map((l) => [l.number, l.text, l.section]),
    [
      [1, 'Preparing', 'prepare_executor'],
      [2, 'inside', 'prepare_executor'],
      [3, 'Executing "step_script"', 'step_script'],
      [4, '$ make', 'step_script'],
      [5, '', undefined],
      [6, 'after all', undefined],
    ],
  );
});

t.test('an overlong line is capped, the next line is intact', async (t) => {
  const { lines: ls } = await lines(['x'.repeat(5000), 'y'.repeat(5000), '\nnext\n'], { maxLineChars: 1000 });
  t.equal(ls[0]!.text.length, 1000);
  t.same(ls[1], { number: 2, text: 'next' });
});

t.test('byte limit stops reading and says so', async (t) => {
  let pulled = 0;
  async function* gen(): AsyncGenerator<string> {
    for (let i = 0; i < 1000; i++) {
      pulled++;
      yield 'line of text\n';
    }
  }
  const stats: NormaliseStats = { totalLines: 0, totalBytes: 0, truncated: false };
  let count = 0;
  for await (const _ of normaliseLog(gen(), stats, { maxBytes: 130 })) count++;
  t.equal(stats.truncated, true);
  t.equal(stats.totalBytes, 130);
  t.equal(count, 10);
  t.ok(pulled < 1000, 'the stream is not drained');
});
