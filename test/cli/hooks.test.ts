// `ci-medic hooks install|status` against the fake GitLab: registers the webhook with the right
// events and secret, edits instead of duplicating, and reports what GitLab says of deliveries.
import t, { type Test } from 'tap';
import { hooks } from '../../src/cli/hooks.js';
import { hookControls, startFakeGitlab } from '../fake-gitlab/index.js';
import { TEST_TOKEN } from '../helpers/config.js';
import { runCommand } from '../../src/cli/capture.js';

const HOOK_URL = 'https://ci-medic.acme.test/webhooks/gitlab';

async function world(t: Test) {
  const fake = await startFakeGitlab({ token: TEST_TOKEN, botUser: { id: 7, username: 'ci-medic' } });
  t.teardown(() => fake.close());
  const project = fake.addProject({ id: 42, path: 'acme/web' });
  const env = { GITLAB_URL: fake.url, GITLAB_TOKEN: TEST_TOKEN, WEBHOOK_SECRET: 'hook-secret' };
  const controls = hookControls(fake.state);
  const run = (...argv: string[]) => runCommand(hooks, argv, { env });
  return { fake, project, env, controls, run };
}

t.test('install creates the hook with ci-medic\'s events and secret, then edits it in place', async (t) => {
  const { controls, run } = await world(t);
  const first = await run('install', '--project', 'acme/web', '--url', HOOK_URL);
  t.equal(first.code, 0, first.stderr);
  t.match(first.stdout, /^created hook #\d+ on project acme\/web/);
  const [hook] = controls.list('project:42');
  t.ok(hook, 'a hook exists');
  t.equal(hook!.url, HOOK_URL);
  t.equal(hook!.token, 'hook-secret', 'the secret token is WEBHOOK_SECRET');
  t.same(
    { mr: hook!.flags['merge_requests_events'], pipeline: hook!.flags['pipeline_events'], job: hook!.flags['job_events'], push: hook!.flags['push_events'] },
    { mr: true, pipeline: true, job: true, push: false },
    'MR, pipeline and job events on; push (GitLab\'s default) off',
  );

  const again = await run('install', '--project', 'acme/web', '--url', `${HOOK_URL}/`);
  t.equal(again.code, 0);
  t.match(again.stdout, new RegExp(`^updated hook #${hook!.id}`), 'the same hook, found by its URL (trailing slash ignored)');
  t.equal(controls.list('project:42').length, 1, 'never a second hook');
});

t.test('install repairs a hand-made hook and names duplicates without touching them', async (t) => {
  const { controls, run } = await world(t);
  const manual = controls.add('project:42', HOOK_URL, { job_events: false });
  const dup = controls.add('project:42', HOOK_URL);
  const r = await run('install', '--project', 'acme/web', '--url', HOOK_URL);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, new RegExp(`updated hook #${manual.id}`));
  t.match(r.stdout, new RegExp(`#${dup.id} have the same URL`));
  t.equal(manual.flags['job_events'], true, 'job events switched on');
  t.equal(manual.flags['push_events'], false);
  t.equal(controls.list('project:42').length, 2);
});

t.test('a group hook goes to the group endpoint', async (t) => {
  const { controls, run } = await world(t);
  const r = await run('install', '--group', 'acme', '--url', HOOK_URL);
  t.equal(r.code, 0, r.stderr);
  t.equal(controls.list('group:acme').length, 1);
  t.equal(controls.list('project:42').length, 0);
  const missing = await run('install', '--group', 'nobody', '--url', HOOK_URL);
  t.equal(missing.code, 1);
  t.match(missing.stderr, /404 Group Not Found/);
});

t.test('without the Maintainer role: exit 1 naming the role needed', async (t) => {
  const { controls, run } = await world(t);
  controls.deny('project:42');
  const r = await run('install', '--project', 'acme/web', '--url', HOOK_URL);
  t.equal(r.code, 1);
  t.match(r.stderr, /403.*Maintainer/);
});

t.test('status shows events, GitLab\'s disabling and recent failed deliveries', async (t) => {
  const { controls, run } = await world(t);
  const none = await run('status', '--project', 'acme/web');
  t.equal(none.code, 1, 'no hook at all is a problem');
  t.match(none.stdout, /no webhook on project acme\/web/);

  await run('install', '--project', 'acme/web', '--url', HOOK_URL);
  const [hook] = controls.list('project:42');
  controls.deliver(hook!, 200);
  controls.deliver(hook!, 502, 'pipeline_hooks');
  controls.deliver(hook!, 401, 'job_hooks');
  const r = await run('status', '--project', 'acme/web', '--url', HOOK_URL);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /events: merge_requests, pipeline, job\n/);
  t.match(r.stdout, /2 failed in the last 7 days, latest answered 401 \(job_hooks\)/);

  const json = await run('status', '--project', 'acme/web', '--format', 'json');
  const report = JSON.parse(json.stdout) as { hooks: Array<{ recentFailures: Array<{ status: number }> }> };
  t.same(report.hooks[0]!.recentFailures.map((f) => f.status).sort(), [401, 502]);

  hook!.alert_status = 'disabled';
  hook!.flags['job_events'] = false;
  const bad = await run('status', '--project', 'acme/web');
  t.equal(bad.code, 1);
  t.match(bad.stdout, /missing for ci-medic: job_events/);
  t.match(bad.stdout, /GitLab has disabled it/);
});

t.test('status on a GitLab without the events API says so', async (t) => {
  const { controls, run } = await world(t);
  controls.withoutEventsApi();
  await run('install', '--project', 'acme/web', '--url', HOOK_URL);
  const r = await run('status', '--project', 'acme/web');
  t.equal(r.code, 0);
  t.match(r.stdout, /deliveries: not available \(GitLab 17\.3/);
});

t.test('usage errors exit 2, missing settings 1', async (t) => {
  const { env } = await world(t);
  const cases: Array<[string[], NodeJS.ProcessEnv, RegExp, number?]> = [
    [['install', '--project', 'a/b'], env, /needs --url/],
    [['install', '--project', 'a/b', '--group', 'a', '--url', HOOK_URL], env, /exactly one of --project or --group/],
    [['status'], env, /exactly one/],
    [['remove', '--project', 'a/b'], env, /expected install or status/],
    [['install', '--project', 'a/b', '--url', 'ftp://x'], env, /http\(s\) URL/],
    [['install', '--project', 'a/b', '--url', HOOK_URL], { ...env, WEBHOOK_SECRET: '' }, /WEBHOOK_SECRET is not set/, 1],
    [['status', '--project', 'a/b'], { GITLAB_URL: env.GITLAB_URL }, /GITLAB_TOKEN is not set/, 1],
  ];
  for (const [argv, e, message, code = 2] of cases) {
    const r = await runCommand(hooks, argv, { env: e });
    t.equal(r.code, code, argv.join(' '));
    t.match(r.stderr, message);
  }
});
