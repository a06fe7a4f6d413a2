// `extends:` like GitLab's Config::Extendable: parents (single or list, in order) are deep-merged
// under the job, hashes merge and everything else (arrays included) is replaced. A chain may be
// at most 11 levels (the job plus 10 ancestors); cycles and missing parents are problems.
import type { Finding } from '../types.js';
import type { PMap, PNode } from './node.js';
import { deepMerge, emptyMap, entry, isMap, isScalar, isSeq } from './node.js';
import { problem } from './problems.js';
import type { Budget } from './problems.js';
import { code } from '../../text/markdown.js';

export const MAX_EXTENDS_NESTING = 10;

export interface ExtendsResult {
  root: PMap;
  /** job -> every ancestor, nearest first. */
  chains: Map<string, string[]>;
  /** Jobs whose extends chain has a missing, invalid or circular link (their model is incomplete). */
  broken: Set<string>;
}

export function parentsOf(job: PNode): string[] {
  const ext = entry(job, 'extends')?.value;
  if (isScalar(ext) && ext.value !== null) return [ext.text];
  if (isSeq(ext)) return ext.items.filter(isScalar).map((i) => i.text);
  return [];
}

export function resolveExtends(root: PMap, problems: Finding[], budget: Budget): ExtendsResult {
  const done = new Map<string, PMap>();
  const chains = new Map<string, string[]>();
  const broken = new Set<string>();
  const reported = new Set<string>();
  const report = (key: string, f: Finding): void => {
    if (reported.has(key)) return;
    reported.add(key);
    problems.push(f);
  };

  // Ancestor levels above an entry, independent of the order jobs are resolved in (cycles count 0).
  const heights = new Map<string, number>();
  const height = (name: string, path: string[]): number => {
    const known = heights.get(name);
    if (known !== undefined) return known;
    if (path.includes(name)) return 0;
    const e = root.entries.get(name);
    const ps = e && isMap(e.value) ? parentsOf(e.value) : [];
    let h = 0;
    for (const p of ps) if (root.entries.has(p)) h = Math.max(h, 1 + height(p, [...path, name]));
    heights.set(name, h);
    return h;
  };

  const resolve = (name: string, stack: string[]): PMap => {
    const node = root.entries.get(name)!.value as PMap;
    const cached = done.get(name);
    if (cached) return cached;
    budget.node(node.pos);
    const parents = parentsOf(node);
    const extPos = entry(node, 'extends')?.keyPos ?? node.pos;
    if (parents.length === 0) {
      done.set(name, node);
      chains.set(name, []);
      return node;
    }
    if (height(name, []) > MAX_EXTENDS_NESTING + 1) {
      broken.add(name);
      report(`deep:${name}`, problem('extends-too-deep', `${code(name)}: extends nests more than ${MAX_EXTENDS_NESTING + 1} levels deep.`, extPos, { job: name }));
      done.set(name, node);
      return node;
    }
    let acc: PNode = emptyMap(node.pos);
    const chain: string[] = [];
    for (const p of parents) {
      const pe = root.entries.get(p);
      if (!pe) {
        broken.add(name);
        report(`missing:${name}:${p}`, problem('extends-missing', `${code(name)} extends ${code(p)}, which does not exist.`, extPos, { job: name, parent: p }));
        continue;
      }
      if (!isMap(pe.value)) {
        broken.add(name);
        report(`invalid:${name}:${p}`, problem('extends-invalid', `${code(name)} extends ${code(p)}, which is not a mapping.`, extPos, { job: name, parent: p }));
        continue;
      }
      if (stack.includes(p) || p === name) {
        const cycle = [...stack.slice(stack.indexOf(p) >= 0 ? stack.indexOf(p) : 0), name, p];
        broken.add(name);
        report(`cycle:${[...cycle].sort().join(',')}`, problem('extends-cycle', `Circular extends: ${cycle.join(' -> ')}.`, extPos, { job: name, cycle }));
        continue;
      }
      acc = deepMerge(acc, resolve(p, [...stack, name]));
      if (broken.has(p)) broken.add(name);
      chain.push(p);
    }
    for (const p of [...chain]) for (const a of chains.get(p) ?? []) if (!chain.includes(a)) chain.push(a);
    const merged = deepMerge(acc, node) as PMap;
    done.set(name, merged);
    chains.set(name, chain);
    return merged;
  };

  const entries = new Map(root.entries);
  for (const [name, e] of root.entries) {
    if (isMap(e.value) && e.value.entries.has('extends')) entries.set(name, { ...e, value: resolve(name, []) });
  }
  return { root: { ...root, entries }, chains, broken };
}
