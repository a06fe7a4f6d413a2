// gitbeaker's requester, built from gitbeaker's own pieces (createRequesterFn prepares the query
// string, the decamelized JSON body and the headers exactly as @gitbeaker/rest does), with one
// difference: the request is sent through GitlabHttp, so ci-medic's retry policy (Retry-After,
// outages, transfer bounds, the task's abort signal) applies and gitbeaker's own retry (429/502
// only, ~0.3 s, ignoring Retry-After) never runs.
import { createRequesterFn, formatQuery, type RequestOptions } from '@gitbeaker/requester-utils';
import type { GitlabHttp, HttpRequest } from './http.js';

/** gitbeaker's query formatting (rack-style `scope[]=failed`, decamelized keys), for the few direct calls. */
export { formatQuery };

const METHODS = new Set<HttpRequest['method']>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

export function makeRequesterFn(http: GitlabHttp) {
  return createRequesterFn(
    // gitbeaker's defaults are complete; the token header is GitlabHttp's.
    async (_service, options) => options,
    async (endpoint, raw = {}) => {
      const options = raw as RequestOptions & { asStream?: boolean };
      const method = (options.method ?? 'GET').toUpperCase() as HttpRequest['method'];
      if (!METHODS.has(method)) throw new Error(`unsupported method ${method}`);
      // Some resources carry a prefix in their URL (`.../api/v4/projects`) and pass shorter endpoints.
      const prefixUrl = options.prefixUrl ?? '';
      const rest = prefixUrl.startsWith(http.apiBase) ? prefixUrl.slice(http.apiBase.length) : '';
      let prefix = rest;
      while (prefix.startsWith('/')) prefix = prefix.slice(1);
      while (prefix.endsWith('/')) prefix = prefix.slice(0, -1);
      const body = options.body;
      const res = await http.request({
        method,
        path: (prefix ? `${prefix}/` : '') + endpoint,
        ...(options.searchParams ? { query: options.searchParams } : {}),
        ...(typeof body === 'string' ? { jsonText: body } : body instanceof FormData ? { form: body } : {}),
        ...(options.asStream ? { stream: true } : {}),
      });
      return { body: res.body as never, headers: res.headers, status: res.status };
    },
  );
}
