export { buildApp, type AppOptions } from './app.js';
export { ERROR_CODES, HttpError, httpError, type ErrorCode, type ErrorBody } from './errors.js';
export { WEBHOOK_PATH } from './webhook.js';
export { secretMatches, signPayload, signatureProblem } from './verify.js';
