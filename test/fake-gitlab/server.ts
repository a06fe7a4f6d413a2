// A real HTTP server speaking the subset of GitLab REST v4 that ci-medic uses.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Faults, rejectionBody, type FaultKind } from './faults.js';
import { BodyChecker } from './markdown-check.js';
import { HttpError, forbidden, parseBody, parseQuery, readBody, notFound, routeNotFound, type FakeResponse, type Params } from './http-util.js';
import { FakeState, type FakeUser } from './state.js';
import { mrList, mrRoute, type Ctx } from './routes-mr.js';
import { jobRoute, lintRoute, pipelineRoute, repoRoute } from './routes-repo.js';
import { currentUserView, memberView, projectView, userByIdView } from './views.js';
import { hooksRoute } from './routes-hooks.js';

export interface RecordedRequest {
  method: string;
  /** Decoded path after /api/v4, e.g. `/projects/42/merge_requests/12/notes`. */
  path: string;
  query: Params;
  body: Params;
  headers: Record<string, string | string[] | undefined>;
  /** The fault injected into this request, if any. */
  fault?: string;
}

export interface FakeGitlab {
  url: string;
  state: FakeState;
  requests: RecordedRequest[];
  faults: Faults;
  /** Every stored note/comment body rendered as GitLab would: live mentions, raw HTML, images. */
  bodies: BodyChecker;
  close(): Promise<void>;
  addProject: FakeState['addProject'];
  setFile: FakeState['setFile'];
  addMergeRequest: FakeState['addMergeRequest'];
  addMrVersion: FakeState['addMrVersion'];
  addPipeline: FakeState['addPipeline'];
  notes: FakeState['notes'];
  discussions: FakeState['discussions'];
  /** Requests whose method and path match (path: substring or RegExp). */
  calls(method: string, path: string | RegExp): RecordedRequest[];
}

export interface FakeGitlabOptions {
  token: string;
  botUser?: Partial<FakeUser> & { id: number; username: string };
  /** Extra tokens for other users (e.g. a human commenter). */
  users?: Array<{ token: string; user: Partial<FakeUser> & { id: number; username: string } }>;
}

const API = '/api/v4';

function route(ctx: Ctx): FakeResponse {
  const segs = ctx.pathname.slice(API.length + 1).split('/').map((s) => decodeURIComponent(s));
  const { method } = ctx;
  if (segs[0] === 'user' && segs.length === 1 && method === 'GET') return { status: 200, json: currentUserView(ctx.user) };
  if (segs[0] === 'groups' && segs[1] !== undefined && segs[2] === 'hooks') {
    // A group exists in the fake when some project lives under it.
    const group = segs[1];
    if (![...ctx.state.projects.values()].some((p) => p.path_with_namespace.startsWith(`${group}/`))) throw notFound('404 Group Not Found');
    return hooksRoute(ctx, `group:${group}`, segs.slice(3));
  }
  if (segs[0] === 'users' && segs.length === 2 && method === 'GET') {
    const u = ctx.state.users.get(Number(segs[1]));
    if (!u) throw notFound('404 User Not Found');
    return { status: 200, json: userByIdView(u, ctx.user) };
  }
  if (segs[0] !== 'projects' || segs[1] === undefined) throw routeNotFound();
  const p = ctx.state.project(segs[1]);
  // A project the token's user may not see does not exist for them (find_project! in lib/api/helpers.rb).
  if (!p || !ctx.state.canSee(ctx.user, p)) throw notFound('404 Project Not Found');
  const [, , kind, id, ...rest] = segs;
  if (kind === undefined && method === 'GET') return { status: 200, json: projectView(p) };
  if (kind === 'members' && id === 'all' && rest.length === 1 && method === 'GET') {
    // members.find_by!(user_id:) raises RecordNotFound: api.rb answers `404 Not found`.
    const m = p.members.get(Number(rest[0]));
    if (!m) throw notFound('404 Not found');
    return { status: 200, json: memberView(m) };
  }
  // Repository content needs download_code / read_code: `authorize!` answers 403 Forbidden.
  if ((kind === 'repository' || (kind === 'ci' && id === 'lint')) && !ctx.state.canReadCode(ctx.user, p)) throw forbidden();
  if (kind === 'merge_requests' && id === undefined && method === 'GET') return mrList(ctx, p);
  if (kind === 'merge_requests' && id !== undefined) return mrRoute(ctx, p, id, rest);
  if (kind === 'repository' && id !== undefined) return repoRoute(ctx, p, [id, ...rest]);
  if (kind === 'pipelines' && id !== undefined) return pipelineRoute(ctx, p, id, rest);
  if (kind === 'jobs' && id !== undefined) return jobRoute(ctx, p, id, rest);
  if (kind === 'hooks') return hooksRoute(ctx, `project:${p.id}`, id === undefined ? [] : [id, ...rest]);
  if (kind === 'ci' && id === 'lint' && rest.length === 0 && method === 'GET') return lintRoute(ctx, p);
  throw routeNotFound();
}

function retryAfterValue(fault: Extract<FaultKind, { kind: 'status' }>, seconds: number): string {
  return fault.retryAfterAs === 'http-date' ? new Date(Math.ceil(Date.now() / 1000 + seconds) * 1000).toUTCString() : String(seconds);
}

function faultResponse(fault: Extract<FaultKind, { kind: 'status' }>): FakeResponse {
  if (fault.status === 429) {
    const retryAfter = fault.retryAfter ?? 1;
    const reset = Math.ceil(Date.now() / 1000) + retryAfter;
    return {
      status: 429,
      text: 'Retry later',
      headers: {
        'content-type': 'text/plain',
        'retry-after': retryAfterValue(fault, retryAfter),
        'ratelimit-name': 'throttle_authenticated_api',
        'ratelimit-limit': '60',
        'ratelimit-observed': '61',
        'ratelimit-remaining': '0',
        'ratelimit-reset': String(reset),
        'ratelimit-resettime': new Date(reset * 1000).toUTCString(),
      },
    };
  }
  if (fault.status === 500) return { status: 500, json: { message: '500 Internal Server Error' } };
  // An endpoint this GitLab version does not have.
  if (fault.status === 404) return { status: 404, json: { error: '404 Not Found' } };
  const retryHeader: Record<string, string> = fault.status === 503 && fault.retryAfter !== undefined ? { 'retry-after': retryAfterValue(fault, fault.retryAfter) } : {};
  return { status: fault.status, text: `${fault.status} ${fault.status === 502 ? 'Bad Gateway' : fault.status === 503 ? 'Service Unavailable' : 'Gateway Timeout'}`, headers: { 'content-type': 'text/plain', ...retryHeader } };
}

/** Headers and the first `afterBytes` body bytes, then silence until the client gives up. */
async function sendStalled(res: ServerResponse, r: FakeResponse, afterBytes: number): Promise<void> {
  const closed = new Promise<void>((resolve) => res.once('close', () => resolve()));
  const headers: Record<string, string> = { ...(r.headers ?? {}) };
  let sent = 0;
  const write = (chunk: string | Uint8Array): boolean => {
    const buf = Buffer.from(chunk);
    const part = buf.subarray(0, Math.max(0, afterBytes - sent));
    if (part.length > 0) res.write(part);
    sent += part.length;
    return sent < afterBytes;
  };
  if (r.stream) {
    res.writeHead(r.status, headers);
    res.flushHeaders();
    for await (const chunk of r.stream()) if (res.destroyed || !write(chunk)) break;
  } else {
    const text = r.json !== undefined ? JSON.stringify(r.json) : (r.text ?? '');
    res.writeHead(r.status, { 'content-type': r.json !== undefined ? 'application/json' : 'text/plain', ...headers, 'content-length': String(Buffer.byteLength(text)) });
    res.flushHeaders();
    write(text);
  }
  await closed;
}

async function send(res: ServerResponse, r: FakeResponse): Promise<void> {
  const headers: Record<string, string> = { ...(r.headers ?? {}) };
  if (r.json !== undefined) {
    const text = JSON.stringify(r.json);
    res.writeHead(r.status, { 'content-type': 'application/json', ...headers, 'content-length': String(Buffer.byteLength(text)) });
    res.end(text);
    return;
  }
  if (r.stream) {
    res.writeHead(r.status, headers);
    for await (const chunk of r.stream()) {
      if (res.destroyed) return;
      if (!res.write(chunk)) await new Promise<void>((resolve) => res.once('drain', resolve));
    }
    res.end();
    return;
  }
  const text = r.text ?? '';
  res.writeHead(r.status, { 'content-type': 'text/plain', ...headers, 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

export async function startFakeGitlab(opts: FakeGitlabOptions): Promise<FakeGitlab> {
  let baseUrl = '';
  const bot: FakeUser = {
    name: 'ci-medic',
    state: 'active',
    avatar_url: null,
    web_url: `https://gitlab.example.com/${opts.botUser?.username ?? 'ci-medic'}`,
    bot: true,
    id: 99,
    username: 'ci-medic',
    ...opts.botUser,
  };
  const state = new FakeState(() => baseUrl, bot);
  const tokens = new Map<string, FakeUser>([[opts.token, bot]]);
  for (const u of opts.users ?? []) tokens.set(u.token, state.user(u.user));
  const faults = new Faults();
  const bodies = new BodyChecker();
  const requests: RecordedRequest[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', baseUrl);
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = await readBody(req);
    let body: Params = {};
    try {
      body = await parseBody(req.headers['content-type'], raw);
    } catch (e) {
      if (e instanceof HttpError) return send(res, { status: e.status, json: e.body });
      throw e;
    }
    const rec: RecordedRequest = {
      method,
      path: decodeURIComponent(url.pathname.slice(API.length)),
      query: parseQuery(url.searchParams),
      body,
      headers: req.headers,
    };
    requests.push(rec);
    if (!url.pathname.startsWith(API + '/')) return send(res, { status: 404, json: { error: '404 Not Found' } });
    const fault = faults.pick(method, rec.path, JSON.stringify(body));
    if (fault) rec.fault = fault.kind === 'status' || fault.kind === 'reject' ? String(fault.status) : fault.kind;
    if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms));
    if (fault?.kind === 'drop' && !fault.after) return void req.socket.destroy();
    if (fault?.kind === 'status') return send(res, faultResponse(fault));
    if (fault?.kind === 'reject') return send(res, rejectionBody(fault.status));

    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const token = (req.headers['private-token'] as string | undefined) ?? bearer;
    const user = token ? tokens.get(token) : undefined;
    if (!user) return send(res, { status: 401, json: { message: '401 Unauthorized' } });

    const ctx: Ctx = { state, user, baseUrl, pathname: url.pathname, search: url.searchParams, params: { ...rec.query, ...body }, method };
    let out: FakeResponse;
    try {
      out = route(ctx);
    } catch (e) {
      if (e instanceof HttpError) out = { status: e.status, json: e.body };
      else out = { status: 500, json: { message: '500 Internal Server Error' } };
    }
    // Notes, discussions, replies and edits carry `body`; commit comments `note`.
    if (method !== 'GET' && out.status < 300) bodies.inspect(`${method} ${rec.path}`, body.body ?? body.note);
    if (fault?.kind === 'drop' && fault.after) return void req.socket.destroy();
    if (fault?.kind === 'stall') return sendStalled(res, out, fault.afterBytes ?? 0);
    return send(res, out);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    state,
    requests,
    faults,
    bodies,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    addProject: state.addProject.bind(state),
    setFile: state.setFile.bind(state),
    addMergeRequest: state.addMergeRequest.bind(state),
    addMrVersion: state.addMrVersion.bind(state),
    addPipeline: state.addPipeline.bind(state),
    notes: state.notes.bind(state),
    discussions: state.discussions.bind(state),
    calls: (m, path) =>
      requests.filter((r) => r.method === m.toUpperCase() && (typeof path === 'string' ? r.path.includes(path) : path.test(r.path))),
  };
}
