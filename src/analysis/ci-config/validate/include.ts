// `include:` — a path or URL, or hashes: local, project (+file, ref), remote, template, component,
// each with optional `inputs` and `rules`.
import type { PNode } from '../node.js';
import { isMap, isScalar, isSeq } from '../node.js';
import { where } from './schema.js';
import type { Schema } from './schema.js';
import { any, custom, enumOf, fail, map, str, stringOrStrings, strings, oneOf } from './schema.js';
import { includeInputs } from './inputs.js';
import { exists, rulesOf } from './rules.js';

const LOCATIONS = ['local', 'project', 'remote', 'template', 'component', 'artifact'] as const;

const includeRule = map({
  keys: {
    if: str,
    exists,
    changes: oneOf([strings, map({ keys: { paths: strings, compare_to: str }, required: ['paths'] })], 'an array of strings or a hash'),
    when: enumOf(['never', 'always']),
  },
});

const includeHash = map({
  keys: {
    local: str, project: str, file: stringOrStrings, ref: str, remote: str, template: str, component: str,
    artifact: str, job: str, inputs: includeInputs, rules: rulesOf(includeRule), cache: any, integrity: str,
  },
  also(m, at, c) {
    const kinds = LOCATIONS.filter((k) => m.entries.has(k));
    if (kinds.length === 0) return fail(c, 'invalid-value', at, 'config should contain one of the keys: local, project, remote, template, component', where(m, c));
    if (kinds.length > 1) return fail(c, 'exclusive-keys', at, `config contains too many keys: ${kinds.join(', ')}`, m.entries.get(kinds[1]!)!.keyPos);
    const kind = kinds[0]!;
    if (kind === 'project' && !m.entries.has('file')) fail(c, 'missing-key', at, 'config missing required key: file', m.entries.get('project')!.keyPos);
    if (m.entries.has('file') && kind !== 'project') fail(c, 'invalid-value', at, 'config file may only be used with project', m.entries.get('file')!.keyPos);
    if (m.entries.has('ref') && kind !== 'project') fail(c, 'invalid-value', at, 'config ref may only be used with project', m.entries.get('ref')!.keyPos);
    if (kind === 'artifact') fail(c, 'invalid-value', at, 'config artifact includes are only allowed in trigger:include of a child pipeline', m.entries.get('artifact')!.keyPos);
    const remote = m.entries.get('remote')?.value;
    if (isScalar(remote) && typeof remote.value === 'string' && !remote.text.startsWith('http://') && !remote.text.startsWith('https://')) {
      fail(c, 'invalid-value', at, 'config remote should be a valid URL', remote.pos);
    }
    if (m.entries.has('integrity') && kind !== 'remote') fail(c, 'invalid-value', at, 'config integrity may only be used with remote', m.entries.get('integrity')!.keyPos);
  },
});

const item = custom('a string or a hash', (n, at, c) => {
  if (isScalar(n) && typeof n.value === 'string') return;
  if (isMap(n)) return includeHash.check(n, at, c);
  fail(c, 'invalid-type', at, 'config should be a hash or a string', where(n, c));
});

export const include: Schema = custom('a string, a hash or an array', (n, at, c) => {
  const items: PNode[] = isSeq(n) ? n.items : [n];
  for (const i of items) {
    if (i.kind === 'ref') continue;
    item.check(i, at, c);
  }
});
