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

// The keywords each job, trigger job and section accepts live in validate/ (one module per family).

export const DEFAULT_STAGES = ['.pre', 'build', 'test', 'deploy', '.post'];
