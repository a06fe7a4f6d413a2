// Repository, pipeline, job, commit and lint endpoints.
import { boolParam, intParam, notFound, paginate, routeNotFound, validationError, type FakeResponse } from './http-util.js';
import { sha1, type CommitComment, type FakeProject } from './state.js';
import { jobView, mrBasicView, pipelineView, userView } from './views.js';
import { lineCodeFor } from './diff-notes.js';
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
  if (a === 'tree' && b === undefined && ctx.method === 'GET') return tree(ctx, p);
  if (a === 'commits' && b !== undefined && c === 'merge_requests' && d === undefined && ctx.method === 'GET') {
    const state = ctx.search.get('state');
    const mrs = (p.commitMrs.get(b) ?? [])
      .map((iid) => p.mrs.get(iid)!)
      .filter((m) => !state || m.state === state)
      .map((m) => mrBasicView(p, m));
    return list(mrs);
  }
  if (a === 'commits' && b !== undefined && c === 'comments' && d === undefined) {
    const comments = p.commitComments.get(b) ?? [];
    // Entities::CommitNote: note, path, line, line_type, author (UserBasic), created_at.
    const view = (x: CommitComment) => ({ note: x.note, path: x.path, line: x.line, line_type: x.line_type, author: userView(x.author), created_at: x.created_at });
    if (ctx.method === 'GET') return list(comments.map(view));
    if (ctx.method === 'POST') {
      const note = ctx.params.note;
      if (typeof note !== 'string') throw validationError('note is missing');
      const comment: CommitComment = { note, ...commentAnchor(ctx, p, b), author: ctx.user, created_at: ctx.state.now() };
      comments.push(comment);
      p.commitComments.set(b, comments);
      return ok(view(comment), 201);
    }
  }
  throw routeNotFound();
}

/**
 * `path`/`line`/`line_type` stick only when they name a line of the commit's diff; otherwise GitLab
 * stores a plain comment and answers them as null (doc/api/commits.md "Post comment to commit").
 * The fake knows a commit's diff only as the head of an MR version, and anchors added lines.
 */
function commentAnchor(ctx: Ctx, p: FakeProject, sha: string): Pick<CommitComment, 'path' | 'line' | 'line_type'> {
  const none = { path: null, line: null, line_type: null };
  const path = ctx.params.path;
  const line = intParam(ctx.params.line);
  if (typeof path !== 'string' || line === undefined || (ctx.params.line_type ?? 'new') !== 'new') return none;
  for (const mr of p.mrs.values()) {
    const diff = mr.versions.find((v) => v.head_commit_sha === sha)?.diffs.find((x) => x.new_path === path);
    if (diff && lineCodeFor(diff.diff, path, null, line)) return { path, line, line_type: 'new' };
  }
  return none;
}

/**
 * GET /repository/tree. An unknown ref is `404 Tree Not Found`; since 17.7 so is a missing `path`
 * (doc/api/repositories.md). Page 1 is served by Gitaly and its headers only imitate offset
 * pagination: `X-Next-Page: 2` and `rel="next"` always, `X-Total-Pages` = total / per_page + 1
 * (lib/gitlab/pagination/gitaly_keyset_pager.rb); later pages are plain offset pages.
 */
function tree(ctx: Ctx, p: FakeProject): FakeResponse {
  const files = p.files.get(refOf(ctx, p));
  if (!files) throw notFound('404 Tree Not Found');
  const base = (ctx.search.get('path') ?? '').replace(/\/+$/, '');
  const recursive = boolParam(ctx.search.get('recursive') ?? undefined) === true;
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
  if (base && entries.size === 0) throw notFound('404 Tree Not Found');
  const items = [...entries.values()].map((e) => ({
    id: sha1(`${e.type}:${e.path}`),
    name: e.path.split('/').pop(),
    type: e.type,
    path: e.path,
    mode: e.type === 'tree' ? '040000' : '100644',
  }));
  const res = paginate(ctx.baseUrl, ctx.pathname, ctx.search, items);
  const page = intParam(ctx.search.get('page'));
  if (page !== undefined && page !== 1) return res;
  const perPage = Number(res.headers!['x-per-page']);
  const q = new URLSearchParams(ctx.search);
  q.set('page', '2');
  q.set('per_page', String(perPage));
  const next = `<${ctx.baseUrl}${ctx.pathname}?${q.toString()}>; rel="next"`;
  const links = res.headers!.link!.split(', ').filter((l) => !l.endsWith('rel="next"'));
  res.headers = {
    ...res.headers,
    link: [next, ...links].join(', '),
    'x-next-page': '2',
    'x-total-pages': String(Math.floor(items.length / perPage) + 1),
  };
  return res;
}

const JOB_STATUSES = [
  'created', 'waiting_for_resource', 'preparing', 'waiting_for_callback', 'pending', 'running', 'success', 'failed',
  'canceling', 'canceled', 'skipped', 'manual', 'scheduled',
];

export function pipelineRoute(ctx: Ctx, p: FakeProject, pid: string, rest: string[]): FakeResponse {
  const pl = p.pipelines.get(Number(pid));
  if (!pl) throw notFound('404 Not found');
  if (rest.length === 0) return ok(pipelineView(p, pl));
  if (rest[0] === 'jobs' && rest.length === 1) {
    const raw = ctx.search.getAll('scope[]').concat(ctx.search.getAll('scope'));
    // `values: ::CommitStatus::AVAILABLE_STATUSES` (lib/api/ci/helpers/pipelines_helpers.rb).
    if (raw.some((s) => !JOB_STATUSES.includes(s))) throw validationError('scope does not have a valid value');
    const jobs = [...pl.jobs]
      .filter((j) => raw.length === 0 || raw.includes(j.status))
      .sort((x, y) => y.id - x.id)
      .map((j) => jobView(p, pl, j));
    return paginate(ctx.baseUrl, ctx.pathname, ctx.search, jobs);
  }
  throw routeNotFound();
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
  throw routeNotFound();
}

/**
 * GET /projects/:id/ci/lint (lib/api/lint.rb): `sha`/`content_ref` and `ref`/`dry_run_ref` are
 * mutually exclusive; an unknown ref is `404 Commit Not Found`; a missing CI file lints as blank
 * content. The body is Entities::Ci::Lint::Result, `jobs` only with `include_jobs`. The fake does
 * not lint: it echoes the file as `merged_yaml` (or answers a canned result).
 */
export function lintRoute(ctx: Ctx, p: FakeProject): FakeResponse {
  const has = (k: string) => ctx.search.has(k);
  if (has('sha') && has('content_ref')) throw validationError('sha, content_ref are mutually exclusive');
  if (has('ref') && has('dry_run_ref')) throw validationError('ref, dry_run_ref are mutually exclusive');
  const ref = ctx.search.get('content_ref') ?? ctx.search.get('sha') ?? p.default_branch;
  const canned = p.lint.get(ref);
  if (canned) return ok(canned);
  if (!p.files.has(ref)) throw notFound('404 Commit Not Found');
  const text = ctx.state.file(p, ref, '.gitlab-ci.yml');
  const result: Record<string, unknown> = text === undefined || text.trim() === ''
    ? { valid: false, errors: ['Please provide content of .gitlab-ci.yml'], warnings: [], merged_yaml: null, includes: [] }
    : { valid: true, errors: [], warnings: [], merged_yaml: text, includes: [] };
  if (boolParam(ctx.search.get('include_jobs') ?? undefined)) result.jobs = [];
  return ok(result);
}
