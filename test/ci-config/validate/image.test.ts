import { job, runTable } from './table.js';

runTable('image and services', [
  { name: 'image string', yaml: job('image: alpine:3'), code: null },
  { name: 'image hash', yaml: job('image:\n  name: alpine\n  entrypoint: [""]\n  pull_policy: [always, if-not-present]\n  docker:\n    platform: arm64/v8\n    user: dave'), code: null },
  { name: 'image without name', yaml: job('image:\n  entrypoint: [""]'), code: 'missing-key', needle: 'image:' },
  { name: 'image unknown key', yaml: job('image:\n  name: a\n  tag: b'), code: 'unknown-keyword', needle: 'tag' },
  { name: 'image list', yaml: job('image: [a]'), code: 'invalid-type', says: 'a hash or a string' },
  { name: 'pull_policy value', yaml: job('image:\n  name: a\n  pull_policy: sometimes'), code: 'invalid-value', needle: 'pull_policy' },
  { name: 'services strings and hashes', yaml: job('services:\n  - docker:dind\n  - name: postgres\n    alias: db\n    command: [postgres]\n    variables:\n      POSTGRES_DB: x'), code: null },
  { name: 'services as a string', yaml: job('services: docker:dind'), code: 'invalid-type', needle: 'services' },
  { name: 'service without name', yaml: job('services:\n  - alias: db'), code: 'missing-key' },
  { name: 'service unknown key', yaml: job('services:\n  - name: a\n    hostname: b'), code: 'unknown-keyword', needle: 'hostname' },
]);
