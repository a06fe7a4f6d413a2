import { job, runTable } from './table.js';

runTable('rules and only/except', [
  { name: 'rules', yaml: job('rules:\n  - if: $CI_COMMIT_BRANCH == "main"\n    when: manual\n    allow_failure: true\n  - changes: [src/**/*]\n    variables:\n      X: "1"\n  - exists:\n      paths: [Dockerfile]\n  - when: never'), code: null },
  { name: 'rule delayed', yaml: job('rules:\n  - if: $X\n    when: delayed\n    start_in: 10 minutes'), code: null },
  { name: 'changes compare_to', yaml: job('rules:\n  - changes:\n      paths: [a]\n      compare_to: refs/heads/main'), code: null },
  { name: 'unknown rule key', yaml: job('rules:\n  - iff: $X'), code: 'unknown-keyword', needle: 'iff' },
  { name: 'rule when value', yaml: job('rules:\n  - if: $X\n    when: later'), code: 'invalid-value', needle: 'when' },
  { name: 'rule not a hash', yaml: job('rules:\n  - $X'), code: 'invalid-type' },
  { name: 'rules not an array', yaml: job('rules:\n  if: $X'), code: 'invalid-type' },
  { name: 'rule delayed without start_in', yaml: job('rules:\n  - when: delayed'), code: 'missing-key' },
  { name: 'exists as a string', yaml: job('rules:\n  - exists: Dockerfile'), code: null },
  { name: 'exists ref without project', yaml: job('rules:\n  - exists:\n      paths: [a]\n      ref: main'), code: 'missing-key', needle: 'ref' },
  { name: 'exists over 50 paths', yaml: job(`rules:\n  - exists: [${Array.from({ length: 51 }, (_, i) => `f${i}`).join(', ')}]`), code: 'invalid-value' },
  { name: 'changes hash without paths', yaml: job('rules:\n  - changes:\n      compare_to: main'), code: 'missing-key' },
  { name: 'only refs', yaml: job('only:\n  - main\n  - /^release-.*$/'), code: null },
  { name: 'only hash', yaml: job('except:\n  refs: [tags]\n  variables: [$X]'), code: null },
  { name: 'only unknown key', yaml: job('only:\n  branches: [main]'), code: 'unknown-keyword', needle: 'branches' },
  { name: 'rules needs', yaml: 'a:\n  script: x\nb:\n  script: x\n  rules:\n    - needs: [a]\n', code: null },
]);
