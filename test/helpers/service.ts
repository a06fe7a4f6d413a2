// The real service in-process against a fake GitLab, with the queue and retry settings a test
// needs (the e2e harness in test/demo/world.ts fixes them).
import type { Test } from 'tap';
import { GitlabClient } from '../../src/gitlab/client.js';
import { createLogger } from '../../src/logger.js';
import type { QueueOptions, QueueStats, TaskHandler } from '../../src/queue/types.js';
import { startService, type RunningService } from '../../src/service.js';
import { createTaskHandler, startReconciler } from '../../src/workflows/index.js';
import { startFakeGitlab, type FakeGitlab } from '../fake-gitlab/index.js';
import { waitForIdleQueue } from './queue-idle.js';
import { testConfig, tempDir, TEST_SECRET, TEST_TOKEN } from './config.js';
import { BOT_ID } from './world.js';

export interface InProcess {
  fake: FakeGitlab;
  service: RunningService;
  dataDir: string;
  hookUrl: string;
  /** Resolves once nothing is pending, running or waiting for a retry. */
  idle(timeoutMs?: number): Promise<QueueStats>;
}

export interface InProcessOptions {
  env?: Record<string, string>;
  queue?: Partial<QueueOptions>;
  seed?: (fake: FakeGitlab) => void;
  /** Run the reconciler at start (looking back far enough for the fake's fixed 2025 clock). */
  reconciler?: boolean;
  /** Reuse a fake (restarts) instead of starting one. */
  fake?: FakeGitlab;
  dataDir?: string;
  /** Wrap the task handler (to observe runs). */
  wrap?: (handler: TaskHandler) => TaskHandler;
}

export async function startInProcess(t: Test, opts: InProcessOptions = {}): Promise<InProcess> {
  const fake = opts.fake ?? (await startFakeGitlab({ token: TEST_TOKEN, botUser: { id: BOT_ID, username: 'ci-medic' } }));
  if (!opts.fake) t.teardown(() => fake.close());
  opts.seed?.(fake);
  let dataDir = opts.dataDir;
  if (!dataDir) {
    const tmp = tempDir('cim-rel-');
    t.teardown(tmp.cleanup);
    dataDir = tmp.dir;
  }
  const config = testConfig({ GITLAB_URL: fake.url, DATA_DIR: dataDir, BOT_USER_ID: String(BOT_ID), ...opts.env });
  const logger = createLogger({ level: config.logLevel });
  const client = new GitlabClient({ host: config.gitlabUrl, token: config.gitlabToken, policy: { baseDelayMs: 5, maxDelayMs: 50, maxTotalMs: 5_000 } });
  const service = await startService(config, {
    logger,
    createHandler: ({ config: c, queue, logger: l }) => {
      const handler = createTaskHandler(c, { queue, logger: l, client });
      return opts.wrap ? opts.wrap(handler) : handler;
    },
    queueOptions: { backoff: { baseMs: 20, maxMs: 200 }, pollIntervalMs: 20, maxAttempts: 20, ...opts.queue },
    ...(opts.reconciler
      ? { background: ({ config: c, queue, logger: l }) => startReconciler({
          client, queue, allowedProjects: c.allowedProjects, intervalSeconds: Math.max(1, c.reconcileIntervalSeconds), logger: l,
          initialLookbackMs: 10 * 365 * 24 * 3600_000,
        }) }
      : {}),
  });
  t.teardown(() => service.stop());
  const idle = (timeoutMs = 30_000): Promise<QueueStats> => waitForIdleQueue(service.queue, timeoutMs);
  return { fake, service, dataDir, hookUrl: `${service.url}/webhooks/gitlab`, idle };
}

export { TEST_SECRET };
