// `variables:` at the top level (value, description, options, expand), in jobs (value, expand),
// in rules and in matrix entries. Keys are variable names: any name GitLab accepts.
import { isMap, isScalar, isSeq } from '../node.js';
import { where } from './schema.js';
import type { Schema } from './schema.js';
import { custom, fail } from './schema.js';

function variablesSchema(allowedData: readonly string[]): Schema {
  return custom('a hash of key value pairs', (n, at, c) => {
    if (!isMap(n)) return fail(c, 'invalid-type', at, 'config should be a hash of key value pairs, value can be a hash', where(n, c));
    for (const [name, e] of n.entries) {
      const v = e.value;
      if (v.kind === 'ref' || (isScalar(v) && v.value === null)) continue;
      if (isScalar(v)) continue;
      if (!isMap(v)) {
        fail(c, 'invalid-type', `${at}:${name}`, 'config should be a string or a hash (variable definition)', v.pos, { variable: name });
        continue;
      }
      const extra = [...v.entries.keys()].filter((k) => !allowedData.includes(k));
      if (extra.length > 0) {
        if (allowedData.length === 0) fail(c, 'invalid-type', `${at}:${name}`, 'config must be a string', v.pos, { variable: name });
        else fail(c, 'unknown-keyword', `${at}:${name}`, `config uses invalid data keys: ${extra.join(', ')}`, v.entries.get(extra[0]!)!.keyPos, { variable: name });
        continue;
      }
      const value = v.entries.get('value')?.value;
      if (value && !isScalar(value) && value.kind !== 'ref') fail(c, 'invalid-type', `${at}:${name}`, 'value should be a string', value.pos, { variable: name });
      const desc = v.entries.get('description')?.value;
      if (desc && isScalar(desc) && desc.value !== null && typeof desc.value !== 'string' && typeof desc.value !== 'number') fail(c, 'invalid-type', `${at}:${name}`, 'description should be a string', desc.pos);
      const expand = v.entries.get('expand')?.value;
      if (expand && isScalar(expand) && expand.value !== null && typeof expand.value !== 'boolean') fail(c, 'invalid-type', `${at}:${name}`, 'expand should be a boolean value', expand.pos);
      const options = v.entries.get('options')?.value;
      if (options && options.kind !== 'ref') {
        if (!isSeq(options) || !options.items.every((i) => isScalar(i) && typeof i.value === 'string')) {
          fail(c, 'invalid-type', `${at}:${name}`, 'options should be an array of strings', options.pos);
        } else if (value === undefined || (isScalar(value) && !options.items.some((i) => isScalar(i) && i.text === value.text))) {
          fail(c, 'invalid-value', `${at}:${name}`, 'config value must be present in options', value?.pos ?? e.keyPos);
        }
      }
    }
  });
}

export const rootVariables = variablesSchema(['value', 'description', 'expand', 'options']);
export const jobVariables = variablesSchema(['value', 'expand']);
export const ruleVariables = variablesSchema(['value', 'expand']);
export const plainVariables = variablesSchema([]);
