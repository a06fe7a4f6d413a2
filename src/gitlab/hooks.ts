// Registering ci-medic's webhook on a project or group, and reading what GitLab says of it.
// Install is idempotent: the hook whose URL is ci-medic's is edited, never added twice.
import { trimTrailing } from '../text/linear.js';
import type { GitlabClient } from './client.js';
import { GitlabRequestError } from './errors.js';

/** The events ci-medic handles; push is switched off explicitly (GitLab's default is on). */
export const HOOK_EVENTS = {
  merge_requests_events: true,
  pipeline_events: true,
  job_events: true,
  push_events: false,
} as const;

export type HookOwner = { kind: 'project' | 'group'; path: string };

/** The fields of GitLab's hook entity that ci-medic reads. */
export interface HookInfo {
  id: number;
  url: string;
  merge_requests_events?: boolean;
  pipeline_events?: boolean;
  job_events?: boolean;
  push_events?: boolean;
  alert_status?: string;
  disabled_until?: string | null;
}

export interface HookDelivery {
  id: number;
  trigger: string;
  response_status: string;
}

export interface InstallResult {
  action: 'created' | 'updated';
  hook: HookInfo;
  /** Other hooks with the same URL (left alone: someone added them by hand). */
  duplicates: number[];
}

/** URLs compared the way an operator means them: scheme and host case, trailing slash. */
export function sameHookUrl(a: string, b: string): boolean {
  const norm = (u: string): string => {
    try {
      const x = new URL(u);
      return `${x.protocol}//${x.host.toLowerCase()}${trimTrailing(x.pathname, '/')}${x.search}`;
    } catch {
      return u.trim();
    }
  };
  return norm(a) === norm(b);
}

function hooksApi(client: GitlabClient, owner: HookOwner) {
  return owner.kind === 'project' ? client.api.ProjectHooks : client.api.GroupHooks;
}

export async function listHooks(client: GitlabClient, owner: HookOwner): Promise<HookInfo[]> {
  return (await hooksApi(client, owner).all(owner.path)) as unknown as HookInfo[];
}

export async function installHook(client: GitlabClient, owner: HookOwner, url: string, secret: string): Promise<InstallResult> {
  const api = hooksApi(client, owner);
  const matching = (await listHooks(client, owner)).filter((h) => sameHookUrl(h.url, url));
  const options = {
    mergeRequestsEvents: HOOK_EVENTS.merge_requests_events,
    pipelineEvents: HOOK_EVENTS.pipeline_events,
    jobEvents: HOOK_EVENTS.job_events,
    pushEvents: HOOK_EVENTS.push_events,
    // Sent on every install: GitLab resets the token when a hook's URL changes.
    token: secret,
  };
  const [first, ...rest] = matching;
  if (first) {
    const hook = (await api.edit(owner.path, first.id, url, options)) as unknown as HookInfo;
    return { action: 'updated', hook, duplicates: rest.map((h) => h.id) };
  }
  const hook = (await api.add(owner.path, url, options)) as unknown as HookInfo;
  return { action: 'created', hook, duplicates: [] };
}

/**
 * Failed deliveries of the last 7 days (GitLab 17.3+); undefined where GitLab has no such
 * endpoint. gitbeaker 43 has no call for `GET .../hooks/:hook_id/events`, hence the direct request.
 */
export async function failedDeliveries(client: GitlabClient, owner: HookOwner, hookId: number): Promise<HookDelivery[] | undefined> {
  const base = `${owner.kind === 'project' ? 'projects' : 'groups'}/${encodeURIComponent(owner.path)}/hooks/${hookId}/events`;
  const out: HookDelivery[] = [];
  try {
    for (const status of ['client_failure', 'server_failure']) {
      const res = await client.http.request({ method: 'GET', path: base, query: `status=${status}&per_page=20` });
      out.push(...(res.body as HookDelivery[]));
    }
  } catch (err) {
    if (err instanceof GitlabRequestError && err.status === 404) return undefined;
    throw err;
  }
  return out.sort((a, b) => b.id - a.id);
}
