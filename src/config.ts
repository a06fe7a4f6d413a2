// Service configuration from environment variables. Every problem becomes a one-line ConfigError
// naming the variable, so start-up fails with a message an operator can act on. Secrets are never
// echoed back in messages. Messages carry no `ci-medic:` prefix: the CLI adds it when printing.
import path from 'node:path';
import { trimTrailing } from './text/linear.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Limits {
  /** Largest webhook body accepted (GitLab's own cap is 25 MB). */
  maxBodyBytes: number;
  /** Largest .gitlab-ci.yml (or included file) read. */
  maxYamlBytes: number;
  /** YAML alias expansion bound (yaml's maxAliasCount). */
  maxYamlAliases: number;
  maxDockerfileBytes: number;
  /** Bytes of a job log read per job. */
  maxLogBytesPerJob: number;
  maxFindingsPerMr: number;
  /** GitLab's note limit is 1,000,000 characters. */
  maxCommentChars: number;
  /** Largest file read from GitLab when no narrower bound applies (bytes, enforced while downloading). */
  maxFileBytes: number;
  /** Largest `.gitlab/ci-medic.yml` read; a larger one is ignored and the summary says so. */
  maxSettingsBytes: number;
  /** Files (CI files, includes, Dockerfiles) read from GitLab per task. */
  maxFilesPerReview: number;
  /** Dockerfiles read per task. */
  maxDockerfilesPerReview: number;
  /** Failed jobs whose logs are read per pipeline. */
  maxFailedJobsPerPipeline: number;
  /** Longest silence between two chunks of a GitLab response body. */
  httpIdleTimeoutMs: number;
  /** Longest one GitLab request attempt may take, whole body included. */
  httpTotalTimeoutMs: number;
  /** Time one review analysis may run in its worker thread before it is stopped (optional: older callers). */
  analysisTimeoutMs?: number;
}

export interface Config {
  gitlabUrl: string;
  gitlabToken: string;
  webhookSecret: string;
  /** Standard-Webhooks signing token (`whsec_...`); when set, signatures are verified. */
  webhookSigningSecret?: string;
  port: number;
  host: string;
  dataDir: string;
  logLevel: LogLevel;
  redisUrl?: string;
  /** Namespace of ci-medic's Redis keys, so several installations can share one Redis. */
  redisPrefix: string;
  rulesDir?: string;
  /** Numeric project ids and path prefixes (`acme/` = a group); empty = every project. */
  allowedProjects: string[];
  reconcileIntervalSeconds: number;
  maxAttempts: number;
  concurrency: number;
  /** Bound on graceful shutdown: running tasks get this long, the rest are re-queued. */
  shutdownTimeoutMs: number;
  /** First delay before a failed task runs again (doubles per attempt, with jitter). */
  retryBaseMs?: number;
  /** First delay before a failed GitLab call is repeated (when GitLab gives no Retry-After). */
  gitlabRetryBaseMs?: number;
  /** The bot's GitLab user id, when known up front (otherwise discovered via /user). */
  botUserId?: number;
  /** Longest wait between task retries (RETRY_MAX_DELAY_MS). */
  retryMaxDelayMs?: number;
  /** GitLab-unavailable failures are retried for this long before a dead letter (RETRY_MAX_AGE_HOURS). */
  retryMaxAgeMs?: number;
  /** Dead-letter a task that was running at this many process deaths in a row (POISON_CRASH_LIMIT). */
  crashLimit?: number;
  /** Done/dead entries, results and delivery ids are kept this long (HISTORY_MAX_AGE_HOURS)... */
  historyMaxAgeMs?: number;
  /** ...and at most this many of each (HISTORY_MAX_ENTRIES). */
  historyMaxEntries?: number;
  /** SQLite `synchronous` of the task store (SQLITE_SYNCHRONOUS): FULL survives power loss. */
  sqliteSynchronous?: 'FULL' | 'NORMAL' | 'EXTRA';
  limits: Limits;
}

export class ConfigError extends Error {
  readonly code = 'CIM_ERR_CONFIG';
  constructor(readonly variable: string, message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const MIB = 1024 * 1024;

function fail(variable: string, message: string): never {
  throw new ConfigError(variable, message);
}

/** One-line, bounded rendering of a user-supplied value for an error message. */
function shown(value: string): string {
  const oneLine = value.replace(/[\r\n\t]/g, ' ');
  return JSON.stringify(oneLine.length > 60 ? `${oneLine.slice(0, 60)}...` : oneLine);
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') fail(name, `${name} is not set`);
  return value;
}

function optional(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    fail(name, `${name} must be an integer ${min}-${max}, got ${shown(raw)}`);
  }
  return Number(raw);
}

/** A positive decimal number (hours may be fractional, e.g. 0.01 for tests). */
function decimal(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+(\.\d+)?$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    fail(name, `${name} must be a number ${min}-${max}, got ${shown(raw)}`);
  }
  return Number(raw);
}

function sqliteSynchronous(env: NodeJS.ProcessEnv): 'FULL' | 'NORMAL' | 'EXTRA' {
  const raw = (optional(env, 'SQLITE_SYNCHRONOUS') ?? 'FULL').toUpperCase();
  if (raw !== 'FULL' && raw !== 'NORMAL' && raw !== 'EXTRA') fail('SQLITE_SYNCHRONOUS', `SQLITE_SYNCHRONOUS must be FULL, NORMAL or EXTRA, got ${shown(raw)}`);
  return raw;
}

/** Queue reliability and history settings, shared by `serve` and `ci-medic tasks`. */
function queueSettings(env: NodeJS.ProcessEnv): Pick<Config, 'retryMaxDelayMs' | 'retryMaxAgeMs' | 'crashLimit' | 'historyMaxAgeMs' | 'historyMaxEntries' | 'sqliteSynchronous'> {
  return {
    retryMaxDelayMs: integer(env, 'RETRY_MAX_DELAY_MS', 10 * 60_000, 1, 24 * 3600_000),
    retryMaxAgeMs: Math.round(decimal(env, 'RETRY_MAX_AGE_HOURS', 24, 0.0001, 24 * 365) * 3600_000),
    crashLimit: integer(env, 'POISON_CRASH_LIMIT', 3, 1, 1000),
    historyMaxAgeMs: Math.round(decimal(env, 'HISTORY_MAX_AGE_HOURS', 7 * 24, 0.0001, 24 * 3650) * 3600_000),
    historyMaxEntries: integer(env, 'HISTORY_MAX_ENTRIES', 10_000, 1, 100_000_000),
    sqliteSynchronous: sqliteSynchronous(env),
  };
}

function gitlabUrl(env: NodeJS.ProcessEnv): string {
  const raw = required(env, 'GITLAB_URL').trim();
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    fail('GITLAB_URL', `GITLAB_URL must be an http(s) URL, got ${shown(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    fail('GITLAB_URL', `GITLAB_URL must be an http(s) URL, got ${shown(raw)}`);
  }
  if (url.username || url.password || url.search || url.hash) {
    fail('GITLAB_URL', 'GITLAB_URL must not carry credentials, a query or a fragment');
  }
  return trimTrailing(raw, '/');
}

function redisPrefix(env: NodeJS.ProcessEnv): string {
  const raw = optional(env, 'REDIS_PREFIX') ?? 'ci-medic';
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(raw)) fail('REDIS_PREFIX', `REDIS_PREFIX must be 1-64 letters, digits or _.:-, got ${shown(raw)}`);
  return raw;
}

function redisUrl(env: NodeJS.ProcessEnv): string | undefined {
  const raw = optional(env, 'REDIS_URL');
  if (raw === undefined) return undefined;
  let ok = false;
  try {
    ok = ['redis:', 'rediss:'].includes(new URL(raw).protocol);
  } catch { /* reported below */ }
  // The URL may hold a password: do not echo it.
  if (!ok) fail('REDIS_URL', 'REDIS_URL must be a redis:// or rediss:// URL');
  return raw;
}

function allowedProjects(env: NodeJS.ProcessEnv): string[] {
  const raw = optional(env, 'ALLOWED_PROJECTS');
  if (raw === undefined) return [];
  const entries = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const entry of entries) {
    if (!/^(\d+|[\w.-]+(\/[\w.-]+)*\/?)$/.test(entry)) {
      fail('ALLOWED_PROJECTS', `ALLOWED_PROJECTS entries must be project ids or paths like acme/ or acme/web-app, got ${shown(entry)}`);
    }
  }
  return entries;
}

function logLevel(env: NodeJS.ProcessEnv): LogLevel {
  const raw = optional(env, 'LOG_LEVEL') ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
    fail('LOG_LEVEL', `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${shown(raw)}`);
  }
  return raw as LogLevel;
}

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const url = gitlabUrl(env);
  const gitlabToken = required(env, 'GITLAB_TOKEN').trim();
  const webhookSecret = required(env, 'WEBHOOK_SECRET');
  const botUser = optional(env, 'BOT_USER_ID');
  const config: Config = {
    gitlabUrl: url,
    gitlabToken,
    webhookSecret,
    webhookSigningSecret: optional(env, 'WEBHOOK_SIGNING_SECRET'),
    port: integer(env, 'PORT', 8080, 0, 65535),
    host: optional(env, 'HOST') ?? '0.0.0.0',
    dataDir: path.resolve(optional(env, 'DATA_DIR') ?? './data'),
    logLevel: logLevel(env),
    redisUrl: redisUrl(env),
    redisPrefix: redisPrefix(env),
    rulesDir: optional(env, 'RULES_DIR'),
    allowedProjects: allowedProjects(env),
    reconcileIntervalSeconds: integer(env, 'RECONCILE_INTERVAL_SECONDS', 300, 0, 7 * 24 * 3600),
    maxAttempts: integer(env, 'MAX_ATTEMPTS', 8, 1, 1000),
    concurrency: integer(env, 'CONCURRENCY', 4, 1, 256),
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_SECONDS', 20, 0, 3600) * 1000,
    retryBaseMs: integer(env, 'RETRY_BASE_MS', 2000, 1, 3600_000),
    gitlabRetryBaseMs: integer(env, 'GITLAB_RETRY_BASE_MS', 250, 1, 60_000),
    botUserId: botUser === undefined ? undefined : integer(env, 'BOT_USER_ID', 0, 1, Number.MAX_SAFE_INTEGER),
    ...queueSettings(env),
    limits: {
      maxBodyBytes: integer(env, 'MAX_BODY_BYTES', 25 * MIB, 1024, 1024 * MIB),
      maxYamlBytes: integer(env, 'MAX_YAML_BYTES', 1 * MIB, 1024, 256 * MIB),
      maxYamlAliases: integer(env, 'MAX_YAML_ALIASES', 100, 0, 1_000_000),
      maxDockerfileBytes: integer(env, 'MAX_DOCKERFILE_BYTES', 1 * MIB, 1024, 256 * MIB),
      maxLogBytesPerJob: integer(env, 'MAX_LOG_BYTES_PER_JOB', 100 * MIB, 1024, 64 * 1024 * MIB),
      maxFindingsPerMr: integer(env, 'MAX_FINDINGS_PER_MR', 50, 1, 10_000),
      maxCommentChars: integer(env, 'MAX_COMMENT_CHARS', 1_000_000, 1000, 1_000_000),
      maxFileBytes: integer(env, 'MAX_FILE_BYTES', 10 * MIB, 1024, 1024 * MIB),
      maxSettingsBytes: integer(env, 'MAX_SETTINGS_BYTES', 64 * 1024, 256, 16 * MIB),
      maxFilesPerReview: integer(env, 'MAX_FILES_PER_REVIEW', 200, 1, 100_000),
      maxDockerfilesPerReview: integer(env, 'MAX_DOCKERFILES_PER_REVIEW', 20, 0, 10_000),
      maxFailedJobsPerPipeline: integer(env, 'MAX_FAILED_JOBS_PER_PIPELINE', 20, 1, 10_000),
      httpIdleTimeoutMs: integer(env, 'HTTP_IDLE_TIMEOUT_MS', 30_000, 10, 3600_000),
      httpTotalTimeoutMs: integer(env, 'HTTP_TOTAL_TIMEOUT_MS', 300_000, 10, 24 * 3600_000),
      analysisTimeoutMs: integer(env, 'ANALYSIS_TIMEOUT_MS', 20_000, 1, 24 * 3600_000),
    },
  };
  return config;
}

/** What a command that only talks to GitLab needs (`ci-medic hooks`). */
export function loadGitlabAccess(env: NodeJS.ProcessEnv): Pick<Config, 'gitlabUrl' | 'gitlabToken'> {
  return { gitlabUrl: gitlabUrl(env), gitlabToken: required(env, 'GITLAB_TOKEN').trim() };
}

/** The GitLab client's transfer bounds from the configuration. */
export function transferOptions(limits: Limits): { idleTimeoutMs: number; totalTimeoutMs: number; maxFileBytes: number } {
  return { idleTimeoutMs: limits.httpIdleTimeoutMs, totalTimeoutMs: limits.httpTotalTimeoutMs, maxFileBytes: limits.maxFileBytes };
}

/** The settings that locate the task store, without requiring the GitLab ones (`ci-medic tasks`). */
export type QueueConfig = Pick<Config, 'dataDir' | 'redisUrl' | 'redisPrefix' | 'maxAttempts' | 'concurrency'>
  & Pick<Config, 'retryMaxDelayMs' | 'retryMaxAgeMs' | 'crashLimit' | 'historyMaxAgeMs' | 'historyMaxEntries' | 'sqliteSynchronous'>;

export function loadQueueConfig(env: NodeJS.ProcessEnv): QueueConfig {
  return {
    dataDir: path.resolve(optional(env, 'DATA_DIR') ?? './data'),
    redisUrl: redisUrl(env),
    redisPrefix: redisPrefix(env),
    maxAttempts: integer(env, 'MAX_ATTEMPTS', 8, 1, 1000),
    concurrency: integer(env, 'CONCURRENCY', 4, 1, 256),
    ...queueSettings(env),
  };
}

/** Where the SQLite queue file lives. */
export function queueDbPath(config: Pick<Config, 'dataDir'>): string {
  return path.join(config.dataDir, 'ci-medic.sqlite');
}
