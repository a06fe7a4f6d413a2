// The one pino logger of the service. Token-bearing headers and config secrets are redacted so
// that neither request logs nor a logged config object can leak them.
import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger } from 'pino';

export const REDACTED_PATHS = [
  'req.headers["x-gitlab-token"]',
  'req.headers["private-token"]',
  'req.headers.authorization',
  'req.headers["webhook-signature"]',
  'headers["x-gitlab-token"]',
  'headers["private-token"]',
  'headers.authorization',
  'config.gitlabToken',
  'config.webhookSecret',
  'config.webhookSigningSecret',
  'config.redisUrl',
  'gitlabToken',
  'webhookSecret',
  'webhookSigningSecret',
];

export interface LoggerOptions {
  level: LogLevel;
  /** Where to write; defaults to stdout. Tests pass a stream to capture output. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const settings = {
    level: options.level,
    base: { service: 'ci-medic' },
    redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
