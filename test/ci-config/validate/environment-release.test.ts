import { job, runTable } from './table.js';

runTable('environment', [
  { name: 'name', yaml: job('environment: production'), code: null },
  { name: 'hash', yaml: job('environment:\n  name: review/$CI_COMMIT_REF_SLUG\n  url: https://x\n  auto_stop_in: 1 day\n  deployment_tier: staging\n  kubernetes:\n    namespace: app'), code: null },
  { name: 'action', yaml: job('environment:\n  name: p\n  action: prepare'), code: null },
  { name: 'missing name', yaml: job('environment:\n  url: https://x'), code: 'missing-key' },
  { name: 'bad action', yaml: job('environment:\n  name: p\n  action: deploy'), code: 'invalid-value', needle: 'action' },
  { name: 'bad tier', yaml: job('environment:\n  name: p\n  deployment_tier: prod'), code: 'invalid-value', needle: 'deployment_tier' },
  { name: 'unknown key', yaml: job('environment:\n  name: p\n  stop: x'), code: 'unknown-keyword', needle: 'stop:' },
  { name: 'on_stop job', yaml: 'deploy:\n  script: x\n  environment:\n    name: review\n    on_stop: stop\nstop:\n  script: x\n  when: manual\n  environment:\n    name: review\n    action: stop\n', code: null },
  { name: 'on_stop job missing', yaml: 'deploy:\n  script: x\n  environment:\n    name: review\n    on_stop: stop_review\n', code: 'on-stop-invalid', needle: 'on_stop' },
  { name: 'on_stop job without action stop', yaml: 'deploy:\n  script: x\n  environment:\n    name: review\n    on_stop: stop\nstop:\n  script: x\n  environment: review\n', code: 'on-stop-invalid', says: 'action stop' },
]);

runTable('release', [
  { name: 'release', yaml: job('release:\n  tag_name: $CI_COMMIT_TAG\n  name: Release\n  description: notes\n  milestones: [m1]\n  assets:\n    links:\n      - name: bin\n        url: https://x/bin\n        link_type: package'), code: null },
  { name: 'missing description', yaml: job('release:\n  tag_name: v1'), code: 'missing-key' },
  { name: 'missing tag_name', yaml: job('release:\n  description: d'), code: 'missing-key' },
  { name: 'link without url', yaml: job('release:\n  tag_name: v1\n  description: d\n  assets:\n    links:\n      - name: bin'), code: 'missing-key' },
  { name: 'bad link_type', yaml: job('release:\n  tag_name: v1\n  description: d\n  assets:\n    links:\n      - name: bin\n        url: u\n        link_type: binary'), code: 'invalid-value', needle: 'link_type' },
  { name: 'unknown key', yaml: job('release:\n  tag_name: v1\n  description: d\n  title: x'), code: 'unknown-keyword', needle: 'title' },
]);
