// A log longer than MAX_LOG_BYTES_PER_JOB keeps its end, where failures are, and says so.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import t from 'tap';
import { diagnose } from '../../src/cli/diagnose.js';
import type { CliIo } from '../../src/cli/io.js';
import { tempDir } from '../helpers/config.js';
import { repoRoot } from '../helpers/paths.js';
import { scanText } from './helpers.js';

const FAILURE = '$ docker push $CI_REGISTRY_IMAGE:latest\ndenied: requested access to the resource is denied\nERROR: Job failed: exit code 1\n';

async function run(argv: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  const io: CliIo = { stdout, stderr: new PassThrough(), stdin: Readable.from(['']), cwd, env };
  t.equal(await diagnose(argv, io), 0);
  return out;
}

t.test('the CLI reads the end of a log longer than MAX_LOG_BYTES_PER_JOB', async (t) => {
  const { dir, cleanup } = tempDir('cim-trunc-');
  t.teardown(cleanup);
  const noise = 'Step 4/9 : RUN npm ci\n npm WARN deprecated x\n'.repeat(5000);
  const log = `Running with gitlab-runner 17.4.0\n${noise}${FAILURE}`;
  fs.writeFileSync(path.join(dir, 'job.log'), log);
  const env = { MAX_LOG_BYTES_PER_JOB: '4096' };
  const json = JSON.parse(await run(['job.log', '--format', 'json'], dir, env)) as { findings: { ruleId: string }[]; truncated?: { keptBytes: number; totalBytes: number } };
  t.ok(json.findings.some((f) => f.ruleId === 'registry-login-missing'), 'the failure in the last lines is found');
  t.same(json.truncated, { keptBytes: 4096, totalBytes: Buffer.byteLength(log) });
  t.match(await run(['job.log'], dir, env), /only its last 4096 bytes were (read|scanned)/, 'the text output says so');
  const whole = JSON.parse(await run(['job.log', '--format', 'json'], dir, {})) as { truncated?: unknown };
  t.equal(whole.truncated, undefined, 'no truncation field when the whole log fits');
});

t.test('the scanner drops the partial first line of a log read from the middle', async (t) => {
  const r = await scanText(`rror: half a line\n${FAILURE}`, { skippedBytes: 100 });
  t.equal(r.tail[0]?.text, '$ docker push $CI_REGISTRY_IMAGE:latest');
  t.same(r.truncated, { keptBytes: Buffer.byteLength(`rror: half a line\n${FAILURE}`), totalBytes: 100 + Buffer.byteLength(`rror: half a line\n${FAILURE}`) });
  const full = await scanText(FAILURE);
  t.equal(full.truncated, false);
});

t.test('ci-medic --version prints the package version', async (t) => {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'dist/src/cli.js'), '--version'], { encoding: 'utf8' });
  t.equal(r.status, 0);
  t.equal(r.stdout, `${pkg.version}\n`);
});
