import { job, runTable } from './table.js';

runTable('artifacts', [
  { name: 'paths and reports', yaml: job('artifacts:\n  name: out\n  paths: [dist/]\n  exclude: [dist/*.map]\n  expire_in: 1 week\n  when: always\n  expose_as: Build\n  reports:\n    junit: report.xml\n    dotenv: [build.env]\n    coverage_report:\n      coverage_format: cobertura\n      path: coverage.xml'), code: null },
  { name: 'expire_in never', yaml: job('artifacts:\n  paths: [a]\n  expire_in: never'), code: null },
  { name: 'access', yaml: job('artifacts:\n  paths: [a]\n  access: developer'), code: null },
  { name: 'unknown report kind', yaml: job('artifacts:\n  reports:\n    junitt: r.xml'), code: 'unknown-keyword', needle: 'junitt' },
  { name: 'coverage_report format', yaml: job('artifacts:\n  reports:\n    coverage_report:\n      coverage_format: lcov\n      path: x'), code: 'invalid-value', needle: 'coverage_format' },
  { name: 'public and access together', yaml: job('artifacts:\n  paths: [a]\n  public: false\n  access: none'), code: 'exclusive-keys', needle: 'access' },
  { name: 'expose_as without paths', yaml: job('artifacts:\n  expose_as: x\n  reports:\n    junit: r.xml'), code: 'missing-key', needle: 'expose_as' },
  { name: 'bad when', yaml: job('artifacts:\n  paths: [a]\n  when: never'), code: 'invalid-value' },
  { name: 'bad expire_in', yaml: job('artifacts:\n  paths: [a]\n  expire_in: forever'), code: 'invalid-value', needle: 'expire_in' },
  { name: 'unknown artifacts key', yaml: job('artifacts:\n  path: [a]'), code: 'unknown-keyword', needle: 'path:' },
  { name: 'access value', yaml: job('artifacts:\n  paths: [a]\n  access: everyone'), code: 'invalid-value' },
]);
