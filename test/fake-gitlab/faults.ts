// Fault injection for the fake GitLab: answer some requests with 429/5xx, delay them, or drop
// the connection (before or after the request took effect). Deterministic: either "the next N
// matching requests" or a seeded share of them.

export type FaultKind =
  /** `retryAfter` (seconds, may be hours) is sent on 429 and 503; `retryAfterAs: 'http-date'` sends it as a date. */
  | { kind: 'status'; status: 404 | 429 | 500 | 502 | 503 | 504; retryAfter?: number; retryAfterAs?: 'seconds' | 'http-date' }
  /** GitLab refusing this one write, with its own error body (see rejectionBody). */
  | { kind: 'reject'; status: 400 | 403 | 413 }
  | { kind: 'delay'; ms: number }
  /** Answer normally (status, headers), send the first `afterBytes` body bytes (default 0), then go silent. */
  | { kind: 'stall'; afterBytes?: number }
  /** Destroy the socket without answering; `after: true` runs the handler first (the write happened). */
  | { kind: 'drop'; after?: boolean };

export interface FaultRule {
  fault: FaultKind;
  method?: string;
  /** Matched against the path after /api/v4 (string = substring). */
  path?: string | RegExp;
  /** Apply to the next N matching requests, then retire. */
  count?: number;
  /** Only requests whose body (JSON of the parsed params) contains this text, e.g. one position's path. */
  bodyIncludes?: string;
  /** Or apply to this share (0..1) of matching requests, chosen by a seeded PRNG. */
  rate?: number;
  seed?: number;
}

interface LiveRule extends FaultRule {
  remaining: number;
  rand: () => number;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Faults {
  private rules: LiveRule[] = [];
  /** How many faults were injected, by kind label (e.g. "429", "drop", "drop-after"). */
  readonly injected: Record<string, number> = {};

  set(rule: FaultRule): void {
    this.rules.push({
      ...rule,
      remaining: rule.count ?? (rule.rate === undefined ? 1 : Infinity),
      rand: mulberry32(rule.seed ?? 42),
    });
  }

  clear(): void {
    this.rules = [];
  }

  /** The fault to apply to this request, if any (consumes one use of the rule). */
  pick(method: string, path: string, body = ''): FaultKind | undefined {
    for (const r of this.rules) {
      if (r.remaining <= 0) continue;
      if (r.method && r.method.toUpperCase() !== method.toUpperCase()) continue;
      if (r.path !== undefined && !(typeof r.path === 'string' ? path.includes(r.path) : r.path.test(path))) continue;
      if (r.bodyIncludes !== undefined && !body.includes(r.bodyIncludes)) continue;
      if (r.rate !== undefined && r.rand() >= r.rate) continue;
      r.remaining--;
      const label = r.fault.kind === 'status' || r.fault.kind === 'reject' ? String(r.fault.status) : r.fault.kind === 'drop' && r.fault.after ? 'drop-after' : r.fault.kind;
      this.injected[label] = (this.injected[label] ?? 0) + 1;
      return r.fault;
    }
    return undefined;
  }
}

/**
 * What GitLab answers when it refuses one note: 400 for a position it cannot place (the Note
 * validation message, as lib/api/discussions.rb renders it), 413 from the proxy for a body over
 * its limit, 403 for an endpoint the token may not use.
 */
export function rejectionBody(status: 400 | 403 | 413): { status: number; json?: unknown; text?: string; headers?: Record<string, string> } {
  if (status === 400) return { status, json: { message: '400 Bad request - Note {:line_code=>["can\'t be blank", "must be a valid line code"]}' } };
  if (status === 403) return { status, json: { message: '403 Forbidden' } };
  return { status, text: '<html><body><h1>413 Request Entity Too Large</h1></body></html>', headers: { 'content-type': 'text/html' } };
}
