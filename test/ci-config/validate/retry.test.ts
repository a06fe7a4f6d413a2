import { job, runTable } from './table.js';

runTable('retry', [
  { name: 'number', yaml: job('retry: 2'), code: null },
  { name: 'hash', yaml: job('retry:\n  max: 2\n  when:\n    - runner_system_failure\n    - stuck_or_timeout_failure\n  exit_codes: [137]'), code: null },
  { name: 'single when', yaml: job('retry:\n  max: 1\n  when: script_failure'), code: null },
  { name: 'too many', yaml: job('retry: 3'), code: 'invalid-value', needle: 'retry' },
  { name: 'unknown when value', yaml: job('retry:\n  when: foo'), code: 'invalid-value', needle: 'when', says: 'jobs:build:retry when unknown values: foo' },
  { name: 'unknown key', yaml: job('retry:\n  maximum: 1'), code: 'unknown-keyword', needle: 'maximum' },
  { name: 'max too high', yaml: job('retry:\n  max: 5'), code: 'invalid-value', needle: 'max' },
  { name: 'string', yaml: job('retry: twice'), code: 'invalid-type' },
]);
