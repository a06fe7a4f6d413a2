// Project and group webhooks (doc/api/project_webhooks.md, doc/api/group_webhooks.md): list, add,
// edit, and the delivery log `GET .../hooks/:hook_id/events` (GitLab 17.3+). Hooks need at least
// the Maintainer role (Owner for groups); `denyHooks` makes the bot a lesser member here.
import { boolParam, intParam, notFound, paginate, routeNotFound, validationError, HttpError, type FakeResponse } from './http-util.js';
import type { Ctx } from './routes-mr.js';
import type { FakeState } from './state.js';

/** Event flags a hook carries, with GitLab's column defaults (push on, SSL verification on). */
const FLAG_DEFAULTS: Record<string, boolean> = {
  push_events: true, issues_events: false, confidential_issues_events: false, merge_requests_events: false,
  tag_push_events: false, note_events: false, confidential_note_events: false, job_events: false,
  pipeline_events: false, wiki_page_events: false, deployment_events: false, releases_events: false,
  feature_flag_events: false, resource_access_token_events: false, enable_ssl_verification: true,
};
const GROUP_ONLY_FLAGS: Record<string, boolean> = { subgroup_events: false, member_events: false, project_events: false };

export interface FakeHook {
  id: number;
  url: string;
  /** Never shown: GitLab does not return the secret token. */
  token: string;
  flags: Record<string, boolean>;
  name: string;
  description: string;
  alert_status: 'executable' | 'temporarily_disabled' | 'disabled';
  disabled_until: string | null;
  created_at: string;
  events: FakeHookEvent[];
}

export interface FakeHookEvent {
  id: number;
  trigger: string;
  response_status: string;
  response_body: string;
  created_at: string;
}

interface HookStore {
  nextId: number;
  nextEventId: number;
  /** `project:<id>` or `group:<path>` -> hooks. */
  hooks: Map<string, FakeHook[]>;
  denied: Set<string>;
  /** GitLab before 17.3 has no events endpoint. */
  eventsApi: boolean;
}

const stores = new WeakMap<FakeState, HookStore>();

export function hookStore(state: FakeState): HookStore {
  let s = stores.get(state);
  if (!s) {
    s = { nextId: 1, nextEventId: 1, hooks: new Map(), denied: new Set(), eventsApi: true };
    stores.set(state, s);
  }
  return s;
}

/** Test controls for the fake's webhooks. */
export function hookControls(state: FakeState) {
  const store = hookStore(state);
  return {
    /** The hooks of `project:<id>` or `group:<path>`. */
    list: (owner: string): FakeHook[] => store.hooks.get(owner) ?? [],
    /** A hook someone added by hand (e.g. a duplicate from an earlier install). */
    add: (owner: string, url: string, flags: Record<string, boolean> = {}): FakeHook => addHook(store, owner, { url, ...flags }, owner.startsWith('group:'), state.now()),
    /** Record a delivery GitLab made (status code as GitLab stores it, a string). */
    deliver: (hook: FakeHook, status: number, trigger = 'merge_request_hooks'): void => {
      hook.events.push({ id: store.nextEventId++, trigger, response_status: String(status), response_body: status < 300 ? '{"status":"queued"}' : 'error', created_at: state.now() });
    },
    /** The bot is only a Developer here: hook endpoints answer 403. */
    deny: (owner: string): void => void store.denied.add(owner),
    /** Behave like GitLab < 17.3 (no events endpoint). */
    withoutEventsApi: (): void => { store.eventsApi = false; },
  };
}

function hookView(h: FakeHook, owner: string) {
  const [kind, id] = owner.split(':', 2) as [string, string];
  return {
    id: h.id, url: h.url, name: h.name, description: h.description,
    ...(kind === 'project' ? { project_id: Number(id) } : { group_id: Number(id) || id }),
    push_events_branch_filter: '', ...h.flags,
    repository_update_events: false, alert_status: h.alert_status, disabled_until: h.disabled_until,
    url_variables: [], created_at: h.created_at, custom_webhook_template: null, custom_headers: [],
  };
}

function addHook(store: HookStore, owner: string, params: Record<string, unknown>, group: boolean, now: string): FakeHook {
  const flags: Record<string, boolean> = {};
  for (const [k, d] of Object.entries({ ...FLAG_DEFAULTS, ...(group ? GROUP_ONLY_FLAGS : {}) })) flags[k] = boolParam(params[k]) ?? d;
  const hook: FakeHook = {
    id: store.nextId++, url: String(params['url']), token: typeof params['token'] === 'string' ? params['token'] : '', flags,
    name: typeof params['name'] === 'string' ? params['name'] : '', description: typeof params['description'] === 'string' ? params['description'] : '',
    alert_status: 'executable', disabled_until: null, created_at: now, events: [],
  };
  const list = store.hooks.get(owner) ?? [];
  list.push(hook);
  store.hooks.set(owner, list);
  return hook;
}

function validUrl(v: unknown): string {
  if (typeof v !== 'string' || v === '') throw validationError('url is missing');
  try {
    const u = new URL(v);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
  } catch {
    throw new HttpError(422, { message: { url: ['is blocked: Only allowed schemes are http, https'] } });
  }
  return v;
}

/** `/projects/:id/hooks...` (owner `project:<id>`) and `/groups/:id/hooks...` (owner `group:<path>`). */
export function hooksRoute(ctx: Ctx, owner: string, rest: string[]): FakeResponse {
  const store = hookStore(ctx.state);
  if (store.denied.has(owner)) throw new HttpError(403, { message: '403 Forbidden' });
  const group = owner.startsWith('group:');
  const hooks = store.hooks.get(owner) ?? [];
  const [hookId, sub, ...more] = rest;
  const list = (items: unknown[]) => paginate(ctx.baseUrl, ctx.pathname, ctx.search, items);
  if (hookId === undefined) {
    if (ctx.method === 'GET') return list(hooks.map((h) => hookView(h, owner)));
    if (ctx.method === 'POST') {
      validUrl(ctx.params['url']);
      return { status: 201, json: hookView(addHook(store, owner, ctx.params, group, ctx.state.now()), owner) };
    }
    throw routeNotFound();
  }
  const hook = hooks.find((h) => h.id === intParam(hookId));
  if (!hook) throw notFound('404 Hook Not Found');
  if (sub === undefined) {
    if (ctx.method === 'GET') return { status: 200, json: hookView(hook, owner) };
    if (ctx.method === 'PUT') {
      const url = validUrl(ctx.params['url']);
      // doc/api/project_webhooks.md: changing the URL resets the secret token.
      if (url !== hook.url) hook.token = '';
      hook.url = url;
      if (typeof ctx.params['token'] === 'string') hook.token = ctx.params['token'];
      for (const k of Object.keys(hook.flags)) {
        const v = boolParam(ctx.params[k]);
        if (v !== undefined) hook.flags[k] = v;
      }
      return { status: 200, json: hookView(hook, owner) };
    }
    throw routeNotFound();
  }
  if (sub === 'events' && more.length === 0 && ctx.method === 'GET' && store.eventsApi) {
    const status = ctx.search.get('status');
    const inCategory = (code: number) =>
      status === null ? true
        : status === 'successful' ? code >= 200 && code < 300
          : status === 'client_failure' ? code >= 400 && code < 500
            : status === 'server_failure' ? code >= 500
              : String(code) === status;
    const events = hook.events.filter((e) => inCategory(Number(e.response_status)));
    return list(events.map((e) => ({
      id: e.id, url: hook.url, trigger: e.trigger,
      request_headers: { 'Content-Type': 'application/json', 'X-Gitlab-Token': '[REDACTED]' },
      request_data: {}, response_headers: {}, response_body: e.response_body, execution_duration: 0.1,
      response_status: e.response_status,
    })).reverse());
  }
  throw routeNotFound();
}
