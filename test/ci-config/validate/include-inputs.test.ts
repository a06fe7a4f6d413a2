import { runTable } from './table.js';

const withJob = (s: string): string => `${s}b:\n  script: x\n`;

runTable('include forms', [
  { name: 'remote, template, component, project', yaml: withJob('include:\n  - remote: https://example.com/ci.yml\n  - template: Auto-DevOps.gitlab-ci.yml\n  - component: $CI_SERVER_FQDN/g/c/build@1.0\n    inputs:\n      stage: build\n  - project: g/p\n    ref: main\n    file: [a.yml, b.yml]\n    rules:\n      - if: $X\n      - exists: [Dockerfile]\n'), code: null },
  { name: 'two locations', yaml: withJob('include:\n  - remote: https://e.com/a.yml\n    template: B.yml\n'), code: 'exclusive-keys', needle: 'template' },
  { name: 'project without file', yaml: withJob('include:\n  - project: g/p\n'), code: 'missing-key' },
  { name: 'no location', yaml: withJob('include:\n  - ref: main\n'), code: 'invalid-value' },
  { name: 'unknown key', yaml: withJob('include:\n  - remote: https://e.com/a.yml\n    branch: x\n'), code: 'unknown-keyword', needle: 'branch' },
  { name: 'remote not a URL', yaml: withJob('include:\n  - remote: e.com/a.yml\n'), code: 'invalid-value' },
  { name: 'include rule when manual', yaml: withJob('include:\n  - remote: https://e.com/a.yml\n    rules:\n      - when: manual\n'), code: 'invalid-value' },
  { name: 'include a number', yaml: withJob('include:\n  - 3\n'), code: 'invalid-type' },
]);

const header = (inputs: string): string => `spec:\n  inputs:\n${inputs}---\nb:\n  script: x\n`;

runTable('spec:inputs', [
  { name: 'typed inputs', yaml: header('    env:\n      default: dev\n      options: [dev, prod]\n      description: Where\n    count:\n      type: number\n      default: 2\n    flag:\n      type: boolean\n      default: false\n    list:\n      type: array\n      default: [a]\n    name:\n      regex: ^[a-z]+$\n    required:\n'), code: null },
  { name: 'input rules', yaml: header('    env:\n      default: dev\n      rules:\n        - if: $[[ inputs.x ]] == "a"\n          options: [a, b]\n          default: a\n'), code: null },
  { name: 'bad type', yaml: header('    env:\n      type: text\n'), code: 'invalid-value', needle: 'type: text' },
  { name: 'default of another type', yaml: header('    n:\n      type: number\n      default: two\n'), code: 'invalid-value', needle: 'default: two' },
  { name: 'default not in options', yaml: header('    env:\n      default: qa\n      options: [dev, prod]\n'), code: 'invalid-value', needle: 'default: qa' },
  { name: 'options on boolean', yaml: header('    f:\n      type: boolean\n      options: [true]\n'), code: 'invalid-value' },
  { name: 'regex on number', yaml: header('    n:\n      type: number\n      regex: ^1$\n'), code: 'invalid-value' },
  { name: 'description too long', yaml: header(`    n:\n      description: ${'d'.repeat(1025)}\n`), code: 'invalid-value' },
  { name: 'too many options', yaml: header(`    n:\n      options: [${Array.from({ length: 51 }, (_, i) => `o${i}`).join(', ')}]\n`), code: 'invalid-value' },
  { name: 'unknown input key', yaml: header('    n:\n      required: true\n'), code: 'unknown-keyword', needle: 'required: true' },
  { name: 'job input bad type', yaml: 'b:\n  script: x\n  inputs:\n    n:\n      type: float\n', code: 'invalid-value' },
]);
