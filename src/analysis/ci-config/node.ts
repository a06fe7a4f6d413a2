// A position-keeping tree of one CI configuration. The yaml AST is converted into this small
// model once (anchors, aliases and merge keys already applied) so that merging includes,
// extends and !reference can work on plain values without ever losing where a value is written.
import type { SourcePos } from './types.js';

/** How a value reached its place: through a YAML alias/merge key, or a `!reference`. */
export type Via = 'anchor' | 'reference';

interface NodeBase {
  pos: SourcePos;
  /** Top-level key of the file under which the node is written (for ScriptLine.origin). */
  top?: string;
  via?: Via;
}

export interface PEntry {
  key: string;
  keyPos: SourcePos;
  value: PNode;
}

export interface PMap extends NodeBase {
  kind: 'map';
  entries: Map<string, PEntry>;
}

export interface PSeq extends NodeBase {
  kind: 'seq';
  items: PNode[];
}

export interface PScalar extends NodeBase {
  kind: 'scalar';
  value: string | number | boolean | null;
  /** The value as text, as GitLab would turn it into a string (numbers keep their source form). */
  text: string;
}

/** An unresolved `!reference [job, key, ...]`. */
export interface PRef extends NodeBase {
  kind: 'ref';
  path: string[];
}

export type PNode = PMap | PSeq | PScalar | PRef;

export function isMap(n: PNode | undefined): n is PMap {
  return n?.kind === 'map';
}
export function isSeq(n: PNode | undefined): n is PSeq {
  return n?.kind === 'seq';
}
export function isScalar(n: PNode | undefined): n is PScalar {
  return n?.kind === 'scalar';
}

export function emptyMap(pos: SourcePos): PMap {
  return { kind: 'map', pos, entries: new Map() };
}

export function get(n: PNode | undefined, key: string): PNode | undefined {
  return isMap(n) ? n.entries.get(key)?.value : undefined;
}

export function entry(n: PNode | undefined, key: string): PEntry | undefined {
  return isMap(n) ? n.entries.get(key) : undefined;
}

/** Scalar text, or undefined for collections and null. */
export function textOf(n: PNode | undefined): string | undefined {
  if (!isScalar(n) || n.value === null) return undefined;
  return n.text;
}

export function withoutKey(m: PMap, key: string): PMap {
  if (!m.entries.has(key)) return m;
  const entries = new Map(m.entries);
  entries.delete(key);
  return { ...m, entries };
}

/** Rails' Hash#deep_merge: hashes merge recursively, anything else on the right replaces the left. */
export function deepMerge(left: PNode | undefined, right: PNode): PNode {
  if (!isMap(left) || !isMap(right)) return right;
  const entries = new Map(left.entries);
  for (const [key, r] of right.entries) {
    const l = entries.get(key);
    entries.set(key, l && isMap(l.value) && isMap(r.value) ? { ...r, value: deepMerge(l.value, r.value) } : r);
  }
  return { ...right, entries };
}
