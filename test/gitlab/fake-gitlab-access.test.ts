// The fake GitLab enforces who sees what as GitLab does: visibility, membership levels, the
// answers for outsiders, members/all, users/:id, a body-stall fault and long Retry-After.
import t, { type Test } from 'tap';
import { startFakeGitlab, type FakeGitlab } from '../fake-gitlab/index.js';
import { ACCESS } from '../fake-gitlab/state.js';

const BOT = 'bot-token';
const ALICE = 'alice-token';
const EXTERNAL = 'external-token';
const ADMIN = 'admin-token';

async function world(t: Test): Promise<FakeGitlab> {
  const gl = await startFakeGitlab({
    token: BOT,
    users: [
      { token: ALICE, user: { id: 7, username: 'alice' } },
      { token: EXTERNAL, user: { id: 8, username: 'contractor', external: true } },
      { token: ADMIN, user: { id: 1, username: 'root', is_admin: true } },
    ],
  });
  t.teardown(() => gl.close());
  gl.addProject({ id: 1, path: 'g/private' });
  gl.addProject({ id: 2, path: 'g/internal', visibility: 'internal' });
  gl.addProject({ id: 3, path: 'g/public', visibility: 'public' });
  gl.addProject({ id: 4, path: 'g/public-members-code', visibility: 'public', repositoryAccessLevel: 'private' });
  for (const id of [1, 2, 3, 4]) gl.setFile(id, 'main', 'ci.yml', 'job: {script: [true]}\n');
  return gl;
}

const get = (gl: FakeGitlab, token: string, p: string) => fetch(`${gl.url}/api/v4${p}`, { headers: { 'private-token': token } });
const status = async (gl: FakeGitlab, token: string, p: string) => (await get(gl, token, p)).status;
const file = (id: number) => `/projects/${id}/repository/files/ci.yml/raw?ref=main`;

t.test('a private project does not exist for a non-member; Guests see it but not its code', async (t) => {
  const gl = await world(t);
  const res = await get(gl, ALICE, '/projects/1');
  t.equal(res.status, 404);
  t.same(await res.json(), { message: '404 Project Not Found' });
  t.equal(await status(gl, ALICE, file(1)), 404);
  t.equal(await status(gl, BOT, file(1)), 200, 'the bot is a Maintainer');
  gl.state.addMember(1, gl.state.users.get(7)!, ACCESS.guest);
  t.equal(await status(gl, ALICE, '/projects/1'), 200);
  const forbidden = await get(gl, ALICE, file(1));
  t.equal(forbidden.status, 403);
  t.same(await forbidden.json(), { message: '403 Forbidden' });
  gl.state.addMember(1, gl.state.users.get(7)!, ACCESS.reporter);
  t.equal(await status(gl, ALICE, file(1)), 200, 'Reporter reads the code');
});

t.test('internal projects are for signed-in non-external users; public for all; member-only code needs membership', async (t) => {
  const gl = await world(t);
  t.equal(await status(gl, ALICE, file(2)), 200);
  t.equal(await status(gl, EXTERNAL, '/projects/2'), 404);
  t.equal(await status(gl, EXTERNAL, file(3)), 200);
  t.equal(await status(gl, ALICE, '/projects/4'), 200);
  t.equal(await status(gl, ALICE, file(4)), 403);
  const project = (await (await get(gl, ALICE, '/projects/4')).json()) as Record<string, unknown>;
  t.equal(project.visibility, 'public');
  t.equal(project.repository_access_level, 'private');
});

t.test('members/all/:user_id answers the member or 404 Not found', async (t) => {
  const gl = await world(t);
  const bot = (await (await get(gl, BOT, '/projects/1/members/all/99')).json()) as Record<string, unknown>;
  t.same(Object.keys(bot).sort(), ['access_level', 'avatar_url', 'created_at', 'expires_at', 'id', 'membership_state', 'name', 'state', 'username', 'web_url']);
  t.equal(bot.access_level, ACCESS.maintainer);
  const none = await get(gl, BOT, '/projects/1/members/all/7');
  t.equal(none.status, 404);
  t.same(await none.json(), { message: '404 Not found' });
  t.equal(await status(gl, ALICE, '/projects/1/members/all/99'), 404, 'an outsider cannot list members of a private project');
});

t.test('users/:id shows external only to administrators', async (t) => {
  const gl = await world(t);
  const asBot = (await (await get(gl, BOT, '/users/8')).json()) as Record<string, unknown>;
  t.equal(asBot.external, undefined);
  const asAdmin = (await (await get(gl, ADMIN, '/users/8')).json()) as Record<string, unknown>;
  t.equal(asAdmin.external, true);
  t.equal(await status(gl, BOT, '/users/12345'), 404);
});

t.test('stall fault: headers and the first bytes, then silence until the client hangs up', async (t) => {
  const gl = await world(t);
  gl.faults.set({ fault: { kind: 'stall', afterBytes: 4 }, path: '/repository/files/' });
  const controller = new AbortController();
  const res = await fetch(`${gl.url}/api/v4${file(1)}`, { headers: { 'private-token': BOT }, signal: controller.signal });
  t.equal(res.status, 200, 'headers arrive');
  const reader = res.body!.getReader();
  const first = await reader.read();
  t.equal(Buffer.from(first.value!).toString(), 'job:');
  const next = reader.read();
  const silent = await Promise.race([next.then(() => 'data'), new Promise((r) => setTimeout(() => r('silent'), 200))]);
  t.equal(silent, 'silent', 'nothing more arrives');
  controller.abort();
  await next.catch(() => undefined);
  t.equal(gl.faults.injected.stall, 1);
});

t.test('long Retry-After, in seconds or as an HTTP date', async (t) => {
  const gl = await world(t);
  gl.faults.set({ fault: { kind: 'status', status: 429, retryAfter: 3600 }, path: '/projects/1' });
  const a = await get(gl, BOT, '/projects/1');
  t.equal(a.status, 429);
  t.equal(a.headers.get('retry-after'), '3600');
  gl.faults.set({ fault: { kind: 'status', status: 503, retryAfter: 7200, retryAfterAs: 'http-date' }, path: '/projects/1' });
  const b = await get(gl, BOT, '/projects/1');
  t.equal(b.status, 503);
  const at = Date.parse(b.headers.get('retry-after')!);
  t.ok(at - Date.now() > 7000 * 1000, 'a date about two hours ahead');
});
