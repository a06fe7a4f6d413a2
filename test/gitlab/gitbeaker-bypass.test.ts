// Why two calls go around gitbeaker: its MergeRequestDiscussions.create flattens `position` with
// `qs.stringify(..., { encode: false }).split('&')` (reformatObjectOptions in @gitbeaker/core
// 43.8), so a file path containing `&` or `=` arrives cut. ci-medic posts the position as JSON.
// If this test ever fails on its first assertion, gitbeaker fixed it and the bypass can go.
import t from 'tap';
import { GitlabClient } from '../../src/gitlab/client.js';
import { fakeWithMr, TOKEN, HEAD } from './fixture.js';

const PATH = 'ci/a&b=c.yml';

t.test("gitbeaker cuts a position path at '&'; the direct JSON call keeps it", async (t) => {
  const gl = await fakeWithMr(t);
  const c = new GitlabClient({ host: gl.url, token: TOKEN, policy: { maxAttempts: 1 } });
  const position = { position_type: 'text', base_sha: HEAD, start_sha: HEAD, head_sha: HEAD, old_path: PATH, new_path: PATH, new_line: 1 };

  await c.api.MergeRequestDiscussions.create(42, 12, 'via gitbeaker', { position: position as never }).catch(() => undefined);
  const viaGitbeaker = gl.calls('POST', '/merge_requests/12/discussions').at(-1)!;
  const sent = (viaGitbeaker.body as { position?: { new_path?: string } }).position?.new_path;
  t.not(sent, PATH, `gitbeaker sent new_path ${JSON.stringify(sent)} instead of ${JSON.stringify(PATH)}`);

  await c.createDiffDiscussion(42, 12, 'direct', position as never).catch(() => undefined);
  const direct = gl.calls('POST', '/merge_requests/12/discussions').at(-1)!;
  t.equal((direct.body as { position: { new_path: string } }).position.new_path, PATH, 'the JSON body carries the path whole');
});
