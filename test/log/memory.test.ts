// A 200 MB log streamed through the scanner: memory must not grow with the log.
import t from 'tap';
import { scanLog } from '../../src/analysis/log/scan.js';
import { builtinRules } from './helpers.js';

const TOTAL_BYTES = 200 * 1000 * 1000;
const CHUNK_LINES = 600;

function block(i: number): string {
  let s = '';
  for (let k = 0; k < CHUNK_LINES; k++) {
    const n = i * CHUNK_LINES + k;
    if (k === 0) s += `section_start:${1700000000 + i}:step_${i % 7}\r\x1b[0K\x1b[36;1mstep ${i}\x1b[0;m\n`;
    else if (k % 97 === 0) s += `\x1b[32;1m$ ./build.sh --part ${n}\x1b[0;m\n`;
    else if (k % 13 === 0) s += `progress ${n}: 10%\rprogress ${n}: 50%\rprogress ${n}: 100%\r\n`;
    else s += `[${n}] cc -O2 -Wall -Wextra -fPIC -Iinclude -Ithird_party/include -DNDEBUG -c src/module_${n % 1000}.c -o build/obj/module_${n % 1000}.o && ar rcs build/lib/libmodule_${n % 100}.a build/obj/module_${n % 1000}.o # ok ${'.'.repeat(n % 60)}\n`;
  }
  return s + `section_end:${1700000000 + i}:step_${i % 7}\r\x1b[0K\n`;
}

async function* generate(): AsyncGenerator<Uint8Array> {
  let sent = 0;
  for (let i = 0; sent < TOTAL_BYTES; i++) {
    const bytes = Buffer.from(block(i));
    sent += bytes.length;
    yield bytes;
  }
  // The failure comes at the very end, after 200 MB of noise.
  yield Buffer.from('\x1b[32;1m$ docker push $CI_REGISTRY_IMAGE:latest\x1b[0;m\ndenied: requested access to the resource is denied\n');
}

t.test('200 MB log: bounded heap, match at the end found', async (t) => {
  const rules = builtinRules();
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 20);
  const r = await scanLog(generate(), rules, { maxBytes: 300 * 1024 * 1024 });
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  t.ok(r.totalBytes > TOTAL_BYTES, `read ${r.totalBytes} bytes`);
  t.equal(r.truncated, false);
  t.ok(r.totalLines > 500_000, `${r.totalLines} lines`);
  t.same([...new Set(r.matches.map((m) => m.ruleId))], ['registry-login-missing']);
  t.equal(r.matches[0]!.line.number, r.totalLines);
  t.ok(r.tail.length <= 30 && r.errorLines.length <= 40);
  const growthMb = (peak - before) / 1e6;
  t.ok(growthMb < 100, `heap growth ${growthMb.toFixed(1)} MB < 100 MB`);
});
