// docker-compose.yml must load before any token exists (README step 1), interpolate the tokens
// once they do, and hand ci-medic only settings it actually reads. `docker-compose config`
// (Debian's docker-compose, which .ci/run installs) parses and interpolates without a daemon.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { repoRoot } from '../helpers/paths.js';
import { envNamesIn } from '../readme/env-names.js';

const composeFile = join(repoRoot, 'docker-compose.yml');

function composeCommand(): string[] | undefined {
  for (const cmd of [['docker-compose'], ['docker', 'compose']]) {
    const r = spawnSync(cmd[0]!, [...cmd.slice(1), 'version'], { encoding: 'utf8' });
    if (r.status === 0) return cmd;
  }
  return undefined;
}

function config(cmd: string[], env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  // A clean environment: the machine's own GITLAB_TOKEN must not make the test pass.
  const r = spawnSync(cmd[0]!, [...cmd.slice(1), '-f', composeFile, 'config'], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', ...env },
    cwd: repoRoot,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

const cmd = composeCommand();

t.test('docker-compose.yml loads without the tokens (step 1 of the walk-through)', { skip: cmd ? false : 'neither docker-compose nor docker compose is installed (.ci/run installs docker-compose)' }, async (t) => {
  const r = config(cmd!, {});
  t.equal(r.status, 0, `compose config succeeds with no variables set: ${r.stderr}`);
  const services = (parse(r.stdout) as { services: Record<string, { environment?: Record<string, string | null> }> }).services;
  t.ok(services['gitlab'] && services['gitlab-runner'] && services['redis'] && services['ci-medic'], 'GitLab, a runner, Redis and ci-medic are all in the stack');
  t.equal(services['ci-medic']!.environment!['GITLAB_TOKEN'] ?? '', '', 'an unset token stays empty (ci-medic then refuses to start, naming it)');
});

t.test('docker-compose.yml passes the tokens to ci-medic once they are set', { skip: cmd ? false : 'no compose command' }, async (t) => {
  const r = config(cmd!, { GITLAB_TOKEN: 'glpat-test-token', WEBHOOK_SECRET: 'hook-secret' });
  t.equal(r.status, 0, r.stderr);
  const env = (parse(r.stdout) as { services: Record<string, { environment: Record<string, string> }> }).services['ci-medic']!.environment;
  t.equal(env['GITLAB_TOKEN'], 'glpat-test-token');
  t.equal(env['WEBHOOK_SECRET'], 'hook-secret');
  t.match(env['GITLAB_URL'], /^http:\/\/gitlab\.local:8929$/, 'ci-medic calls GitLab by a name other containers resolve');
});

t.test('every variable the compose file gives ci-medic is one the service reads', async (t) => {
  const doc = parse(readFileSync(composeFile, 'utf8')) as {
    services: Record<string, { environment?: Record<string, unknown>; networks?: unknown }>;
  };
  const read = new Set(sourceFiles(join(repoRoot, 'src')).flatMap((f) => envNamesIn(readFileSync(f, 'utf8'))));
  const given = Object.keys(doc.services['ci-medic']!.environment ?? {});
  t.ok(given.length >= 4, 'ci-medic gets its settings from the compose file');
  for (const name of given) t.ok(read.has(name), `${name} is read by the service`);
  // GITLAB_URL's host must be a name compose gives GitLab on ci-medic's network.
  const host = new URL(String(doc.services['ci-medic']!.environment!['GITLAB_URL'])).hostname;
  const gitlabNetworks = doc.services['gitlab']!.networks as Record<string, { aliases?: string[] }>;
  const names = ['gitlab', ...Object.values(gitlabNetworks).flatMap((n) => n?.aliases ?? [])];
  t.ok(names.includes(host), `${host} resolves inside the compose network`);
});
