// `!reference [job, key, ...]` like GitLab's Yaml::Tags::Resolver: looked up in the configuration
// after includes and extends, nested references resolved up to 10 levels, cycles refused.
import type { Finding } from '../types.js';
import type { PMap, PNode } from './node.js';
import { isMap } from './node.js';
import { problem } from './problems.js';
import type { Budget } from './problems.js';

export const MAX_REFERENCE_NESTING = 10;

export function resolveReferences(root: PMap, problems: Finding[], budget: Budget): PMap {
  const memo = new Map<string, PNode>();
  const reported = new Set<string>();
  const report = (key: string, f: Finding): void => {
    if (!reported.has(key)) {
      reported.add(key);
      problems.push(f);
    }
  };

  const lookup = (path: string[]): PNode | undefined => {
    let n: PNode | undefined = root;
    for (const k of path) n = isMap(n) ? n.entries.get(k)?.value : undefined;
    return n;
  };

  const walk = (n: PNode, stack: string[], mark: boolean): PNode => {
    budget.node(n.pos);
    if (n.kind === 'ref') {
      const key = JSON.stringify(n.path);
      const shown = `!reference [${n.path.join(', ')}]`;
      if (stack.includes(key)) {
        report(`cycle:${key}`, problem('reference-invalid', `${shown} refers to itself.`, n.pos, { reference: n.path }));
        return { kind: 'scalar', value: null, text: '', pos: n.pos, via: 'reference' };
      }
      if (stack.length >= MAX_REFERENCE_NESTING) {
        report(`deep:${key}`, problem('reference-too-deep', `${shown}: references nest more than ${MAX_REFERENCE_NESTING} levels deep.`, n.pos, { reference: n.path }));
        return { kind: 'scalar', value: null, text: '', pos: n.pos, via: 'reference' };
      }
      const cached = memo.get(key);
      if (cached) return cached;
      const target = n.path.length > 0 ? lookup(n.path) : undefined;
      if (target === undefined) {
        report(`missing:${key}`, problem('reference-missing', `${shown} could not be found.`, n.pos, { reference: n.path }));
        return { kind: 'scalar', value: null, text: '', pos: n.pos, via: 'reference' };
      }
      const resolved = walk(target, [...stack, key], true);
      memo.set(key, resolved);
      return resolved;
    }
    const via = mark ? ('reference' as const) : n.via;
    if (n.kind === 'scalar') return mark ? { ...n, via } : n;
    if (n.kind === 'seq') return { ...n, via, items: n.items.map((i) => walk(i, stack, mark)) };
    const entries = new Map<string, { key: string; keyPos: PMap['pos']; value: PNode }>();
    for (const [k, e] of n.entries) entries.set(k, { ...e, value: walk(e.value, stack, mark) });
    return { ...n, via, entries };
  };

  return walk(root, [], false) as PMap;
}
