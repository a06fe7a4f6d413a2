// One HTTP call to GitLab with ci-medic's retry policy. Both the gitbeaker requester and the
// calls gitbeaker handles badly (raw JSON discussions, streamed traces) go through here.
import { GitlabRequestError, GitlabUnavailableError } from './errors.js';
import { backoffMs, DEFAULT_RETRY_POLICY, RETRYABLE_STATUS, serverDelayMs, sleep, type RetryPolicy } from './retry.js';
import { trimTrailing } from '../text/linear.js';

export interface HttpConfig {
  /** GitLab base URL without trailing slash, e.g. https://gitlab.example.com */
  host: string;
  token: string;
  policy?: Partial<RetryPolicy>;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path after /api/v4/, already URL-encoded per segment, e.g. `projects/42/merge_requests/1`. */
  path: string;
  query?: string;
  json?: unknown;
  form?: FormData;
  /** Return the body as a stream (job traces). */
  stream?: boolean;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** A POST may have been applied when the connection dies after sending: never blindly repeat it. */
const isIdempotent = (m: HttpRequest['method']) => m === 'GET' || m === 'PUT' || m === 'DELETE';

/** Connection errors that prove the request never reached GitLab. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

function errorCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

async function readBody(res: Response): Promise<unknown> {
  if (res.status === 204) return null;
  const ct = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
  const text = await res.text();
  if (ct === 'application/json') {
    try {
      return text ? JSON.parse(text) : {};
    } catch {
      return text;
    }
  }
  return text;
}

function gitlabMessage(body: unknown): string {
  if (body && typeof body === 'object') {
    const b = body as { message?: unknown; error?: unknown };
    const m = b.message ?? b.error;
    return typeof m === 'string' ? m : JSON.stringify(m ?? body);
  }
  return String(body ?? '').slice(0, 500);
}

export class GitlabHttp {
  readonly policy: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  readonly apiBase: string;

  constructor(private readonly cfg: HttpConfig) {
    this.policy = { ...DEFAULT_RETRY_POLICY, ...cfg.policy };
    this.sleep = cfg.sleep ?? sleep;
    this.random = cfg.random ?? Math.random;
    this.apiBase = `${trimTrailing(cfg.host, '/')}/api/v4/`;
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const started = Date.now();
    const label = `/${req.path}`;
    let lastStatus: number | undefined;
    let lastHint: number | undefined;
    for (let attempt = 0; ; attempt++) {
      let waitMs: number;
      let ambiguous = false;
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), this.policy.attemptTimeoutMs);
      try {
        const res = await fetch(this.apiBase + req.path + (req.query ? `?${req.query}` : ''), {
          method: req.method,
          headers: {
            'private-token': this.cfg.token,
            ...(req.json !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          body: req.json !== undefined ? JSON.stringify(req.json) : req.form,
          signal: controller.signal,
        });
        const headers = Object.fromEntries(res.headers.entries());
        if (res.ok) {
          if (req.stream) {
            clearTimeout(timer);
            return { status: res.status, headers, body: res.body };
          }
          const body = await readBody(res);
          return { status: res.status, headers, body };
        }
        const body = await readBody(res);
        lastStatus = res.status;
        const retryable = res.status === 429 || (RETRYABLE_STATUS.has(res.status) && isIdempotent(req.method));
        if (!RETRYABLE_STATUS.has(res.status)) {
          throw new GitlabRequestError(res.status, gitlabMessage(body), req.method, label);
        }
        lastHint = serverDelayMs((n) => res.headers.get(n), Date.now());
        // A 5xx on a POST may hide a write that happened: let the caller re-read first.
        if (!retryable) {
          throw new GitlabUnavailableError(`GitLab ${req.method} ${label} answered ${res.status}: ${gitlabMessage(body)}`, {
            method: req.method, path: label, status: res.status, attempts: attempt + 1, retryAfterMs: lastHint, ambiguous: true,
          });
        }
        waitMs = lastHint ?? backoffMs(attempt, this.policy, this.random);
      } catch (e) {
        if (e instanceof GitlabRequestError || e instanceof GitlabUnavailableError) throw e;
        const code = controller.signal.aborted ? 'TIMEOUT' : (errorCode(e) ?? 'NETWORK');
        const sent = !NOT_SENT.has(code);
        ambiguous = sent && !isIdempotent(req.method);
        if (ambiguous) {
          throw new GitlabUnavailableError(`GitLab ${req.method} ${label} failed (${code}); the write may have happened`, {
            method: req.method, path: label, attempts: attempt + 1, ambiguous: true,
          });
        }
        lastStatus = undefined;
        lastHint = undefined;
        waitMs = backoffMs(attempt, this.policy, this.random);
      } finally {
        clearTimeout(timer);
      }
      const elapsed = Date.now() - started;
      if (attempt + 1 >= this.policy.maxAttempts || elapsed + waitMs > this.policy.maxTotalMs) {
        throw new GitlabUnavailableError(
          `GitLab ${req.method} ${label} still failing after ${attempt + 1} attempts${lastStatus ? ` (last status ${lastStatus})` : ''}`,
          { method: req.method, path: label, status: lastStatus, attempts: attempt + 1, retryAfterMs: lastHint, ambiguous: false },
        );
      }
      await this.sleep(waitMs);
    }
  }
}
