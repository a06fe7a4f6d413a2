import { job, runTable } from './table.js';

runTable('variables', [
  { name: 'global forms', yaml: 'variables:\n  A: "1"\n  B: 2\n  C:\n    value: x\n    description: pick one\n    options: [x, y]\n  D:\n    value: $A\n    expand: false\n  weird-NAME.1: ok\nbuild:\n  script: x\n', code: null },
  { name: 'job forms', yaml: job('variables:\n  A: a\n  B:\n    value: b\n    expand: false'), code: null },
  { name: 'value not in options', yaml: 'variables:\n  C:\n    value: z\n    options: [x, y]\nbuild:\n  script: x\n', code: 'invalid-value', says: 'present in options' },
  { name: 'options without a value', yaml: 'variables:\n  C:\n    options: [x, y]\nbuild:\n  script: x\n', code: 'invalid-value', needle: 'C:' },
  { name: 'unknown data key', yaml: 'variables:\n  C:\n    valeu: z\nbuild:\n  script: x\n', code: 'unknown-keyword', needle: 'valeu' },
  { name: 'description in a job', yaml: job('variables:\n  A:\n    value: a\n    description: d'), code: 'unknown-keyword', needle: 'description' },
  { name: 'list value', yaml: job('variables:\n  A: [1, 2]'), code: 'invalid-type' },
  { name: 'variables as a list', yaml: job('variables: [A=1]'), code: 'invalid-type' },
  { name: 'expand not boolean', yaml: job('variables:\n  A:\n    value: a\n    expand: no-way'), code: 'invalid-type' },
  { name: 'options not strings', yaml: 'variables:\n  A:\n    value: a\n    options: a\nbuild:\n  script: x\n', code: 'invalid-type' },
]);
