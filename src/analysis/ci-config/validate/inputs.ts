// `spec:inputs` (header of an included file), job `inputs:` and the inputs an include passes.
import type { PMap, PNode } from '../node.js';
import { isMap, isScalar, isSeq } from '../node.js';
import { where } from './schema.js';
import type { Schema, VCtx } from './schema.js';
import { any, arrayOf, custom, enumOf, fail, map, str } from './schema.js';

export const INPUT_TYPES = ['string', 'number', 'boolean', 'array'] as const;
export const MAX_OPTIONS = 50;
export const MAX_DESCRIPTION = 1024;

function typeOf(n: PNode): string {
  if (isSeq(n)) return 'array';
  if (isMap(n)) return 'hash';
  if (isScalar(n)) return n.value === null ? 'null' : typeof n.value;
  return 'reference';
}

/** What every input definition shares: type, default, description, options, regex. */
function checkDefinition(m: PMap, at: string, c: VCtx): void {
  const typeNode = m.entries.get('type')?.value;
  const type = isScalar(typeNode) && typeof typeNode.value === 'string' ? typeNode.text : 'string';
  const matches = (v: PNode): boolean => v.kind === 'ref' || (isScalar(v) && v.value === null) || typeOf(v) === type;
  const def = m.entries.get('default');
  if (def && !matches(def.value)) fail(c, 'invalid-value', at, `default value is not a ${type}`, def.value.pos);
  const desc = m.entries.get('description')?.value;
  if (desc && isScalar(desc) && desc.text.length > MAX_DESCRIPTION) fail(c, 'invalid-value', at, `description is too long (maximum is ${MAX_DESCRIPTION} characters)`, desc.pos);
  const options = m.entries.get('options');
  if (options && isSeq(options.value)) {
    if (options.value.items.length > MAX_OPTIONS) fail(c, 'invalid-value', at, `config cannot define more than ${MAX_OPTIONS} options`, options.keyPos);
    if (type !== 'string' && type !== 'number') fail(c, 'invalid-value', at, 'options can only be used with string and number inputs', options.keyPos);
    else if (options.value.items.some((i) => !matches(i))) fail(c, 'invalid-value', at, `options should all be of type ${type}`, options.keyPos);
    else if (def && isScalar(def.value) && def.value.value !== null && !options.value.items.some((i) => isScalar(i) && i.text === (def.value as { text: string }).text)) {
      fail(c, 'invalid-value', at, `default value \`${def.value.text}\` is not one of the options`, def.value.pos);
    }
  }
  const regex = m.entries.get('regex');
  if (regex && type !== 'string') fail(c, 'invalid-value', at, 'regex can only be used with string inputs', regex.keyPos);
}

const common = {
  type: enumOf(INPUT_TYPES),
  default: any,
  description: str,
  options: arrayOf(any, { what: 'an array' }),
  regex: str,
};

const inputRule = map({ keys: { if: str, options: arrayOf(any, { what: 'an array' }), default: any } });

const specInput = map({ keys: { ...common, rules: arrayOf(inputRule, { what: 'an array of hashes' }) }, also: checkDefinition });
const jobInput = map({ keys: common, also: checkDefinition });

function hashOfDefinitions(def: Schema): Schema {
  return custom('a hash', (n, at, c) => {
    if (!isMap(n)) return fail(c, 'invalid-type', at, 'config should be a hash', where(n, c));
    for (const [name, e] of n.entries) {
      if (isScalar(e.value) && e.value.value === null) continue; // `name:` alone: a required string input
      def.check(e.value, `${at}:${name}`, c);
    }
  });
}

export const specInputs = hashOfDefinitions(specInput);
export const jobInputs = hashOfDefinitions(jobInput);

/** The `spec:` header document of a file meant to be included. */
export const spec: Schema = map({ keys: { inputs: specInputs, component: arrayOf(enumOf(['name', 'sha', 'version', 'reference']), { what: 'an array of strings' }), include: any } });

/** Values an include (or a trigger) passes: any YAML value per input name. */
export const includeInputs: Schema = custom('a hash', (n, at, c) => {
  if (!isMap(n)) fail(c, 'invalid-type', at, 'config should be a hash', where(n, c));
});
