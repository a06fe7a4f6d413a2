// Merge request endpoints: MR, versions, diffs, notes, discussions.
import { boolParam, HttpError, notFound, paginate, badRequest, routeNotFound, validationError, type FakeResponse, type Params } from './http-util.js';
import type { FakeDiscussion, FakeMr, FakeNote, FakeProject, FakeState, FakeUser } from './state.js';
import { discussionView, mrBasicView, mrView, noteView, versionView } from './views.js';
import { parseSuggestions, validatePosition } from './diff-notes.js';

export interface Ctx {
  state: FakeState;
  user: FakeUser;
  baseUrl: string;
  pathname: string;
  search: URLSearchParams;
  params: Params;
  method: string;
}

const ok = (json: unknown, status = 200): FakeResponse => ({ status, json });

function mustMr(p: FakeProject, iid: string): FakeMr {
  const mr = p.mrs.get(Number(iid));
  if (!mr) throw notFound('404 Not found');
  return mr;
}

function findNote(mr: FakeMr, noteId: string): { d: FakeDiscussion; n: FakeNote } {
  for (const d of mr.discussions) {
    const n = d.notes.find((x) => x.id === Number(noteId));
    if (n) return { d, n };
  }
  throw notFound('404 Note Not Found');
}

function mustDiscussion(mr: FakeMr, id: string): FakeDiscussion {
  const d = mr.discussions.find((x) => x.id === id);
  if (!d) throw notFound('404 Not found');
  return d;
}

function body(params: Params): string {
  const b = params.body;
  if (typeof b !== 'string') throw validationError('body is missing');
  // Present but empty passes Grape and fails the Note model's presence validation.
  if (b.length === 0) throw badRequest('Note {:note=>["can\'t be blank"]}');
  if (b.length > 1_000_000) throw badRequest('Note {:note=>["is too long (maximum is 1000000 characters)"]}');
  return b;
}

function newNote(ctx: Ctx, p: FakeProject, mr: FakeMr, type: FakeNote['type'], text: string): FakeNote {
  const at = ctx.state.now();
  return {
    id: ctx.state.nextNoteId(),
    type,
    body: text,
    attachment: null,
    author: ctx.user,
    created_at: at,
    updated_at: at,
    system: false,
    noteable_id: mr.id,
    noteable_type: 'MergeRequest',
    project_id: p.id,
    noteable_iid: mr.iid,
    resolvable: type !== null,
    resolved: false,
    resolved_by: null,
    resolved_at: null,
    confidential: false,
    internal: false,
  };
}

function setResolved(ctx: Ctx, n: FakeNote, resolved: boolean): void {
  if (!n.resolvable) return;
  n.resolved = resolved;
  n.resolved_by = resolved ? ctx.user : null;
  n.resolved_at = resolved ? ctx.state.now() : null;
}

function sortNotes(notes: FakeNote[], search: URLSearchParams): FakeNote[] {
  const key = search.get('order_by') === 'updated_at' ? 'updated_at' : 'created_at';
  const dir = search.get('sort') === 'asc' ? 1 : -1;
  return [...notes].sort((a, b) => (a[key] === b[key] ? a.id - b.id : a[key] < b[key] ? -1 : 1) * dir);
}

/** Routes under /projects/:id/merge_requests/:iid. `rest` is the path after the iid. */
export function mrRoute(ctx: Ctx, p: FakeProject, iid: string, rest: string[]): FakeResponse {
  const mr = mustMr(p, iid);
  const { method, params, search } = ctx;
  const list = (items: unknown[]) => paginate(ctx.baseUrl, ctx.pathname, search, items);
  const [a, b, c, d] = rest;
  if (a === undefined && method === 'GET') return ok(mrView(p, mr));
  if (a === 'versions' && b === undefined && method === 'GET') return ok([...mr.versions].reverse().map(versionView));
  if (a === 'diffs' && method === 'GET') {
    const latest = mr.versions[mr.versions.length - 1]!;
    return list(latest.diffs);
  }
  // Deprecated since 15.7 (doc/api/merge_requests.md): the MR plus `changes[]` and `overflow`.
  if (a === 'changes' && method === 'GET') {
    const latest = mr.versions[mr.versions.length - 1]!;
    return ok({ ...(mrView(p, mr) as object), changes: latest.diffs, overflow: false });
  }
  if (a === 'notes') {
    if (b === undefined && method === 'GET') return list(sortNotes(ctx.state.notes(p.id, mr.iid), search).map(noteView));
    if (b === undefined && method === 'POST') {
      const n = newNote(ctx, p, mr, null, body(params));
      mr.discussions.push({ id: ctx.state.nextDiscussionId(), individual_note: true, notes: [n] });
      return ok(noteView(n), 201);
    }
    if (b !== undefined && method === 'GET') return ok(noteView(findNote(mr, b).n));
    if (b !== undefined && method === 'PUT') {
      const { n } = findNote(mr, b);
      if (n.author.id !== ctx.user.id) throw new HttpError(403, { message: '403 Forbidden' });
      n.body = body(params);
      n.updated_at = ctx.state.now();
      return ok(noteView(n));
    }
  }
  if (a === 'discussions') {
    if (b === undefined && method === 'GET') return list(mr.discussions.map(discussionView));
    if (b === undefined && method === 'POST') return ok(discussionView(createDiscussion(ctx, p, mr)), 201);
    if (b === undefined) throw new HttpError(405, { error: '405 Not Allowed' });
    const disc = mustDiscussion(mr, b);
    if (c === undefined && method === 'GET') return ok(discussionView(disc));
    if (c === undefined && method === 'PUT') {
      const resolved = boolParam(params.resolved);
      if (resolved === undefined) throw validationError('resolved is missing');
      for (const n of disc.notes) setResolved(ctx, n, resolved);
      return ok(discussionView(disc));
    }
    if (c === 'notes' && d === undefined && method === 'POST') {
      const first = disc.notes[0]!;
      const n = newNote(ctx, p, mr, first.type === 'DiffNote' ? 'DiffNote' : 'DiscussionNote', body(params));
      if (first.position) {
        n.position = first.position;
        n.commit_id = first.commit_id;
        n.suggestions = [];
      }
      n.resolved = first.resolved;
      disc.notes.push(n);
      disc.individual_note = false;
      return ok(noteView(n), 201);
    }
    if (c === 'notes' && d !== undefined && method === 'PUT') {
      const n = disc.notes.find((x) => x.id === Number(d));
      if (!n) throw notFound('404 Note Not Found');
      const hasBody = typeof params.body === 'string';
      const resolved = boolParam(params.resolved);
      // Grape `exactly_one_of :body, :resolved`.
      if (hasBody && resolved !== undefined) throw validationError('body, resolved are mutually exclusive');
      if (!hasBody && resolved === undefined) throw validationError('body, resolved are missing, exactly one parameter must be provided');
      if (hasBody) {
        if (n.author.id !== ctx.user.id) throw new HttpError(403, { message: '403 Forbidden' });
        n.body = body(params);
        n.updated_at = ctx.state.now();
      } else setResolved(ctx, n, resolved!);
      return ok(noteView(n));
    }
  }
  throw routeNotFound();
}

function createDiscussion(ctx: Ctx, p: FakeProject, mr: FakeMr): FakeDiscussion {
  const text = body(ctx.params);
  const rawPos = ctx.params.position;
  let note: FakeNote;
  if (rawPos && typeof rawPos === 'object') {
    const position = validatePosition(mr, rawPos as Params);
    note = newNote(ctx, p, mr, 'DiffNote', text);
    note.position = position;
    note.commit_id = position.head_sha;
    note.suggestions = parseSuggestions(ctx.state, p, position, text);
  } else {
    note = newNote(ctx, p, mr, 'DiscussionNote', text);
  }
  const disc: FakeDiscussion = { id: ctx.state.nextDiscussionId(), individual_note: false, notes: [note] };
  mr.discussions.push(disc);
  return disc;
}

/** GET /projects/:id/merge_requests — for a reconciler: state and updated_after filters. */
export function mrList(ctx: Ctx, p: FakeProject): FakeResponse {
  const state = ctx.search.get('state');
  const after = ctx.search.get('updated_after');
  const items = [...p.mrs.values()]
    .filter((m) => !state || state === 'all' || m.state === state)
    .filter((m) => !after || Date.parse(m.updated_at) > Date.parse(after))
    .sort((x, y) => y.id - x.id)
    .map((m) => mrBasicView(p, m));
  return paginate(ctx.baseUrl, ctx.pathname, ctx.search, items);
}

