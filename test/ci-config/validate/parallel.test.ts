import { job, runTable } from './table.js';

runTable('parallel and matrix', [
  { name: 'number', yaml: job('parallel: 5'), code: null },
  { name: 'matrix', yaml: job('parallel:\n  matrix:\n    - PROVIDER: aws\n      STACK: [monitoring, app1]\n    - PROVIDER: [gcp, vultr]'), code: null },
  { name: 'too many copies', yaml: job('parallel: 201'), code: 'invalid-value', needle: 'parallel' },
  { name: 'zero copies', yaml: job('parallel: 0'), code: 'invalid-value' },
  { name: 'string', yaml: job('parallel: many'), code: 'invalid-type' },
  { name: 'matrix over 200 jobs', yaml: job(`parallel:\n  matrix:\n    - A: [${Array.from({ length: 15 }, (_, i) => `a${i}`).join(', ')}]\n      B: [${Array.from({ length: 15 }, (_, i) => `b${i}`).join(', ')}]`), code: 'invalid-value', says: 'too many jobs' },
  { name: 'matrix not an array', yaml: job('parallel:\n  matrix:\n    A: [1, 2]'), code: 'invalid-type' },
  { name: 'unknown parallel key', yaml: job('parallel:\n  matrx: []'), code: 'unknown-keyword' },
]);
