// `image:` and `services:` — a name, or a hash with name, entrypoint, pull_policy, docker/kubernetes options.
import type { Schema } from './schema.js';
import { arrayOf, enumOf, int, map, oneOf, str, strings } from './schema.js';
import { plainVariables } from './variables.js';

const PULL_POLICIES = ['always', 'never', 'if-not-present'] as const;
const pullPolicy = oneOf([enumOf(PULL_POLICIES), arrayOf(enumOf(PULL_POLICIES), { what: 'an array of strings' })], 'a string or an array of strings');
const docker = map({ keys: { platform: str, user: str } });
const kubernetes = map({ keys: { user: oneOf([str, int()], 'a string or an integer') } });
const ports = arrayOf(oneOf([int(1, 65535), map({ keys: { number: int(1, 65535), protocol: enumOf(['http', 'https']), name: str }, required: ['number'] })], 'an integer or a hash'), { what: 'an array' });

export const image: Schema = oneOf([
  str,
  map({ keys: { name: str, entrypoint: strings, pull_policy: pullPolicy, docker, kubernetes, ports }, required: ['name'] }),
], 'a hash or a string');

const service: Schema = oneOf([
  str,
  map({
    keys: { name: str, entrypoint: strings, command: strings, alias: str, variables: plainVariablesLike(), pull_policy: pullPolicy, docker, kubernetes, ports },
    required: ['name'],
  }),
], 'a hash or a string');

function plainVariablesLike(): Schema {
  return plainVariables;
}

export const services: Schema = arrayOf(service, { what: 'an array of strings or hashes' });
