// The two seed scenarios as a fake GitLab world (projects, MRs with base/head files, failed
// pipelines with real-looking runner logs), plus an in-process ci-medic service pointed at it.
// Shared by `npm run demo` and the end-to-end tests.
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../src/analysis/rules/load-files.js';
import { loadConfig, transferOptions, type Config } from '../../src/config.js';
import { GitlabClient } from '../../src/gitlab/client.js';
import { createLogger } from '../../src/logger.js';
import type { QueueStats } from '../../src/queue/types.js';
import { startService, type RunningService } from '../../src/service.js';
import { createTaskHandler, startReconciler } from '../../src/workflows/index.js';
import { startFakeGitlab, type FakeGitlab } from '../fake-gitlab/index.js';
import { waitForIdleQueue } from '../helpers/queue-idle.js';
import type { MrInfo, ProjectInfo } from '../fake-gitlab/payloads.js';

export const GITLAB_TOKEN = 'glpat-demo-bot-token-000000';
export const WEBHOOK_SECRET = 'demo-webhook-secret-0123456789';
export const BOT_ID = 99;

export const seedFile = (name: string) => readFileSync(join(repoRoot(), 'test', 'fixtures', 'seeds', name), 'utf8');
export const logFile = (name: string) => readFileSync(join(repoRoot(), 'test', 'fixtures', 'logs', name), 'utf8');

const sha = (seed: string) => (seed.repeat(40)).slice(0, 40);

export interface Scenario {
  project: ProjectInfo;
  mr: MrInfo & { title: string };
  baseSha: string;
  pipeline: { id: number; jobs: Array<{ id: number; name: string; stage: string; status: 'failed' | 'success'; log: string }> };
}

/** Seed 1: `docker push` to the GitLab registry without `docker login`. */
export const REGISTRY: Scenario = {
  project: { id: 42, path: 'acme/web-app' },
  mr: { iid: 1, sourceBranch: 'ci/docker-build', headSha: sha('a1b2c3d4'), title: 'Build and push the app image in CI' },
  baseSha: sha('0a0b0c0d'),
  pipeline: {
    id: 1001,
    jobs: [
      { id: 5001, name: 'test', stage: 'test', status: 'success', log: '$ npm test\nok\nJob succeeded\n' },
      { id: 5002, name: 'build', stage: 'build', status: 'failed', log: '' },
    ],
  },
};

/** Seed 2: `FROM $CI_REGISTRY_IMAGE:$CI_COMMIT_BEFORE_SHA`: CI variables do not exist in a Dockerfile. */
export const FROM_ARG: Scenario = {
  project: { id: 43, path: 'acme/model-server' },
  mr: { iid: 2, sourceBranch: 'ci/base-image', headSha: sha('b2c3d4e5'), title: 'Build the model server on our own base image' },
  baseSha: sha('0e0f0102'),
  pipeline: { id: 2001, jobs: [{ id: 6001, name: 'build', stage: 'build', status: 'failed', log: '' }] },
};

/** Adds both seed projects, their MRs (base and head files) and failed pipelines to the fake. */
export function seedWorld(fake: FakeGitlab): void {
  REGISTRY.pipeline.jobs[1]!.log = logFile('seed-registry/job.log');
  FROM_ARG.pipeline.jobs[0]!.log = logFile('seed-dockerfile/job.log');

  fake.addProject(REGISTRY.project);
  fake.addMergeRequest({
    project: REGISTRY.project.id, iid: REGISTRY.mr.iid, sourceBranch: REGISTRY.mr.sourceBranch, title: REGISTRY.mr.title,
    baseSha: REGISTRY.baseSha, headSha: REGISTRY.mr.headSha,
    files: [
      { path: '.gitlab-ci.yml', oldText: seedFile('registry-login.base.gitlab-ci.yml'), newText: seedFile('registry-login.gitlab-ci.yml') },
      { path: 'Dockerfile', newText: seedFile('registry-login.Dockerfile') },
    ],
  });

  fake.addProject(FROM_ARG.project);
  fake.addMergeRequest({
    project: FROM_ARG.project.id, iid: FROM_ARG.mr.iid, sourceBranch: FROM_ARG.mr.sourceBranch, title: FROM_ARG.mr.title,
    baseSha: FROM_ARG.baseSha, headSha: FROM_ARG.mr.headSha,
    files: [
      { path: '.gitlab-ci.yml', newText: seedFile('from-arg.gitlab-ci.yml') },
      { path: 'Dockerfile', oldText: seedFile('from-arg.base.Dockerfile'), newText: seedFile('from-arg.Dockerfile') },
    ],
  });

  for (const s of [REGISTRY, FROM_ARG]) {
    fake.addPipeline({
      project: s.project.id, id: s.pipeline.id, sha: s.mr.headSha, ref: s.mr.sourceBranch, status: 'failed',
      jobs: s.pipeline.jobs.map((j) => ({ id: j.id, name: j.name, stage: j.stage, status: j.status, allow_failure: false, trace: j.log })),
    });
  }
}

export interface Harness {
  fake: FakeGitlab;
  service: RunningService;
  config: Config;
  /** POST target for webhooks. */
  hookUrl: string;
  /** Resolves once no task is pending, running or waiting for a retry. */
  idle(timeoutMs?: number): Promise<QueueStats>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  /** Also run the reconciler (at start only unless RECONCILE_INTERVAL_SECONDS is set). */
  reconciler?: boolean;
  /** Add things to the fake before the service starts. */
  seed?: (fake: FakeGitlab) => void;
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const fake = await startFakeGitlab({ token: GITLAB_TOKEN, botUser: { id: BOT_ID, username: 'ci-medic' } });
  opts.seed?.(fake);
  const dataDir = mkdtempSync(join(tmpdir(), 'ci-medic-e2e-'));
  const config = loadConfig({
    GITLAB_URL: fake.url, GITLAB_TOKEN, WEBHOOK_SECRET, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir,
    LOG_LEVEL: 'silent', RECONCILE_INTERVAL_SECONDS: '0', BOT_USER_ID: String(BOT_ID), ...opts.env,
  });
  const logger = createLogger({ level: config.logLevel });
  // Fast GitLab retries: the fake answers at once, faults are injected on purpose.
  const client = new GitlabClient({ host: config.gitlabUrl, token: config.gitlabToken, ...transferOptions(config.limits), policy: { baseDelayMs: 5, maxDelayMs: 50, maxTotalMs: 2_000 } });
  let service: RunningService;
  try {
    service = await startService(config, {
      logger,
      createHandler: ({ config: c, queue, logger: l }) => createTaskHandler(c, { queue, logger: l, client }),
      queueOptions: { backoff: { baseMs: 20, maxMs: 200 }, pollIntervalMs: 20, maxAttempts: 5 },
      ...(opts.reconciler
        ? { background: ({ config: c, queue, logger: l }) => startReconciler({
            client, queue, allowedProjects: c.allowedProjects, intervalSeconds: c.reconcileIntervalSeconds, logger: l,
            // The fake's clock is fixed in 2025: look back far enough to see its MRs.
            initialLookbackMs: 10 * 365 * 24 * 3600_000,
          }) }
        : {}),
    });
  } catch (err) {
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const idle = (timeoutMs = 20_000): Promise<QueueStats> => waitForIdleQueue(service.queue, timeoutMs);
  return {
    fake, service, config, hookUrl: `${service.url}/webhooks/gitlab`, idle,
    async close() {
      await service.stop();
      await fake.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
