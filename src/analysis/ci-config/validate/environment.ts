// `environment:` — a name, or `{name, url, action, on_stop, auto_stop_in, kubernetes, deployment_tier}`.
import type { Schema } from './schema.js';
import { any, enumOf, map, oneOf, str, strMax } from './schema.js';
import { duration } from './common.js';

export const environment: Schema = oneOf([
  strMax(255),
  map({
    keys: {
      name: strMax(255),
      url: strMax(255),
      action: enumOf(['start', 'prepare', 'stop', 'verify', 'access']),
      on_stop: str,
      auto_stop_in: duration(undefined, undefined, ['never']),
      kubernetes: map({ keys: { namespace: str, agent: str, flux_resource_path: str, dashboard: any, managed_resources: any } }),
      deployment_tier: enumOf(['production', 'staging', 'testing', 'development', 'other']),
    },
    required: ['name'],
  }),
], 'a string or a hash');
