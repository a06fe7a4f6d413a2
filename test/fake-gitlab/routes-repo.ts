// Repository, pipeline, job, commit and lint endpoints.
import { HttpError, notFound, paginate, type FakeResponse } from './http-util.js';
import type { FakeProject } from './state.js';
import { jobView, mrView, pipelineView, userView } from './views.js';
import type { Ctx } from './routes-mr.js';

const ok = (json: unknown, status = 200): FakeResponse => ({ status, json });

function refOf(ctx: Ctx, p: FakeProject): string {
  return ctx.search.get('ref') ?? p.default_branch;
}

export function repoRoute(ctx: Ctx, p: FakeProject, rest: string[]): FakeResponse {
  const [a, b, c, d] = rest;
  const list = (items: unknown[]) => paginate(ctx.baseUrl, ctx.pathname, ctx.search, items);
  if (a === 'files' && b !== undefined && c === 'raw' && ctx.method === 'GET') {
    const text = ctx.state.file(p, refOf(ctx, p), b);
    if (text === undefined) throw notFound('404 File Not Found');
    return { status: 200, text, headers: { 'content-type': 'text/plain; charset=utf-8' } };
  }
  if (a === 'tree' && b === undefined && ctx.method === 'GET') {
    const files = p.files.get(refOf(ctx, p));
    if (!files) throw notFound('404 Tree Not Found');
    const base = (ctx.search.get('path') ?? '').replace(/\/+$/, '');
    const recursive = ctx.search.get('recursive') === 'true';
    const entries = new Map<string, { type: 'tree' | 'blob'; path: string }>();
    for (const path of [...files.keys()].sort()) {
      if (base && !path.startsWith(base + '/')) continue;
      const rel = base ? path.slice(base.length + 1) : path;
      const parts = rel.split('/');
      const depth = recursive ? parts.length : 1;
      for (let i = 1; i <= Math.min(depth, parts.length); i++) {
        const sub = (base ? base + '/' : '') + parts.slice(0, i).join('/');
        entries.set(sub, { type: i === parts.length ? 'blob' : 'tree', path: sub });
      }
    }
    const items = [...entries.values()].map((e) => ({
      id: e.path.length.toString(16).padStart(40, '0'),
      name: e.path.split('/').pop(),
      type: e.type,
      path: e.path,
      mode: e.type === 'tree' ? '040000' : '100644',
    }));
    return list(items);
  }
  if (a === 'commits' && b !== undefined && c === 'merge_requests' && d === undefined && ctx.method === 'GET') {
    const state = ctx.search.get('state');
    const mrs = (p.commitMrs.get(b) ?? [])
      .map((iid) => p.mrs.get(iid)!)
      .filter((m) => !state || m.state === state)
      .map((m) => mrView(p, m));
    return list(mrs);
  }
  if (a === 'commits' && b !== undefined && c === 'comments' && d === undefined) {
    const comments = p.commitComments.get(b) ?? [];
    const view = (x: (typeof comments)[number]) => ({ ...x, author: userView(x.author) });
    if (ctx.method === 'GET') return list(comments.map(view));
    if (ctx.method === 'POST') {
      const note = ctx.params.note;
      if (typeof note !== 'string' || !note) throw new HttpError(400, { message: '400 Bad request - note is missing' });
      const comment = { note, path: null, line: null, line_type: null, author: ctx.user, created_at: ctx.state.now() };
      comments.push(comment);
      p.commitComments.set(b, comments);
      return ok(view(comment), 201);
    }
  }
  throw notFound('404 Not Found');
}

export function pipelineRoute(ctx: Ctx, p: FakeProject, pid: string, rest: string[]): FakeResponse {
  const pl = p.pipelines.get(Number(pid));
  if (!pl) throw notFound('404 Not found');
  if (rest.length === 0) return ok(pipelineView(p, pl));
  if (rest[0] === 'jobs' && rest.length === 1) {
    const raw = ctx.search.getAll('scope[]').concat(ctx.search.getAll('scope'));
    const known = ['created', 'pending', 'running', 'failed', 'success', 'canceled', 'skipped', 'waiting_for_resource', 'manual'];
    if (raw.some((s) => !known.includes(s))) throw new HttpError(400, { message: '400 Bad request - Scope contains invalid value(s)' });
    const jobs = [...pl.jobs]
      .filter((j) => raw.length === 0 || raw.includes(j.status))
      .sort((x, y) => y.id - x.id)
      .map((j) => jobView(p, pl, j));
    return paginate(ctx.baseUrl, ctx.pathname, ctx.search, jobs);
  }
  throw notFound('404 Not Found');
}

export function jobRoute(ctx: Ctx, p: FakeProject, jid: string, rest: string[]): FakeResponse {
  const hit = ctx.state.findJob(p, Number(jid));
  if (!hit) throw notFound('404 Not found');
  if (rest.length === 0) return ok(jobView(p, hit.pipeline, hit.job));
  if (rest[0] === 'trace' && rest.length === 1) {
    const headers = { 'content-type': 'text/plain', 'content-disposition': `infile; filename="${hit.job.id}.log"` };
    const trace = hit.job.trace;
    if (typeof trace === 'function') return { status: 200, headers, stream: trace };
    return { status: 200, headers, text: trace ?? '' };
  }
  throw notFound('404 Not Found');
}

/** GET /projects/:id/ci/lint?content_ref=: the fake does not lint; it echoes the file (or a canned result). */
export function lintRoute(ctx: Ctx, p: FakeProject): FakeResponse {
  const ref = ctx.search.get('content_ref') ?? ctx.search.get('sha') ?? p.default_branch;
  const canned = p.lint.get(ref);
  if (canned) return ok(canned);
  const text = ctx.state.file(p, ref, '.gitlab-ci.yml');
  const includeJobs = ctx.search.get('include_jobs') === 'true';
  const result: Record<string, unknown> = text === undefined
    ? { valid: false, errors: ['Please provide content of .gitlab-ci.yml'], warnings: [], merged_yaml: null, includes: [] }
    : { valid: true, errors: [], warnings: [], merged_yaml: text, includes: [] };
  if (includeJobs) result.jobs = [];
  return ok(result);
}
