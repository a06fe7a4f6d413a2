// `release:` — tag_name and description required; assets:links need name and url.
import type { Schema } from './schema.js';
import { arrayOf, enumOf, map, str, strings } from './schema.js';

const link = map({ keys: { name: str, url: str, filepath: str, direct_asset_path: str, link_type: enumOf(['other', 'runbook', 'image', 'package']) }, required: ['name', 'url'] });

export const release: Schema = map({
  keys: {
    tag_name: str,
    tag_message: str,
    description: str,
    name: str,
    ref: str,
    released_at: str,
    milestones: strings,
    assets: map({ keys: { links: arrayOf(link, { what: 'an array of hashes', min: 1 }) }, required: ['links'] }),
  },
  required: ['tag_name', 'description'],
});
