// What every workflow receives, and what it reports back for the task log line.
import type { RuleMeta } from '../analysis/rules/types.js';
import type { Config } from '../config.js';
import type { GitlabClient } from '../gitlab/client.js';
import type { Logger } from '../logger.js';
import type { TaskQueue } from '../queue/types.js';

export interface WorkflowContext {
  config: Pick<Config, 'limits'> & Partial<Config>;
  client: GitlabClient;
  queue: TaskQueue;
  logger: Logger;
  /** Built-in rules plus RULES_DIR, loaded once at start. */
  rules: RuleMeta[];
  /** This attempt's abort signal: shutdown gave up on it, or its MR lease was lost. Pass it to GitLab requests. */
  signal?: AbortSignal;
}

export interface WorkflowOutcome {
  /** reviewed, diagnosed, skipped, no-ci-change, not-found, stale... */
  outcome: string;
  reason?: string;
  details?: Record<string, unknown>;
}
