// Whether GitLab still accepts the bot's token, for /readyz. A revoked or expired token is the
// most common outage an operator causes, and nothing else shows it until comments stop
// appearing. GitLab being unreachable is not counted here: tasks wait in the queue for it, and a
// pod that turned not-ready would only stop webhooks from being stored.

export interface TokenStatus {
  ok: boolean;
  /** Why not, in words an operator can act on. */
  reason?: string;
}

export interface TokenHealthOptions {
  /** One uncached authenticated call (GET /user); rejects with an error carrying `status`. */
  probe: () => Promise<unknown>;
  /** How long one answer is reused, so probes do not turn into a request per readiness check. */
  ttlMs?: number;
  now?: () => number;
}

function statusOf(err: unknown): number | undefined {
  const e = err as { status?: unknown; cause?: { response?: { status?: unknown } } } | undefined;
  const s = e?.status ?? e?.cause?.response?.status;
  return typeof s === 'number' ? s : undefined;
}

export function createTokenHealth(options: TokenHealthOptions): () => Promise<TokenStatus> {
  const ttlMs = options.ttlMs ?? 30_000;
  const now = options.now ?? Date.now;
  let cached: { at: number; status: TokenStatus } | undefined;
  let inFlight: Promise<TokenStatus> | undefined;
  const check = async (): Promise<TokenStatus> => {
    try {
      await options.probe();
      return { ok: true };
    } catch (err) {
      if (statusOf(err) === 401) {
        return { ok: false, reason: 'GitLab answers 401 Unauthorized to the bot token: GITLAB_TOKEN is revoked, expired or wrong' };
      }
      // Unreachable or failing GitLab: queued work waits for it; readiness is not the place.
      return { ok: true };
    }
  };
  return () => {
    if (cached && now() - cached.at < ttlMs) return Promise.resolve(cached.status);
    inFlight ??= check().then((status) => {
      cached = { at: now(), status };
      inFlight = undefined;
      return status;
    });
    return inFlight;
  };
}
