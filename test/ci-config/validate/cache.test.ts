import { job, runTable } from './table.js';

runTable('cache', [
  { name: 'simple cache', yaml: job('cache:\n  key: $CI_COMMIT_REF_SLUG\n  paths: [node_modules/]\n  policy: pull'), code: null },
  { name: 'key files and prefix', yaml: job('cache:\n  key:\n    files: [package-lock.json, yarn.lock]\n    prefix: $CI_JOB_NAME\n  paths: [x]\n  fallback_keys: [a, b]\n  when: always\n  unprotect: true'), code: null },
  { name: 'policy variable', yaml: job('cache:\n  paths: [x]\n  policy: $POLICY'), code: null },
  { name: 'four caches', yaml: job('cache:\n  - paths: [a]\n  - paths: [b]\n  - paths: [c]\n  - paths: [d]'), code: null },
  { name: 'five caches', yaml: job('cache:\n  - paths: [a]\n  - paths: [b]\n  - paths: [c]\n  - paths: [d]\n  - paths: [e]'), code: 'invalid-value', says: 'no more than 4' },
  { name: 'key with three files', yaml: job('cache:\n  key:\n    files: [a, b, c]'), code: 'invalid-value', needle: 'files' },
  { name: 'bad policy', yaml: job('cache:\n  policy: download'), code: 'invalid-value', needle: 'policy' },
  { name: 'bad when', yaml: job('cache:\n  when: never'), code: 'invalid-value', needle: 'when' },
  { name: 'six fallback keys', yaml: job('cache:\n  fallback_keys: [a, b, c, d, e, f]'), code: 'invalid-value', needle: 'fallback_keys' },
  { name: 'unknown cache key', yaml: job('cache:\n  path: [x]'), code: 'unknown-keyword', needle: 'path:' },
  { name: 'paths as string', yaml: job('cache:\n  paths: node_modules'), code: 'invalid-type', needle: 'paths' },
]);
