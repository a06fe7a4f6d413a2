// Typed GitLab failures. The queue reschedules on `retryable`, never drops a task silently.
// Messages carry method, path and GitLab's message — never the token or the query string.

export type GitlabErrorCode = 'CIM_ERR_GITLAB_UNAVAILABLE' | 'CIM_ERR_GITLAB_REQUEST';

/** GitLab could not be reached or kept failing (429, 5xx, timeouts, resets) past the retry budget. */
export class GitlabUnavailableError extends Error {
  readonly code = 'CIM_ERR_GITLAB_UNAVAILABLE' as const;
  readonly retryable = true;
  /** GitLab may come back: the queue keeps retrying for RETRY_MAX_AGE_HOURS, not MAX_ATTEMPTS. */
  readonly transient = true;
  constructor(
    message: string,
    readonly details: {
      method: string;
      path: string;
      status?: number;
      attempts: number;
      /** When GitLab said to come back (Retry-After / RateLimit-Reset), in ms from now. */
      retryAfterMs?: number;
      /** A write may have taken effect (timeout or reset after the request was sent): re-read before re-posting. */
      ambiguous: boolean;
    },
  ) {
    super(message);
    this.name = 'GitlabUnavailableError';
  }
  get status(): number | undefined {
    return this.details.status;
  }
  /** Read by the queue (describeFailure) to schedule the next attempt no sooner than GitLab asked. */
  get retryAfterMs(): number | undefined {
    return this.details.retryAfterMs;
  }
}

/** GitLab refused the request (4xx other than 429): retrying will not help. */
export class GitlabRequestError extends Error {
  readonly code = 'CIM_ERR_GITLAB_REQUEST' as const;
  readonly retryable = false;
  constructor(
    readonly status: number,
    /** GitLab's own `message`/`error` text. */
    readonly gitlabMessage: string,
    readonly method: string,
    readonly path: string,
  ) {
    super(`GitLab ${method} ${path} answered ${status}: ${gitlabMessage}`);
    this.name = 'GitlabRequestError';
  }
}

export function isGitlabError(e: unknown): e is GitlabUnavailableError | GitlabRequestError {
  return e instanceof GitlabUnavailableError || e instanceof GitlabRequestError;
}

export function isNotFound(e: unknown): boolean {
  return e instanceof GitlabRequestError && e.status === 404;
}
