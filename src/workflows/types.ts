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
}

export interface WorkflowOutcome {
  /** reviewed, diagnosed, skipped, no-ci-change, not-found, stale... */
  outcome: string;
  reason?: string;
  details?: Record<string, unknown>;
}
