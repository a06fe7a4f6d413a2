// A strict renderer for the subset of Helm's Go templates that deploy/helm uses: `{{ if }}`,
// `{{ else }}`, `{{ end }}`, `.Values`/`.Release`/`.Chart` paths, `not`, and the pipeline
// functions quote, default, toYaml, indent and nindent, with `{{-`/`-}}` whitespace trimming.
// No Helm binary can be installed on these machines (none is packaged for npm or Debian), so the
// chart test renders with this; it throws on anything outside the subset and on a values path
// that does not exist, where Helm would silently render nothing.
import { stringify } from 'yaml';

type Scope = Record<string, unknown>;
type Node = { kind: 'text'; text: string } | { kind: 'out'; expr: string } | { kind: 'if'; cond: string; then: Node[]; else: Node[] };

function tokens(src: string): Array<{ text?: string; action?: string }> {
  const out: Array<{ text?: string; action?: string }> = [];
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    if (open < 0) {
      out.push({ text: src.slice(i) });
      break;
    }
    let text = src.slice(i, open);
    const close = src.indexOf('}}', open);
    if (close < 0) throw new Error(`unclosed action at ${open}`);
    let action = src.slice(open + 2, close);
    if (action.startsWith('-')) {
      text = text.replace(/\s+$/, '');
      action = action.slice(1);
    }
    let next = close + 2;
    if (action.endsWith('-')) {
      action = action.slice(0, -1);
      while (next < src.length && /\s/.test(src[next]!)) next++;
    }
    out.push({ text }, { action: action.trim() });
    i = next;
  }
  return out;
}

function parseNodes(src: string): Node[] {
  const root: Node[] = [];
  const stack: Array<{ node: Extract<Node, { kind: 'if' }>; inElse: boolean }> = [];
  const target = (): Node[] => {
    const top = stack[stack.length - 1];
    return top ? (top.inElse ? top.node.else : top.node.then) : root;
  };
  for (const tok of tokens(src)) {
    if (tok.text !== undefined) {
      if (tok.text) target().push({ kind: 'text', text: tok.text });
      continue;
    }
    const a = tok.action!;
    if (a.startsWith('/*')) continue;
    if (a.startsWith('if ')) {
      const node: Extract<Node, { kind: 'if' }> = { kind: 'if', cond: a.slice(3).trim(), then: [], else: [] };
      target().push(node);
      stack.push({ node, inElse: false });
    } else if (a === 'else') {
      const top = stack[stack.length - 1];
      if (!top || top.inElse) throw new Error('else without if');
      top.inElse = true;
    } else if (a === 'end') {
      if (!stack.pop()) throw new Error('end without if');
    } else if (/^(range|with|define|include|template|block)\b/.test(a)) {
      throw new Error(`unsupported action {{ ${a} }}`);
    } else {
      target().push({ kind: 'out', expr: a });
    }
  }
  if (stack.length) throw new Error('if without end');
  return root;
}

function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

function lookup(scope: Scope, path: string): unknown {
  let cur: unknown = scope;
  for (const part of path.slice(1).split('.')) {
    if (cur === null || typeof cur !== 'object' || !(part in (cur as object))) throw new Error(`no value at ${path}`);
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function term(scope: Scope, word: string): unknown {
  if (word.startsWith('.')) return lookup(scope, word);
  if (/^"([^"\\]|\\.)*"$/.test(word)) return JSON.parse(word);
  if (/^\d+$/.test(word)) return Number(word);
  throw new Error(`unsupported term ${word}`);
}

function call(fn: string, args: unknown[], piped: unknown, hasPiped: boolean): unknown {
  const all = hasPiped ? [...args, piped] : args;
  switch (fn) {
    case 'not': return !truthy(all[0]);
    case 'quote': return JSON.stringify(String(all[0] ?? ''));
    case 'default': return truthy(all[1]) ? all[1] : all[0];
    case 'toYaml': return stringify(all[0]).replace(/\n$/, '');
    case 'indent': return String(all[1]).split('\n').map((l) => ' '.repeat(Number(all[0])) + l).join('\n');
    case 'nindent': return '\n' + String(all[1]).split('\n').map((l) => ' '.repeat(Number(all[0])) + l).join('\n');
    default: throw new Error(`unsupported function ${fn}`);
  }
}

function evaluate(scope: Scope, expr: string): unknown {
  let value: unknown;
  let first = true;
  for (const stage of expr.split('|').map((s) => s.trim())) {
    const words = stage.split(/\s+/);
    const head = words[0]!;
    if (head.startsWith('.') || head.startsWith('"') || /^\d/.test(head)) {
      if (!first || words.length > 1) throw new Error(`unsupported pipeline ${expr}`);
      value = term(scope, head);
    } else {
      value = call(head, words.slice(1).map((w) => term(scope, w)), value, !first);
    }
    first = false;
  }
  return value;
}

function renderNodes(nodes: Node[], scope: Scope): string {
  return nodes
    .map((n) => {
      if (n.kind === 'text') return n.text;
      if (n.kind === 'out') {
        const v = evaluate(scope, n.expr);
        return v === null || v === undefined ? '' : String(v);
      }
      return renderNodes(truthy(evaluate(scope, n.cond)) ? n.then : n.else, scope);
    })
    .join('');
}

/** Renders one template with `.Values` and a release name. */
export function renderTemplate(src: string, values: unknown, releaseName = 'release'): string {
  return renderNodes(parseNodes(src), { Values: values, Release: { Name: releaseName } });
}

/** Every `.Values.x.y` path a template mentions. */
export function valuesPaths(src: string): string[] {
  return [...new Set([...src.matchAll(/\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)].map((m) => m[1]!.slice(1)))];
}
