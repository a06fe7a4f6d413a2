// `secrets:` (one provider per secret), `id_tokens:` (aud required) and `identity:`.
import { isMap } from '../node.js';
import { where } from './schema.js';
import type { Schema } from './schema.js';
import { bool, custom, enumOf, fail, map, oneOf, str, stringOrStrings, alnum } from './schema.js';

const PROVIDERS = ['vault', 'gcp_secret_manager', 'azure_key_vault', 'akeyless', 'aws_secrets_manager', 'gitlab_secrets_manager'];

const vault = oneOf([
  str,
  map({ keys: { engine: map({ keys: { name: str, path: str }, required: ['name', 'path'] }), path: str, field: str }, required: ['engine', 'path', 'field'] }),
], 'a string or a hash');

const secret = map({
  keys: {
    vault,
    gcp_secret_manager: map({ keys: { name: str, version: alnum }, required: ['name'] }),
    azure_key_vault: map({ keys: { name: str, version: str }, required: ['name'] }),
    akeyless: map({ keys: { name: str, data_key: str, cert_user_name: str, public_key_data: str, csr_data: str } }),
    aws_secrets_manager: oneOf([str, map({ keys: { secret_id: str, version_id: str, version_stage: str, region: str, role_arn: str, role_session_name: str, field: str }, required: ['secret_id'] })], 'a string or a hash'),
    gitlab_secrets_manager: map({ keys: { name: str }, required: ['name'] }),
    file: bool,
    token: str,
  },
  also(m, at, c) {
    const found = PROVIDERS.filter((p) => m.entries.has(p));
    if (found.length !== 1) fail(c, 'invalid-value', at, `config must use exactly one of these providers: ${PROVIDERS.join(', ')}`, where(m, c));
  },
});

export const secrets: Schema = custom('a hash', (n, at, c) => {
  if (!isMap(n)) return fail(c, 'invalid-type', at, 'config should be a hash', where(n, c));
  for (const [name, e] of n.entries) secret.check(e.value, `${at}:${name}`, c);
});

const idToken = map({ keys: { aud: stringOrStrings }, required: ['aud'] });

export const idTokens: Schema = custom('a hash', (n, at, c) => {
  if (!isMap(n)) return fail(c, 'invalid-type', at, 'config should be a hash', where(n, c));
  for (const [name, e] of n.entries) idToken.check(e.value, `${at}:${name}`, c);
});

export const identity = enumOf(['google_cloud']);
