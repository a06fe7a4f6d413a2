// `ci-medic serve`: run the webhook service until SIGTERM/SIGINT, then shut down in order.
import { ConfigError, loadConfig, transferOptions } from '../config.js';
import { startService } from '../service.js';
import { GitlabClient } from '../gitlab/client.js';
import { createTokenHealth } from '../server/token-health.js';
import { createTaskHandler, startReconciler } from '../workflows/index.js';
import { UsageError, type CliCommand } from './io.js';

export const USAGE = 'usage: ci-medic serve   (configured by environment: GITLAB_URL, GITLAB_TOKEN, WEBHOOK_SECRET, PORT, HOST, DATA_DIR, LOG_LEVEL, REDIS_URL, ...)';

export const serve: CliCommand = async (argv, io) => {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (argv.length > 0) throw new UsageError(`unexpected argument '${argv[0]}'\n${USAGE}`);
  let config;
  try {
    config = loadConfig(io.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr.write(`ci-medic: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const client = new GitlabClient({
    host: config.gitlabUrl, token: config.gitlabToken, ...transferOptions(config.limits),
    ...(config.gitlabRetryBaseMs !== undefined ? { policy: { baseDelayMs: config.gitlabRetryBaseMs } } : {}),
  });
  let botUserId = config.botUserId;
  const service = await startService(config, {
    createHandler: ({ config: c, queue, logger }) => createTaskHandler(c, { queue, logger, client }),
    botUserId: () => botUserId,
    // Uncached on purpose (currentUser() caches): readiness must see a token revoked after start.
    gitlabToken: createTokenHealth({ probe: () => client.api.Users.showCurrentUser() }),
    background: ({ config: c, queue, logger }) => c.reconcileIntervalSeconds > 0
      ? startReconciler({ client, queue, allowedProjects: c.allowedProjects, intervalSeconds: c.reconcileIntervalSeconds, logger })
      : undefined,
  });
  // The bot's own notes must be ignored; learn its id unless configured (BOT_USER_ID).
  if (botUserId === undefined) {
    client.currentUser().then(
      (user) => { botUserId ??= user.id; },
      (err: unknown) => service.logger.warn({ err: (err as Error).message }, 'could not read the bot user (GET /user); its own notes are not filtered'),
    );
  }
  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      service.logger.info({ signal }, 'shutting down');
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      resolve();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  await service.stop();
  // Whatever still holds the event loop (a stuck socket) must not keep a stopped service alive.
  setTimeout(() => process.exit(0), 2_000).unref();
  return 0;
};
