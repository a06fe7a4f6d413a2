// CI variables: reading `variables:` blocks and expanding `$VAR` / `${VAR}` where the value is known.
import type { SourcePos, VariableDef } from './types.js';
import type { PNode } from './node.js';
import { get, isMap, isScalar, textOf } from './node.js';

const MAX_EXPANSION_DEPTH = 10;
const MAX_EXPANDED_LENGTH = 64 * 1024;
// $NAME or ${NAME}; a doubled `$$` is an escape and is left alone.
const VAR_RE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * Expands `$VAR` and `${VAR}` whose value is known (recursively, bounded, honouring `expand: false`).
 * Unknown and predefined variables stay exactly as written ("unknown at lint time").
 */
export function expandVariables(text: string, vars: Record<string, VariableDef>): string {
  return expand(text, vars, 0, new Set());
}

function expand(text: string, vars: Record<string, VariableDef>, depth: number, seen: Set<string>): string {
  if (!text.includes('$')) return text;
  const out = text.replace(VAR_RE, (m, braced: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare;
    if (!name) return m;
    const def = Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined;
    if (!def || seen.has(name)) return m;
    if (!def.expand || depth >= MAX_EXPANSION_DEPTH) return def.value;
    seen.add(name);
    const v = expand(def.value, vars, depth + 1, seen);
    seen.delete(name);
    return v;
  });
  return out.length > MAX_EXPANDED_LENGTH ? out.slice(0, MAX_EXPANDED_LENGTH) : out;
}

/** Reads a `variables:` mapping (plain values, or `{ value, expand, description, options }`). */
export function readVariables(node: PNode | undefined, scope: VariableDef['scope']): Record<string, VariableDef> {
  const out: Record<string, VariableDef> = {};
  if (!isMap(node)) return out;
  for (const [name, e] of node.entries) {
    const v = e.value;
    let value = '';
    let expand = true;
    if (isMap(v)) {
      value = textOf(get(v, 'value')) ?? '';
      const ex = get(v, 'expand');
      if (isScalar(ex) && (ex.value === false || ex.text === 'false')) expand = false;
    } else value = textOf(v) ?? '';
    const pos: SourcePos = { path: e.keyPos.path, line: e.keyPos.line };
    if (e.keyPos.col !== undefined) pos.col = e.keyPos.col;
    out[name] = { name, value, expand, scope, pos };
  }
  return out;
}
