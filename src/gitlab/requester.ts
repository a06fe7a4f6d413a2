// A gitbeaker requesterFn that sends every request through GitlabHttp, so gitbeaker's own
// retry (429/502 only, ~0.3 s, ignoring Retry-After) never runs and ours does.
import type { GitlabHttp } from './http.js';
import { trimLeading, trimTrailing } from '../text/linear.js';

const decamelize = (k: string) => k.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

function decamelizeKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decamelizeKeys);
  if (v && typeof v === 'object' && !(v instanceof FormData) && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [decamelize(k), decamelizeKeys(x)]));
  }
  return v;
}

/** Rack-style query string (`scope[]=failed`, `position[new_line]=3`), keys decamelized as gitbeaker does. */
export function formatQuery(params: Record<string, unknown> = {}): string {
  const out = new URLSearchParams();
  const add = (key: string, v: unknown) => {
    if (v === undefined || v === null) return;
    if (Array.isArray(v)) v.forEach((x) => add(`${key}[]`, x));
    else if (typeof v === 'object') for (const [k, x] of Object.entries(v)) add(`${key}[${decamelize(k)}]`, x);
    else out.append(key, String(v));
  };
  for (const [k, v] of Object.entries(params)) add(decamelize(k), v);
  return out.toString();
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface GitbeakerRequestOptions {
  body?: FormData | Record<string, unknown>;
  searchParams?: Record<string, unknown>;
  asStream?: boolean;
}

export function makeRequesterFn(http: GitlabHttp) {
  // Some resources carry a prefix in their URL (`.../api/v4/projects`) and pass shorter endpoints.
  const call = (prefix: string, method: Method) => async (endpoint: string, options: GitbeakerRequestOptions = {}) => {
    const { body, searchParams, asStream } = options;
    const hasBody = body !== undefined && !(typeof body === 'object' && !(body instanceof FormData) && Object.keys(body).length === 0 && method === 'DELETE');
    const res = await http.request({
      method,
      path: prefix + endpoint,
      query: formatQuery(searchParams),
      form: body instanceof FormData ? body : undefined,
      json: hasBody && !(body instanceof FormData) ? decamelizeKeys(body) : undefined,
      stream: asStream,
    });
    return { body: res.body, headers: res.headers, status: res.status };
  };
  // gitbeaker calls this once per resource with its own options; ours live in `http`.
  return (service: { url: string }) => {
    const rest = service.url.startsWith(http.apiBase) ? service.url.slice(http.apiBase.length) : '';
    const prefix = trimTrailing(trimLeading(rest, '/'), '/');
    const p = prefix ? `${prefix}/` : '';
    return { get: call(p, 'GET'), post: call(p, 'POST'), put: call(p, 'PUT'), patch: call(p, 'PATCH'), delete: call(p, 'DELETE') };
  };
}
