// `ci-medic hooks install|status --project PATH|--group PATH [--url URL]`: register ci-medic's
// webhook through the GitLab API (edited in place when it exists, never added twice) and show
// what is registered with its recent failed deliveries.
import { ConfigError, loadGitlabAccess } from '../config.js';
import { GitlabClient } from '../gitlab/client.js';
import { isGitlabError } from '../gitlab/errors.js';
import { failedDeliveries, HOOK_EVENTS, installHook, listHooks, sameHookUrl, type HookInfo, type HookOwner } from '../gitlab/hooks.js';
import { parseFlags } from './args.js';
import { UsageError, type CliCommand, type CliIo } from './io.js';

export const USAGE = [
  'usage: ci-medic hooks install --project PATH|--group PATH --url URL',
  '       ci-medic hooks status  --project PATH|--group PATH [--url URL] [--format text|json]',
  '       (GITLAB_URL and GITLAB_TOKEN from the environment; install also sends WEBHOOK_SECRET as the hook\'s secret token)',
].join('\n');

function ownerOf(values: Map<string, string>): HookOwner {
  const project = values.get('--project');
  const group = values.get('--group');
  if ((project === undefined) === (group === undefined)) throw new UsageError(`give exactly one of --project or --group\n${USAGE}`);
  return project !== undefined ? { kind: 'project', path: project } : { kind: 'group', path: group! };
}

function hookUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--url must be an http(s) URL, got '${raw.slice(0, 100)}'\n${USAGE}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--url must be an http(s) URL\n${USAGE}`);
  return raw;
}

const enabledEvents = (h: HookInfo): string =>
  (['merge_requests_events', 'pipeline_events', 'job_events', 'push_events'] as const).filter((k) => h[k]).map((k) => k.replace(/_events$/, '')).join(', ') || 'none';

function missingEvents(h: HookInfo): string[] {
  return (['merge_requests_events', 'pipeline_events', 'job_events'] as const).filter((k) => HOOK_EVENTS[k] && !h[k]);
}

async function install(client: GitlabClient, owner: HookOwner, url: string, secret: string, io: CliIo): Promise<number> {
  const r = await installHook(client, owner, url, secret);
  io.stdout.write(`${r.action} hook #${r.hook.id} on ${owner.kind} ${owner.path}: ${url} (events: ${enabledEvents(r.hook)})\n`);
  if (r.duplicates.length) {
    io.stdout.write(`note: hooks ${r.duplicates.map((id) => `#${id}`).join(', ')} have the same URL and were left alone; GitLab delivers every event to each of them\n`);
  }
  return 0;
}

async function status(client: GitlabClient, owner: HookOwner, url: string | undefined, format: string, io: CliIo): Promise<number> {
  const hooks = (await listHooks(client, owner)).filter((h) => url === undefined || sameHookUrl(h.url, url));
  const report = [];
  for (const h of hooks) {
    const failures = await failedDeliveries(client, owner, h.id);
    report.push({
      id: h.id, url: h.url, events: enabledEvents(h), missingEvents: missingEvents(h),
      alertStatus: h.alert_status ?? null, disabledUntil: h.disabled_until ?? null,
      recentFailures: failures === undefined ? null : failures.map((f) => ({ id: f.id, status: Number(f.response_status), trigger: f.trigger })),
    });
  }
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify({ owner, hooks: report }, null, 2)}\n`);
  } else if (report.length === 0) {
    io.stdout.write(`no webhook${url ? ` to ${url}` : ''} on ${owner.kind} ${owner.path}\n`);
  } else {
    for (const h of report) {
      io.stdout.write(`#${h.id} ${h.url}\n  events: ${h.events}${h.missingEvents.length ? ` (missing for ci-medic: ${h.missingEvents.join(', ')})` : ''}\n`);
      if (h.alertStatus && h.alertStatus !== 'executable') io.stdout.write(`  GitLab has ${h.alertStatus.replace(/_/g, ' ')} it${h.disabledUntil ? ` until ${h.disabledUntil}` : ''}\n`);
      if (h.recentFailures === null) io.stdout.write('  deliveries: not available (GitLab 17.3 or later lists them)\n');
      else if (h.recentFailures.length === 0) io.stdout.write('  deliveries: no failures in the last 7 days\n');
      else io.stdout.write(`  deliveries: ${h.recentFailures.length} failed in the last 7 days, latest answered ${h.recentFailures[0]!.status} (${h.recentFailures[0]!.trigger})\n`);
    }
  }
  // A hook GitLab stopped delivering to, or none at all, is something to act on.
  const unhealthy = report.length === 0 || report.some((h) => (h.alertStatus && h.alertStatus !== 'executable') || h.missingEvents.length > 0);
  return unhealthy ? 1 : 0;
}

export const hooks: CliCommand = async (argv, io) => {
  const [verb, ...rest] = argv;
  if (verb !== 'install' && verb !== 'status') throw new UsageError(`expected install or status\n${USAGE}`);
  const flags = parseFlags(rest, { values: ['--project', '--group', '--url', '--format'] }, USAGE);
  if (flags.positional.length) throw new UsageError(`unexpected argument '${flags.positional[0]}'\n${USAGE}`);
  const owner = ownerOf(flags.values);
  const format = flags.values.get('--format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json\n${USAGE}`);
  const rawUrl = flags.values.get('--url');
  if (verb === 'install' && rawUrl === undefined) throw new UsageError(`install needs --url\n${USAGE}`);
  const url = rawUrl === undefined ? undefined : hookUrl(rawUrl);
  let access;
  let secret = '';
  try {
    access = loadGitlabAccess(io.env);
    if (verb === 'install') {
      secret = (io.env['WEBHOOK_SECRET'] ?? '').trim();
      if (!secret) throw new ConfigError('WEBHOOK_SECRET', 'WEBHOOK_SECRET is not set (install sends it as the hook\'s secret token)');
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr.write(`ci-medic hooks: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const client = new GitlabClient({ host: access.gitlabUrl, token: access.gitlabToken });
  try {
    return verb === 'install' ? await install(client, owner, url!, secret, io) : await status(client, owner, url, format, io);
  } catch (err) {
    if (isGitlabError(err)) {
      io.stderr.write(`ci-medic hooks: ${err.message}${err.status === 403 ? ' (managing webhooks needs the Maintainer role on a project, Owner on a group)' : ''}\n`);
      return 1;
    }
    throw err;
  }
};
