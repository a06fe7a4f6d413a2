// `ci-medic serve` refuses to start on a bad setting with one line naming it.
import { PassThrough, Writable } from 'node:stream';
import t from 'tap';
import { serve } from '../../src/cli/serve.js';

function run(env: NodeJS.ProcessEnv): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const sink = (into: string[]) => new Writable({ write(chunk, _e, cb) { into.push(String(chunk)); cb(); } });
  return serve([], { stdout: sink([]), stderr: sink(err), stdin: new PassThrough(), cwd: process.cwd(), env })
    .then((code) => ({ code, err: err.join('') }));
}

t.test('missing and malformed settings', async (t) => {
  t.same(await run({}), { code: 1, err: 'ci-medic: GITLAB_URL is not set\n' });
  const base = { GITLAB_URL: 'https://gitlab.example.test', GITLAB_TOKEN: 'glpat-x', WEBHOOK_SECRET: 'y' };
  t.same(await run({ ...base, PORT: 'abc' }), { code: 1, err: 'ci-medic: PORT must be an integer 0-65535, got "abc"\n' });
  t.same(await run({ ...base, GITLAB_TOKEN: undefined }), { code: 1, err: 'ci-medic: GITLAB_TOKEN is not set\n' });
});
