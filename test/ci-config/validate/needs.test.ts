import { runTable } from './table.js';

runTable('needs and dependencies', [
  { name: 'needs forms', yaml: 'stages: [build, test]\na:\n  stage: build\n  script: x\n  parallel:\n    matrix:\n      - OS: [linux, mac]\nb:\n  stage: test\n  script: x\n  needs:\n    - a\n    - job: a\n      artifacts: false\n      parallel:\n        matrix:\n          - OS: linux\n    - project: group/other\n      job: build\n      ref: main\n    - pipeline: $PARENT_PIPELINE_ID\n      job: gen\n', code: null },
  { name: 'optional missing need', yaml: 'b:\n  script: x\n  needs:\n    - job: z\n      optional: true\n', code: null },
  { name: 'need missing', yaml: 'a:\n  script: x\nb:\n  script: x\n  needs: [zz]\n', code: 'needs-missing', needle: 'needs' },
  { name: 'need from a later stage', yaml: 'stages: [build, test]\na:\n  stage: test\n  script: x\nb:\n  stage: build\n  script: x\n  needs: [a]\n', code: 'needs-later-stage', needle: 'needs' },
  { name: 'need same stage', yaml: 'a:\n  script: x\nb:\n  script: x\n  needs: [a]\n', code: null },
  { name: 'need hash without job', yaml: 'b:\n  script: x\n  needs:\n    - artifacts: true\n', code: 'missing-key' },
  { name: 'need unknown key', yaml: 'a:\n  script: x\nb:\n  script: x\n  needs:\n    - job: a\n      artifact: true\n', code: 'unknown-keyword', needle: 'artifact:' },
  { name: 'need optional not boolean', yaml: 'a:\n  script: x\nb:\n  script: x\n  needs:\n    - job: a\n      optional: maybe\n', code: 'invalid-type', needle: 'optional' },
  { name: 'cross-project need without ref', yaml: 'b:\n  script: x\n  needs:\n    - project: g/p\n      job: j\n', code: 'missing-key' },
  { name: 'too many needs', yaml: `${Array.from({ length: 51 }, (_, i) => `j${i}:\n  script: x\n`).join('')}b:\n  script: x\n  needs: [${Array.from({ length: 51 }, (_, i) => `j${i}`).join(', ')}]\n`, code: 'invalid-value' },
  { name: 'dependencies', yaml: 'stages: [build, test]\na:\n  stage: build\n  script: x\nb:\n  stage: test\n  script: x\n  dependencies: [a]\n', code: null },
  { name: 'dependency missing', yaml: 'b:\n  script: x\n  dependencies: [zz]\n', code: 'dependency-missing', needle: 'dependencies' },
  { name: 'dependency later stage', yaml: 'stages: [build, test]\na:\n  stage: test\n  script: x\nb:\n  stage: build\n  script: x\n  dependencies: [a]\n', code: 'dependency-later-stage' },
  { name: 'dependency not in needs', yaml: 'a:\n  script: x\nc:\n  script: x\nb:\n  script: x\n  needs: [a]\n  dependencies: [c]\n', code: 'invalid-value', says: 'should be part of needs' },
]);
