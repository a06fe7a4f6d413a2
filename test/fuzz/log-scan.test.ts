// Property: scanLog never throws on any job log cut into any chunks, and numbers lines exactly as
// splitting the same text on `\n` does (GitLab's #L<n> anchors) — whatever the chunk boundaries.
import t from 'tap';
import fc from 'fast-check';
import '../helpers/fuzz.js';
import { scanLog } from '../../src/analysis/log/index.js';
import type { LogScanResult } from '../../src/analysis/log/index.js';
import { loadAllRules } from '../../src/analysis/rules/load-files.js';

const rules = loadAllRules().rules;

const PIECES = [
  '\n', '\r\n', '\r', '\x1b[0K', '\x1b[31;1m', '\x1b[0;m', '\x1b]8;;http://x\x07', '\x1b', '[', 'section_start:1627233650:step_script\r\x1b[0K',
  'section_end:1627233650:step_script\r\x1b[0K', 'section_start:1:prepare_executor[collapsed=true]\r\x1b[0K', 'section_start:', 'section_end:9:nope',
  '$ docker push $CI_REGISTRY_IMAGE:latest', 'denied: requested access to the resource is denied', 'invalid reference format',
  'ERROR: Job failed: exit code 1', 'Step 3/7 : FROM $CI_REGISTRY_IMAGE', '#5 [stage-1 2/3] RUN make', 'é', '日本', '\u{1F600}', '\ufffd', ' ', 'a',
  'glpat-abcdefghijklmnopqrst', 'error: ', '\t',
];

const logText = fc.oneof(
  fc.array(fc.constantFrom(...PIECES), { maxLength: 120 }).map((p) => p.join('')),
  fc.string({ maxLength: 400, unit: 'binary' }),
  fc.tuple(fc.constantFrom('a', ' ', '[', '\x1b[0K', 'é'), fc.integer({ min: 1000, max: 20_000 }), fc.constantFrom('', '\n', '\nnext\n')).map(([c, n, end]) => c.repeat(n) + end),
);

/** Byte chunks of `text` cut at the given (sorted, deduplicated) offsets — possibly inside a UTF-8 character. */
function cut(bytes: Buffer, offsets: number[]): Buffer[] {
  const points = [...new Set(offsets.map((o) => o % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let start = 0;
  for (const p of points) {
    out.push(bytes.subarray(start, p));
    start = p;
  }
  out.push(bytes.subarray(start));
  return out;
}

/** What GitLab counts: one line per `\n`, plus a last line when text follows the last `\n`. */
function expectedLines(text: string): number {
  const parts = text.split('\n');
  return parts.length - 1 + (parts[parts.length - 1] !== '' ? 1 : 0);
}

function comparable(r: LogScanResult): unknown {
  return { ...r, matches: r.matches.map((m) => ({ rule: m.ruleId, pattern: m.patternId, line: m.line, after: m.afterLine?.number })) };
}

t.test('chunking does not change the result, and lines are numbered like split("\\n")', async (t) => {
  await fc.assert(
    fc.asyncProperty(logText, fc.array(fc.nat(), { maxLength: 12 }), fc.boolean(), async (text, offsets, asStrings) => {
      const bytes = Buffer.from(text, 'utf8');
      const whole = await scanLog([bytes], rules);
      const pieces = cut(bytes, offsets);
      // String chunks (from a stream decoder) never split a surrogate pair; byte chunks may split anything.
      let at = Math.min(offsets[0] ?? 0, text.length);
      if (at > 0 && /[\uDC00-\uDFFF]/.test(text[at] ?? '') && /[\uD800-\uDBFF]/.test(text[at - 1]!)) at -= 1;
      const chunked = await scanLog(asStrings ? [text.slice(0, at), text.slice(at)] : pieces, rules);
      const decoded = bytes.toString('utf8');
      if (whole.totalLines !== expectedLines(decoded)) return false;
      if (whole.totalBytes !== bytes.length) return false;
      t.same(comparable(chunked), comparable(whole), 'same scan whatever the chunks');
      // The tail is the last lines, numbered consecutively up to the total.
      const nums = whole.tail.map((l) => l.number);
      const end = whole.totalLines;
      if (!nums.every((n, i) => n === end - nums.length + 1 + i)) return false;
      // A plain line (no escape, no \r, no section marker) is shown exactly as written.
      const raw = decoded.split('\n');
      return whole.tail.every((l) => {
        const r = raw[l.number - 1]!;
        return /[\x1b\r]|section_/.test(r) || r.length > 64 * 1024 || l.text === r;
      });
    }),
    { numRuns: 120 },
  );
});

t.test('a match keeps GitLab line numbers across chunk boundaries', async (t) => {
  const log = ['Running with gitlab-runner 17.0', 'section_start:1:step_script\r\x1b[0KExecuting "step_script"', '$ docker push $CI_REGISTRY_IMAGE:latest',
    'The push refers to repository [registry.example.com/acme/app]', 'denied: requested access to the resource is denied', 'section_end:2:step_script\r\x1b[0K',
    'ERROR: Job failed: exit code 1', ''].join('\n');
  for (const size of [1, 3, 7, log.length]) {
    const bytes = Buffer.from(log);
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
    const r = await scanLog(chunks, rules);
    const hit = r.matches.find((m) => m.ruleId === 'registry-login-missing');
    t.ok(hit, `registry-login-missing found with chunks of ${size}`);
    t.equal(hit?.line.number, 5, 'denied is line 5');
    t.equal(hit?.command?.number, 3, 'the echoed command is line 3');
    t.equal(r.totalLines, 7);
  }
});

t.test('a huge single line is bounded and the next line keeps its number', async (t) => {
  const text = `${'x'.repeat(300_000)}\ndenied: requested access to the resource is denied\n`;
  const r = await scanLog([text], rules, { maxLineChars: 1000 });
  t.equal(r.totalLines, 2);
  t.ok(r.tail.every((l) => l.text.length <= 1000), 'overlong line cut to maxLineChars');
  t.equal(r.tail[1]?.number, 2);
});
