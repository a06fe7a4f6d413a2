// One HTTP call to GitLab with ci-medic's retry policy. Both the gitbeaker requester and the
// calls gitbeaker handles badly (raw JSON discussions, streamed traces) go through here.
// Every transfer is bounded: headers within the attempt timeout, then no more than an idle
// timeout between body chunks and a total deadline for the whole attempt, streams included;
// and every request ends when the task's abort signal fires.
import { AsyncLocalStorage } from 'node:async_hooks';
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
  /** Longest silence between two body chunks (HTTP_IDLE_TIMEOUT_MS). */
  idleTimeoutMs?: number;
  /** Longest one attempt may take, headers and whole body (HTTP_TOTAL_TIMEOUT_MS). */
  totalTimeoutMs?: number;
}

export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
export const DEFAULT_TOTAL_TIMEOUT_MS = 300_000;

/** The signal of the task on whose behalf requests run (the queue's, per task). */
const taskSignal = new AsyncLocalStorage<AbortSignal>();

/** Runs `work` so that every GitLab request it makes ends when `signal` aborts. */
export function withAbortSignal<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
  return signal ? taskSignal.run(signal, work) : work();
}

/** The task was told to stop (shutdown): the queue runs it again later. */
export class RequestAbortedError extends Error {
  readonly code = 'CIM_ERR_ABORTED' as const;
  readonly retryable = true;
  constructor(method: string, path: string) {
    super(`GitLab ${method} ${path} aborted: the task was stopped`);
    this.name = 'RequestAbortedError';
  }
}

/** A response body stopped arriving (idle) or took longer than the total deadline. */
export class TransferTimeoutError extends GitlabUnavailableError {
  constructor(readonly reason: 'idle' | 'total', readonly bytesRead: number, method: string, path: string, limitMs: number) {
    super(
      `GitLab ${method} ${path}: ${reason === 'idle' ? `no data for ${limitMs} ms` : `transfer exceeded ${limitMs} ms`} after ${bytesRead} bytes`,
      { method, path, attempts: 1, ambiguous: false },
    );
    this.name = 'TransferTimeoutError';
  }
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path after /api/v4/, already URL-encoded per segment, e.g. `projects/42/merge_requests/1`. */
  path: string;
  query?: string;
  json?: unknown;
  /** A JSON body serialised already (gitbeaker's requester hands one over). */
  jsonText?: string;
  form?: FormData;
  /** Return the body as a stream (job traces). */
  stream?: boolean;
  /** Read at most this many body bytes (files): the rest is never downloaded, `truncated` says so. */
  maxBytes?: number;
  /** Overrides the task's signal from withAbortSignal. */
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** The body was longer than `maxBytes`; `body` holds its first `maxBytes` bytes. */
  truncated?: boolean;
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

/** Arms the per-attempt timers; `fire` aborts the attempt and remembers why. */
class AttemptTimers {
  why: 'headers' | 'idle' | 'total' | 'aborted' | undefined;
  bytes = 0;
  private idle?: NodeJS.Timeout;
  private readonly total: NodeJS.Timeout;
  private headers?: NodeJS.Timeout;
  private readonly onOuter = () => this.fire('aborted');

  constructor(
    readonly controller: AbortController,
    private readonly idleMs: number,
    readonly totalMs: number,
    headersMs: number,
    private readonly outer: AbortSignal | undefined,
  ) {
    this.total = setTimeout(() => this.fire('total'), totalMs);
    this.headers = setTimeout(() => this.fire('headers'), Math.min(headersMs, totalMs));
    outer?.addEventListener('abort', this.onOuter, { once: true });
  }

  fire(why: NonNullable<AttemptTimers['why']>): void {
    this.why ??= why;
    this.controller.abort();
  }

  headersArrived(): void {
    clearTimeout(this.headers);
  }

  /** Reads one chunk, failing when the server stays silent longer than the idle timeout. */
  async read(reader: ReadableStreamDefaultReader<Uint8Array>): ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']> {
    this.idle = setTimeout(() => this.fire('idle'), this.idleMs);
    try {
      const r = await reader.read();
      if (r.value) this.bytes += r.value.byteLength;
      return r;
    } finally {
      clearTimeout(this.idle);
    }
  }

  done(): void {
    clearTimeout(this.total);
    clearTimeout(this.headers);
    clearTimeout(this.idle);
    this.outer?.removeEventListener('abort', this.onOuter);
  }

  /** The error for a failed read, once the attempt was aborted by a timer or the task. */
  failure(method: string, path: string): Error | undefined {
    if (this.why === 'aborted') return new RequestAbortedError(method, path);
    if (this.why === 'idle') return new TransferTimeoutError('idle', this.bytes, method, path, this.idleMs);
    if (this.why === 'total') return new TransferTimeoutError('total', this.bytes, method, path, this.totalMs);
    return undefined;
  }
}

/** The body, read chunk by chunk under the timers, stopping after `maxBytes`. */
async function readBody(res: Response, timers: AttemptTimers, maxBytes?: number): Promise<{ body: unknown; truncated: boolean }> {
  if (res.status === 204 || !res.body) return { body: null, truncated: false };
  const ct = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await timers.read(reader);
    if (done) break;
    if (maxBytes !== undefined && size + value.byteLength > maxBytes) {
      chunks.push(value.subarray(0, maxBytes - size));
      size = maxBytes;
      truncated = true;
      // The rest is never downloaded.
      await reader.cancel().catch(() => undefined);
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  const text = new TextDecoder().decode(Buffer.concat(chunks, size));
  if (ct === 'application/json' && !truncated) {
    try {
      return { body: text ? JSON.parse(text) : {}, truncated };
    } catch {
      return { body: text, truncated };
    }
  }
  return { body: text, truncated };
}

/** The response body as a stream whose reads obey the attempt's timers; timers end with it. */
function boundedStream(body: ReadableStream<Uint8Array>, timers: AttemptTimers, method: string, path: string): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await timers.read(reader);
        if (done) {
          timers.done();
          controller.close();
        } else controller.enqueue(value);
      } catch (e) {
        const failure = timers.failure(method, path);
        timers.done();
        throw failure ?? e;
      }
    },
    async cancel() {
      timers.done();
      await reader.cancel().catch(() => undefined);
      timers.controller.abort();
    },
  });
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
  readonly idleTimeoutMs: number;
  readonly totalTimeoutMs: number;

  constructor(private readonly cfg: HttpConfig) {
    this.policy = { ...DEFAULT_RETRY_POLICY, ...cfg.policy };
    this.sleep = cfg.sleep ?? sleep;
    this.random = cfg.random ?? Math.random;
    this.apiBase = `${trimTrailing(cfg.host, '/')}/api/v4/`;
    this.idleTimeoutMs = cfg.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.totalTimeoutMs = cfg.totalTimeoutMs ?? DEFAULT_TOTAL_TIMEOUT_MS;
  }

  /** Waits between attempts, cut short (timer cleared) when the task is stopped. */
  private async pause(ms: number, outer: AbortSignal | undefined, req: HttpRequest, label: string): Promise<void> {
    if (!outer) return this.sleep(ms);
    let onAbort!: () => void;
    let timer: NodeJS.Timeout | undefined;
    const aborted = new Promise<void>((resolve) => {
      onAbort = resolve;
      outer.addEventListener('abort', onAbort, { once: true });
    });
    const waited = this.cfg.sleep ? this.sleep(ms) : new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); });
    try {
      await Promise.race([waited, aborted]);
    } finally {
      clearTimeout(timer);
      outer.removeEventListener('abort', onAbort);
    }
    if (outer.aborted) throw new RequestAbortedError(req.method, label);
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const started = Date.now();
    const label = `/${req.path}`;
    const outer = req.signal ?? taskSignal.getStore();
    let lastStatus: number | undefined;
    let lastHint: number | undefined;
    for (let attempt = 0; ; attempt++) {
      if (outer?.aborted) throw new RequestAbortedError(req.method, label);
      let waitMs: number;
      let ambiguous = false;
      const controller = new AbortController();
      const timers = new AttemptTimers(controller, this.idleTimeoutMs, this.totalTimeoutMs, this.policy.attemptTimeoutMs, outer);
      let handedOver = false;
      try {
        const res = await fetch(this.apiBase + req.path + (req.query ? `?${req.query}` : ''), {
          method: req.method,
          headers: {
            'private-token': this.cfg.token,
            ...(req.json !== undefined || req.jsonText !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          body: req.jsonText ?? (req.json !== undefined ? JSON.stringify(req.json) : req.form),
          signal: controller.signal,
        });
        timers.headersArrived();
        const headers = Object.fromEntries(res.headers.entries());
        if (res.ok) {
          if (req.stream) {
            handedOver = true;
            return { status: res.status, headers, body: res.body ? boundedStream(res.body, timers, req.method, label) : null };
          }
          const { body, truncated } = await readBody(res, timers, req.maxBytes);
          return { status: res.status, headers, body, ...(truncated ? { truncated } : {}) };
        }
        const { body } = await readBody(res, timers, 64 * 1024);
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
        if (timers.why === 'aborted') throw new RequestAbortedError(req.method, label);
        const code = timers.why ? 'TIMEOUT' : (errorCode(e) ?? 'NETWORK');
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
        if (!handedOver) timers.done();
      }
      const elapsed = Date.now() - started;
      if (attempt + 1 >= this.policy.maxAttempts || elapsed + waitMs > this.policy.maxTotalMs) {
        throw new GitlabUnavailableError(
          `GitLab ${req.method} ${label} still failing after ${attempt + 1} attempts${lastStatus ? ` (last status ${lastStatus})` : ''}`,
          { method: req.method, path: label, status: lastStatus, attempts: attempt + 1, retryAfterMs: lastHint, ambiguous: false },
        );
      }
      await this.pause(waitMs, outer, req, label);
    }
  }
}
