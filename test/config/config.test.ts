import path from 'node:path';
import t from 'tap';
import { ConfigError, loadConfig, loadQueueConfig } from '../../src/config.js';

const BASE = { GITLAB_URL: 'https://gitlab.example.test/', GITLAB_TOKEN: 'glpat-secret-token-value', WEBHOOK_SECRET: 'hook-secret' };

function problem(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

t.test('defaults', async (t) => {
  const config = loadConfig(BASE);
  t.equal(config.gitlabUrl, 'https://gitlab.example.test', 'trailing slash stripped');
  t.equal(config.port, 8080);
  t.equal(config.host, '0.0.0.0');
  t.equal(config.dataDir, path.resolve('./data'));
  t.equal(config.logLevel, 'info');
  t.equal(config.redisUrl, undefined);
  t.same(config.allowedProjects, []);
  t.equal(config.reconcileIntervalSeconds, 300);
  t.equal(config.maxAttempts, 8);
  t.equal(config.concurrency, 4);
  t.equal(config.limits.maxBodyBytes, 25 * 1024 * 1024);
});

t.test('explicit values', async (t) => {
  const config = loadConfig({
    ...BASE, GITLAB_URL: 'http://gitlab.local:8929/gitlab//', PORT: '0', HOST: '127.0.0.1', DATA_DIR: '/tmp/cim', LOG_LEVEL: 'debug',
    REDIS_URL: 'redis://127.0.0.1:6379/2', RULES_DIR: '/etc/ci-medic/rules', ALLOWED_PROJECTS: '42, acme/ ,acme/web-app',
    RECONCILE_INTERVAL_SECONDS: '0', MAX_ATTEMPTS: '3', MAX_BODY_BYTES: '1048576', WEBHOOK_SIGNING_SECRET: 'whsec_abc',
  });
  t.equal(config.gitlabUrl, 'http://gitlab.local:8929/gitlab');
  t.equal(config.port, 0, 'port 0 allowed (tests)');
  t.equal(config.dataDir, '/tmp/cim');
  t.same(config.allowedProjects, ['42', 'acme/', 'acme/web-app']);
  t.equal(config.reconcileIntervalSeconds, 0);
  t.equal(config.maxAttempts, 3);
  t.equal(config.limits.maxBodyBytes, 1048576);
  t.equal(config.redisUrl, 'redis://127.0.0.1:6379/2');
  t.equal(config.webhookSigningSecret, 'whsec_abc');
});

const cases: [string, NodeJS.ProcessEnv, string, string][] = [
  ['missing GITLAB_URL', { ...BASE, GITLAB_URL: undefined }, 'GITLAB_URL', 'GITLAB_URL is not set'],
  ['blank GITLAB_TOKEN', { ...BASE, GITLAB_TOKEN: '  ' }, 'GITLAB_TOKEN', 'GITLAB_TOKEN is not set'],
  ['missing WEBHOOK_SECRET', { ...BASE, WEBHOOK_SECRET: undefined }, 'WEBHOOK_SECRET', 'WEBHOOK_SECRET is not set'],
  ['non-URL GITLAB_URL', { ...BASE, GITLAB_URL: 'gitlab.example.test' }, 'GITLAB_URL', 'GITLAB_URL must be an http(s) URL, got "gitlab.example.test"'],
  ['ftp GITLAB_URL', { ...BASE, GITLAB_URL: 'ftp://gitlab.example.test' }, 'GITLAB_URL', 'GITLAB_URL must be an http(s) URL, got "ftp://gitlab.example.test"'],
  ['PORT text', { ...BASE, PORT: 'abc' }, 'PORT', 'PORT must be an integer 0-65535, got "abc"'],
  ['PORT too big', { ...BASE, PORT: '70000' }, 'PORT', 'PORT must be an integer 0-65535, got "70000"'],
  ['PORT negative', { ...BASE, PORT: '-1' }, 'PORT', 'PORT must be an integer 0-65535, got "-1"'],
  ['LOG_LEVEL', { ...BASE, LOG_LEVEL: 'verbose' }, 'LOG_LEVEL', 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"'],
  ['MAX_ATTEMPTS 0', { ...BASE, MAX_ATTEMPTS: '0' }, 'MAX_ATTEMPTS', 'MAX_ATTEMPTS must be an integer 1-1000, got "0"'],
  ['RECONCILE text', { ...BASE, RECONCILE_INTERVAL_SECONDS: '5m' }, 'RECONCILE_INTERVAL_SECONDS', 'RECONCILE_INTERVAL_SECONDS must be an integer 0-604800, got "5m"'],
  ['ALLOWED_PROJECTS', { ...BASE, ALLOWED_PROJECTS: '42,acme/*' }, 'ALLOWED_PROJECTS', 'ALLOWED_PROJECTS entries must be project ids or paths like acme/ or acme/web-app, got "acme/*"'],
  ['REDIS_URL', { ...BASE, REDIS_URL: 'http://user:hunter2@redis' }, 'REDIS_URL', 'REDIS_URL must be a redis:// or rediss:// URL'],
];

for (const [name, env, variable, message] of cases) {
  t.test(`error: ${name}`, async (t) => {
    const err = problem(env);
    t.equal(err.variable, variable);
    t.equal(err.message, message);
    t.notMatch(err.message, /\n/, 'one line');
    t.notMatch(err.message, /glpat-secret-token-value|hunter2|hook-secret/, 'no secret in the message');
  });
}

t.test('GITLAB_URL with credentials is refused without echoing them', async (t) => {
  const err = problem({ ...BASE, GITLAB_URL: 'https://root:hunter2@gitlab.example.test' });
  t.equal(err.variable, 'GITLAB_URL');
  t.notMatch(err.message, /hunter2/);
});

t.test('a multi-line value is shown on one line, shortened', async (t) => {
  const err = problem({ ...BASE, PORT: `80\n${'x'.repeat(200)}` });
  t.notMatch(err.message, /\n/);
  t.ok(err.message.length < 160);
});

t.test('queue config needs no GitLab settings', async (t) => {
  t.same(loadQueueConfig({ DATA_DIR: '/tmp/q' }), {
    dataDir: '/tmp/q', redisUrl: undefined, redisPrefix: 'ci-medic', maxAttempts: 8, concurrency: 4,
    retryMaxDelayMs: 600_000, retryMaxAgeMs: 24 * 3600_000, crashLimit: 3, historyMaxAgeMs: 7 * 24 * 3600_000, historyMaxEntries: 10_000, sqliteSynchronous: 'FULL',
  });
  t.equal(loadQueueConfig({ DATA_DIR: '/tmp/q', REDIS_PREFIX: 'team-a' }).redisPrefix, 'team-a');
  t.throws(() => loadQueueConfig({ REDIS_PREFIX: 'bad prefix*' }), /REDIS_PREFIX must be/);
  t.throws(() => loadQueueConfig({ REDIS_URL: 'nope' }), ConfigError);
});

t.test('retry, poison and history settings', async (t) => {
  const c = loadQueueConfig({ RETRY_MAX_AGE_HOURS: '0.5', RETRY_MAX_DELAY_MS: '30000', POISON_CRASH_LIMIT: '5', HISTORY_MAX_AGE_HOURS: '1', HISTORY_MAX_ENTRIES: '20', SQLITE_SYNCHRONOUS: 'normal' });
  t.same([c.retryMaxAgeMs, c.retryMaxDelayMs, c.crashLimit, c.historyMaxAgeMs, c.historyMaxEntries, c.sqliteSynchronous], [1800_000, 30_000, 5, 3600_000, 20, 'NORMAL']);
  t.throws(() => loadQueueConfig({ RETRY_MAX_AGE_HOURS: 'forever' }), /RETRY_MAX_AGE_HOURS must be a number/);
  t.throws(() => loadQueueConfig({ POISON_CRASH_LIMIT: '0' }), /POISON_CRASH_LIMIT must be an integer 1-1000/);
  t.throws(() => loadQueueConfig({ SQLITE_SYNCHRONOUS: 'OFF' }), /SQLITE_SYNCHRONOUS must be FULL, NORMAL or EXTRA/);
});
