// Keyword lists from GitLab's config entries (lib/gitlab/ci/config/entry/{root,job,bridge,processable,default}.rb).

/** Top-level keys that are not jobs. */
export const RESERVED_TOP_LEVEL = new Set([
  'default', 'include', 'stages', 'types', 'variables', 'workflow', 'spec',
  'image', 'services', 'cache', 'before_script', 'after_script',
]);

/** Legacy top-level globals that act like `default:` (GitLab refuses the same key in both). */
export const LEGACY_GLOBAL_KEYS = ['image', 'services', 'cache', 'before_script', 'after_script'] as const;

/** Keys a job inherits from `default:` (unless `inherit: default:` says otherwise). */
export const DEFAULT_KEYS = new Set([
  'after_script', 'artifacts', 'before_script', 'cache', 'hooks', 'id_tokens', 'identity',
  'image', 'interruptible', 'retry', 'services', 'tags', 'timeout',
]);

/** Every keyword a job (or trigger job) may use; EE-only ones included so they are not flagged. */
export const JOB_KEYWORDS = new Set([
  // Job::ALLOWED_KEYS
  'tags', 'script', 'image', 'services', 'start_in', 'artifacts', 'cache', 'dependencies',
  'before_script', 'after_script', 'hooks', 'coverage', 'retry', 'parallel', 'timeout', 'release',
  'id_tokens', 'publish', 'pages', 'manual_confirmation', 'run',
  // Processable::PROCESSABLE_ALLOWED_KEYS
  'extends', 'stage', 'only', 'except', 'rules', 'variables', 'inherit', 'allow_failure', 'when',
  'needs', 'resource_group', 'environment', 'interruptible',
  // Bridge and EE
  'trigger', 'secrets', 'dast_configuration', 'identity', 'environment',
]);

export const DEFAULT_STAGES = ['.pre', 'build', 'test', 'deploy', '.post'];
