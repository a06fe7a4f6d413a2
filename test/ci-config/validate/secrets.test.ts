import { job, runTable } from './table.js';

runTable('secrets and id_tokens', [
  { name: 'vault string', yaml: job('secrets:\n  DB:\n    vault: production/db/password@ops\n    file: false'), code: null },
  { name: 'vault hash', yaml: job('id_tokens:\n  VAULT_ID_TOKEN:\n    aud: https://vault.example.com\nsecrets:\n  DB:\n    vault:\n      engine:\n        name: kv-v2\n        path: ops\n      path: production/db\n      field: password\n    token: $VAULT_ID_TOKEN'), code: null },
  { name: 'gcp and azure', yaml: job('secrets:\n  A:\n    gcp_secret_manager:\n      name: s\n      version: 2\n  B:\n    azure_key_vault:\n      name: k'), code: null },
  { name: 'no provider', yaml: job('secrets:\n  DB:\n    file: true'), code: 'invalid-value', says: 'exactly one of these providers' },
  { name: 'two providers', yaml: job('secrets:\n  DB:\n    vault: a/b@c\n    gcp_secret_manager:\n      name: s'), code: 'invalid-value' },
  { name: 'unknown provider', yaml: job('secrets:\n  DB:\n    hashicorp: a'), code: 'unknown-keyword', needle: 'hashicorp' },
  { name: 'vault hash missing field', yaml: job('secrets:\n  DB:\n    vault:\n      engine:\n        name: kv\n        path: ops\n      path: p'), code: 'missing-key' },
  { name: 'secrets not a hash', yaml: job('secrets: [a]'), code: 'invalid-type' },
  { name: 'id_tokens list aud', yaml: job('id_tokens:\n  T:\n    aud: [a, b]'), code: null },
  { name: 'id_token without aud', yaml: job('id_tokens:\n  T:\n    audience: a'), code: 'unknown-keyword' },
  { name: 'id_token aud number', yaml: job('id_tokens:\n  T:\n    aud: 3'), code: 'invalid-type' },
]);
