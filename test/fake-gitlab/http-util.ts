// Request parsing and response helpers shared by the fake GitLab's routes.
import type { IncomingMessage } from 'node:http';

export type Params = Record<string, unknown>;

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  /** JSON value, text, or a stream of chunks (job traces). */
  json?: unknown;
  text?: string;
  stream?: () => AsyncIterable<string | Uint8Array>;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(typeof body === 'object' && body && 'message' in body ? String((body as { message: unknown }).message) : String(status));
  }
}

export const notFound = (what = '404 Not found') => new HttpError(404, { message: what });
/** `forbidden!` in lib/api/helpers.rb. */
export const forbidden = () => new HttpError(403, { message: '403 Forbidden' });
export const badRequest = (message: string) => new HttpError(400, { message: `400 Bad request - ${message}` });
/** A Grape parameter validation failure (`requires`, `values:`, `mutually_exclusive`): lib/api/api.rb
 * rescues Grape::Exceptions::Base with `error!(e.message, 400)`, whose JSON body is `{"error": ...}`. */
export const validationError = (message: string) => new HttpError(400, { error: message });
/** No route matched: lib/api/api.rb ends with `route :any, '*path' { error!('404 Not Found', 404) }`. */
export const routeNotFound = () => new HttpError(404, { error: '404 Not Found' });
export const lineCodeError = () =>
  new HttpError(400, { message: '400 Bad request - Note {:line_code=>["can\'t be blank", "must be a valid line code"]}' });

/** Sets `obj[a][b][c] = value` for a qs/Rack style key `a[b][c]`; `a[]` appends. */
export function setDeep(obj: Params, key: string, value: unknown): void {
  const parts = key.replace(/\]/g, '').split('[');
  let cur: Params = obj;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const last = i === parts.length - 1;
    const nextIsArray = parts[i + 1] === '';
    if (last) {
      if (part === '' && Array.isArray(cur)) (cur as unknown[]).push(value);
      else cur[part] = value;
      return;
    }
    if (part === '' && Array.isArray(cur)) {
      const o: Params = {};
      (cur as unknown[]).push(o);
      cur = o;
      continue;
    }
    if (cur[part] === undefined || typeof cur[part] !== 'object') cur[part] = nextIsArray ? [] : {};
    cur = cur[part] as Params;
    if (nextIsArray && i + 1 === parts.length - 1) {
      (cur as unknown as unknown[]).push(value);
      return;
    }
  }
}

export function parseQuery(search: URLSearchParams): Params {
  const out: Params = {};
  for (const [k, v] of search) setDeep(out, k, v);
  return out;
}

export async function readBody(req: IncomingMessage, limit = 30 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) throw new HttpError(413, { message: '413 Request Entity Too Large' });
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/** JSON, urlencoded and multipart bodies (gitbeaker sends form-data with `position[base_sha]` keys). */
export async function parseBody(contentType: string | undefined, raw: Buffer): Promise<Params> {
  if (raw.length === 0) return {};
  const ct = (contentType ?? '').toLowerCase();
  if (ct.startsWith('application/json')) {
    try {
      const v: unknown = JSON.parse(raw.toString('utf8'));
      return v && typeof v === 'object' ? (v as Params) : {};
    } catch {
      throw new HttpError(400, { error: 'body is invalid JSON' });
    }
  }
  if (ct.startsWith('multipart/form-data') || ct.startsWith('application/x-www-form-urlencoded')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType! } }).formData();
    const out: Params = {};
    for (const [k, v] of form) setDeep(out, k, typeof v === 'string' ? v : await v.text());
    return out;
  }
  return {};
}

export function intParam(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  return Number.isInteger(n) ? n : undefined;
}

export function boolParam(v: unknown): boolean | undefined {
  if (v === true || v === 'true' || v === '1') return true;
  if (v === false || v === 'false' || v === '0') return false;
  return undefined;
}

/**
 * Offset pagination exactly as GitLab answers it: page/per_page (default 20, max 100), `Link`
 * with first/prev/next/last, and the X-* count headers.
 */
export function paginate(baseUrl: string, pathname: string, search: URLSearchParams, items: readonly unknown[]): FakeResponse {
  const perPageRaw = intParam(search.get('per_page'));
  const perPage = perPageRaw === undefined || perPageRaw < 1 ? 20 : Math.min(100, perPageRaw);
  const pageRaw = intParam(search.get('page'));
  const page = pageRaw === undefined || pageRaw < 1 ? 1 : pageRaw;
  const total = items.length;
  const totalPages = Math.max(1, Math.ceil(total / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const link = (p: number) => {
    const q = new URLSearchParams(search);
    q.set('page', String(p));
    q.set('per_page', String(perPage));
    return `<${baseUrl}${pathname}?${q.toString()}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${link(page - 1)}; rel="prev"`);
  if (page < totalPages) links.push(`${link(page + 1)}; rel="next"`);
  links.push(`${link(1)}; rel="first"`, `${link(totalPages)}; rel="last"`);
  return {
    status: 200,
    json: slice,
    headers: {
      link: links.join(', '),
      'x-total': String(total),
      'x-total-pages': String(totalPages),
      'x-page': String(page),
      'x-per-page': String(perPage),
      'x-next-page': page < totalPages ? String(page + 1) : '',
      'x-prev-page': page > 1 ? String(page - 1) : '',
    },
  };
}
