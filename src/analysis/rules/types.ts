// Rule metadata (rules/<id>.yml) and the static-check contract.
import type { Finding, Severity } from '../types.js';
import type { CiConfig, EffectiveJob } from '../ci-config/types.js';
import type { DockerfileModel } from '../dockerfile/types.js';
import type { DockerBuild } from '../shell/types.js';

/** One log pattern. `regex` is a JavaScript RegExp source matched against one normalised log line. */
export interface LogLinePattern {
  regex: string;
  /** 'i' only; no other flags (patterns must stay linear-time). */
  flags?: string;
}

/**
 * A pattern that fires on one line (`match`) or on an ordered sequence:
 * `after` must be seen first, then `match` within `within` lines.
 */
export interface LogPattern {
  id: string;
  match: LogLinePattern;
  after?: LogLinePattern;
  within?: number;
  /** Only lines from these sections count (e.g. ['step_script']); default: all. */
  sections?: string[];
  /** Higher wins when ordering causes; default 50. */
  confidence?: number;
}

export interface RuleMeta {
  id: string;
  title: string;
  severity: Severity;
  /** Markdown: the cause in two or three sentences. */
  explain: string;
  docs: string;
  /** BuildKit check name, when the rule mirrors one. */
  buildkit?: string;
  /** Where the rule can see the problem. */
  seenIn: Array<'files' | 'log' | 'event'>;
  log?: LogPattern[];
  /** File the metadata came from. */
  source: string;
}

/** A `docker build` in a job, tied to the Dockerfile it builds (when it could be read). */
export interface JobBuild {
  job: EffectiveJob;
  build: DockerBuild;
  /** Repository path of the Dockerfile (resolved from -f and the context). */
  dockerfilePath: string;
  dockerfile?: DockerfileModel;
}

export interface CheckContext {
  ci?: CiConfig;
  /** Every Dockerfile available, by repository path. */
  dockerfiles: Map<string, DockerfileModel>;
  /** Every docker build found in the jobs, linked to its Dockerfile. */
  builds: JobBuild[];
  /** Build args given on the command line (`ci-medic lint --build-arg`) for Dockerfiles linted alone. */
  cliBuildArgs?: Map<string, string>;
  meta: (ruleId: string) => RuleMeta;
}

export interface StaticCheck {
  ruleId: string;
  run(ctx: CheckContext): Finding[];
}
