// Every refused request is answered from here: a stable CIM_ERR_* code, the HTTP status, and a
// one-line reason. Tests check each code is documented below.
export const ERROR_CODES = {
  CIM_ERR_BAD_TOKEN: { status: 401, doc: 'X-Gitlab-Token missing or wrong' },
  CIM_ERR_BAD_SIGNATURE: { status: 401, doc: 'webhook-signature missing, stale or wrong (signing token configured)' },
  CIM_ERR_INVALID_JSON: { status: 400, doc: 'request body is not valid JSON' },
  CIM_ERR_INVALID_PAYLOAD: { status: 400, doc: 'a field the event needs is missing or has the wrong type' },
  CIM_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, doc: 'Content-Type is not application/json' },
  CIM_ERR_BODY_TOO_LARGE: { status: 413, doc: 'body larger than MAX_BODY_BYTES' },
  CIM_ERR_QUEUE_UNAVAILABLE: { status: 503, doc: 'the task store refused the write; GitLab should retry' },
  CIM_ERR_NOT_FOUND: { status: 404, doc: 'no such route' },
  CIM_ERR_INTERNAL: { status: 500, doc: 'unexpected error' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorBody {
  error: ErrorCode;
  message: string;
}

export class HttpError extends Error {
  readonly status: number;
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
    this.name = 'HttpError';
    this.status = ERROR_CODES[code].status;
  }

  toBody(): ErrorBody {
    return { error: this.code, message: this.message };
  }
}

export function httpError(code: ErrorCode, message: string): HttpError {
  return new HttpError(code, message);
}
