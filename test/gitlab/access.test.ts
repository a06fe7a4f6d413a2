// AuthorAccess against the fake GitLab: each branch of "could the author read this repository?".
import t, { type Test } from 'tap';
import { AuthorAccess } from '../../src/gitlab/access.js';
import { GitlabClient } from '../../src/gitlab/client.js';
import { GitlabUnavailableError } from '../../src/gitlab/errors.js';
import { startFakeGitlab, type FakeGitlab } from '../fake-gitlab/index.js';
import { ACCESS } from '../fake-gitlab/state.js';

const TOKEN = 'bot-token';

async function world(t: Test, botAdmin = false): Promise<{ gl: FakeGitlab; client: GitlabClient }> {
  const gl = await startFakeGitlab({ token: TOKEN, botUser: { id: 99, username: 'ci-medic', ...(botAdmin ? { is_admin: true } : {}) } });
  t.teardown(() => gl.close());
  gl.addProject({ id: 1, path: 'acme/app' });
  gl.addProject({ id: 2, path: 'g/private' });
  gl.addProject({ id: 3, path: 'g/internal', visibility: 'internal' });
  gl.addProject({ id: 4, path: 'g/public', visibility: 'public' });
  gl.addProject({ id: 5, path: 'g/public-no-code', visibility: 'public', repositoryAccessLevel: 'disabled' });
  gl.addProject({ id: 6, path: 'g/hidden', botAccess: null });
  gl.state.user({ id: 7, username: 'alice' });
  gl.state.user({ id: 8, username: 'contractor', external: true });
  return { gl, client: new GitlabClient({ host: gl.url, token: TOKEN, policy: { maxAttempts: 2, baseDelayMs: 1, maxTotalMs: 500 } }) };
}

t.test('private: Reporter or more; the home project always', async (t) => {
  const { gl, client } = await world(t);
  const access = new AuthorAccess(client, 7, 1);
  t.equal(await access.canRead('g/private'), false);
  t.equal(await access.canRead('acme/app'), true, 'the project under review');
  gl.state.addMember(2, gl.state.users.get(7)!, ACCESS.reporter);
  t.equal(await access.canRead('g/private'), false, 'cached for the task');
  t.equal(await new AuthorAccess(client, 7, 1).canRead('G/Private'), true, 'a new task asks again; paths are case-insensitive');
});

t.test('public, disabled repository, invisible to the bot, unknown author', async (t) => {
  const { client } = await world(t);
  const access = new AuthorAccess(client, 7, 1);
  t.equal(await access.canRead('g/public'), true);
  t.equal(await access.canRead('g/public-no-code'), false);
  t.equal(await access.canRead('g/hidden'), false, 'a project the bot cannot see');
  t.equal(await new AuthorAccess(client, undefined, 1).canRead('g/public'), false, 'no author: nothing of other projects');
});

t.test('internal: a non-external user when GitLab says so (admin token), else membership', async (t) => {
  const plain = await world(t);
  t.equal(await new AuthorAccess(plain.client, 7, 1).canRead('g/internal'), false, 'externality unknown: membership decides');
  plain.gl.state.addMember(3, plain.gl.state.users.get(7)!, ACCESS.reporter);
  t.equal(await new AuthorAccess(plain.client, 7, 1).canRead('g/internal'), true);
  const admin = await world(t, true);
  t.equal(await new AuthorAccess(admin.client, 7, 1).canRead('g/internal'), true, 'shown as not external');
  t.equal(await new AuthorAccess(admin.client, 8, 1).canRead('g/internal'), false, 'an external user');
});

t.test('an outage is an error, not a "no", and is not cached', async (t) => {
  const { gl, client } = await world(t);
  const access = new AuthorAccess(client, 7, 1);
  gl.faults.set({ fault: { kind: 'status', status: 503 }, path: '/projects/g/public', count: 2 });
  await t.rejects(access.canRead('g/public'), GitlabUnavailableError);
  t.equal(await access.canRead('g/public'), true, 'asked again once GitLab is back');
});
