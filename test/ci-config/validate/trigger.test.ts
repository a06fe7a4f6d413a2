import { runTable } from './table.js';

runTable('trigger jobs', [
  { name: 'project string', yaml: 'down:\n  trigger: group/project\n', code: null },
  { name: 'multi-project hash', yaml: 'down:\n  trigger:\n    project: group/project\n    branch: main\n    strategy: depend\n    forward:\n      pipeline_variables: true\n', code: null },
  { name: 'child pipeline', yaml: 'gen:\n  script: x\n  artifacts:\n    paths: [c.yml]\nchild:\n  needs: [gen]\n  trigger:\n    include:\n      - artifact: c.yml\n        job: gen\n      - local: ci/child.yml\n    strategy: mirror\n', code: null },
  { name: 'include with inputs', yaml: 'child:\n  trigger:\n    include:\n      - local: ci/child.yml\n        inputs:\n          env: prod\n', code: null },
  { name: 'bad strategy', yaml: 'down:\n  trigger:\n    project: a/b\n    strategy: wait\n', code: 'invalid-value', needle: 'strategy' },
  { name: 'project and include', yaml: 'down:\n  trigger:\n    project: a/b\n    include: c.yml\n', code: 'exclusive-keys', needle: 'include' },
  { name: 'neither project nor include', yaml: 'down:\n  trigger:\n    branch: main\n', code: 'missing-key' },
  { name: 'artifact without job', yaml: 'down:\n  trigger:\n    include:\n      - artifact: c.yml\n', code: 'missing-key' },
  { name: 'script keyword on a trigger job', yaml: 'down:\n  image: alpine\n  trigger: a/b\n', code: 'unknown-keyword', needle: 'image' },
  { name: 'trigger list', yaml: 'down:\n  trigger: [a/b]\n', code: 'invalid-type' },
  { name: 'bridge when delayed', yaml: 'down:\n  trigger: a/b\n  when: delayed\n', code: 'invalid-value' },
  { name: 'forward unknown key', yaml: 'down:\n  trigger:\n    project: a/b\n    forward:\n      secrets: true\n', code: 'unknown-keyword' },
]);
