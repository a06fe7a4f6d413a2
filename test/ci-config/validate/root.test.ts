import { runTable } from './table.js';

runTable('stages, default, workflow and cross-job checks', [
  { name: 'stages', yaml: 'stages: [build, test]\nb:\n  stage: build\n  script: x\n', code: null },
  { name: 'stages not a list', yaml: 'stages: build\nb:\n  script: x\n', code: 'invalid-type', needle: 'stages' },
  { name: 'stage missing', yaml: 'stages: [build]\nb:\n  stage: deploy\n  script: x\n', code: 'unknown-stage', needle: 'stage: deploy' },
  { name: 'default keys', yaml: 'default:\n  image: alpine\n  retry: 1\n  tags: [a]\n  interruptible: true\n  timeout: 10m\n  hooks:\n    pre_get_sources_script: [x]\nb:\n  script: x\n', code: null },
  { name: 'default unknown key', yaml: 'default:\n  stage: build\nb:\n  script: x\n', code: 'default-invalid', needle: 'stage' },
  { name: 'default bad retry', yaml: 'default:\n  retry: 9\nb:\n  script: x\n', code: 'invalid-value', needle: 'retry' },
  { name: 'workflow', yaml: 'workflow:\n  name: Pipeline $CI_COMMIT_REF_NAME\n  auto_cancel:\n    on_new_commit: interruptible\n    on_job_failure: all\n  rules:\n    - if: $CI_COMMIT_TAG\n      variables:\n        DEPLOY: "true"\n      auto_cancel:\n        on_new_commit: none\n    - when: always\nb:\n  script: x\n', code: null },
  { name: 'workflow rule when manual', yaml: 'workflow:\n  rules:\n    - when: manual\nb:\n  script: x\n', code: 'invalid-value', needle: 'when' },
  { name: 'workflow auto_cancel value', yaml: 'workflow:\n  auto_cancel:\n    on_new_commit: always\nb:\n  script: x\n', code: 'invalid-value', needle: 'on_new_commit' },
  { name: 'workflow unknown key', yaml: 'workflow:\n  when: always\nb:\n  script: x\n', code: 'unknown-keyword' },
  { name: 'workflow name too long', yaml: `workflow:\n  name: ${'n'.repeat(256)}\nb:\n  script: x\n`, code: 'invalid-value' },
  { name: 'no visible job', yaml: '.t:\n  script: x\n', code: 'no-visible-job' },
  { name: 'anchors and hidden keys are fine', yaml: '.defs: &defs\n  image: alpine\n.x: 3\nb:\n  <<: *defs\n  script: x\n', code: null },
  { name: '!reference anywhere', yaml: '.t:\n  script: [a]\n  vars:\n    A: b\n  rules:\n    - if: $X\nb:\n  script: !reference [.t, script]\n  variables: !reference [.t, vars]\n  rules:\n    - !reference [.t, rules]\n', code: null },
  { name: 'spec header before ---', yaml: 'spec:\n  inputs:\n    env:\n      default: dev\n---\nb:\n  script: echo $[[ inputs.env ]]\n', code: null },
  { name: 'a hidden job is not validated itself', yaml: '.t:\n  script:\n    - a: b\n  retry: 9\nb:\n  script: x\n', code: null },
  { name: 'but a job extending it is', yaml: '.t:\n  retry: 9\nb:\n  extends: .t\n  script: x\n', code: 'invalid-value', needle: 'retry: 9' },
  { name: 'one problem for a template key many jobs inherit', yaml: '.t:\n  retry: 9\na:\n  extends: .t\n  script: x\nb:\n  extends: .t\n  script: x\n', code: 'invalid-value', needle: 'retry: 9', says: 'the same applies to 1 other job: `b`' },
  { name: 'extends missing', yaml: 'b:\n  extends: .nope\n  script: x\n', code: 'extends-missing' },
]);
