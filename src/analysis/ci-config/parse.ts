// YAML text -> PNode tree with positions. Applies anchors, aliases and `<<` merge keys itself
// (so every value keeps the line it is written on), keeps `!reference` as a PRef, skips a
// `spec:` header document and interpolates `$[[ inputs.x ]]`.
import { LineCounter, parseAllDocuments, isAlias, isMap as isYMap, isSeq as isYSeq, isScalar as isYScalar, isPair, visit } from 'yaml';
import type { Document, Node as YNode, Scalar, YAMLMap, YAMLSeq, Alias, CollectionTag } from 'yaml';
import type { Finding } from '../types.js';
import type { SourcePos } from './types.js';
import type { PEntry, PMap, PNode } from './node.js';
import { emptyMap, get, isMap, textOf } from './node.js';
import { BoundExceeded, problem } from './problems.js';
import type { Budget } from './problems.js';
import { interpolateInputs } from './inputs.js';
import { validateSpec } from './validate/index.js';
import { COERCED_VALUE, DUPLICATE_KEY, MERGE_SHALLOW, coercedNumber, fact, yaml11Boolean } from './yaml-facts.js';
import type { InputValues } from './inputs.js';

/** GitLab's `!reference [job, key, ...]`: kept as a tagged sequence, resolved after includes and extends. */
export const referenceTag: CollectionTag = { tag: '!reference', collection: 'seq', default: false, resolve: (v) => v };

/** How deep a YAML value may nest before we give up (GitLab's own limits are far lower). */
const MAX_DEPTH = 200;

export interface ParsedFile {
  tree: PMap | null;
  /** Default values of `spec:inputs` from the header document, if any. */
  inputDefaults: InputValues;
}

interface Ctx {
  path: string;
  src: string;
  lc: LineCounter;
  budget: Budget;
  anchors: Map<string, YNode[]>;
  tops: { start: number; end: number; key: string }[];
  inputs: InputValues;
  /** Warnings about YAML GitLab reads differently than it looks (yaml-facts.ts); pushed once per node. */
  facts: Finding[];
  factSeen: Set<string>;
  problems: Finding[];
}

export function parseCiYaml(path: string, text: string, budget: Budget, problems: Finding[], inputs: InputValues = {}): ParsedFile {
  const lc = new LineCounter();
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { merge: true, customTags: [referenceTag], lineCounter: lc, uniqueKeys: false, prettyErrors: false }) as Document.Parsed[];
  } catch (e) {
    problems.push(problem('yaml-syntax', `YAML could not be parsed: ${String((e as Error).message ?? e).slice(0, 200)}`, { path, line: 1 }));
    return { tree: null, inputDefaults: {} };
  }
  if (!Array.isArray(docs)) docs = [docs];
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) {
      const line = lc.linePos(err.pos[0]).line;
      const first = err.message.split('\n')[0] ?? '';
      const tabs = first.startsWith('Tabs are not allowed');
      problems.push(problem(tabs ? 'yaml-tab-indent' : 'yaml-syntax', tabs ? `YAML syntax error: a tab is used for indentation on line ${line}; YAML (and GitLab) only accept spaces there.` : `YAML syntax error: ${first}`, { path, line }));
      return { tree: null, inputDefaults: {} };
    }
  }
  let body = docs[0];
  let inputDefaults: InputValues = {};
  if (docs.length >= 2 && isYMap(docs[0]?.contents) && (docs[0]?.contents as YAMLMap).has('spec')) {
    const header = convertDoc(docs[0]!, path, text, lc, budget, {}, problems);
    const specNode = get(header ?? undefined, 'spec');
    if (specNode) validateSpec(specNode, problems);
    inputDefaults = defaultsOf(get(specNode, 'inputs'));
    body = docs[1];
  }
  if (!body) return { tree: emptyMap({ path, line: 1 }), inputDefaults };
  const tree = convertDoc(body, path, text, lc, budget, { ...inputDefaults, ...inputs }, problems);
  if (tree === null) return { tree: emptyMap({ path, line: 1 }), inputDefaults };
  if (!isMap(tree)) {
    problems.push(problem('yaml-syntax', 'The CI configuration must be a YAML mapping (key: value) at the top level.', tree.pos));
    return { tree: null, inputDefaults };
  }
  return { tree, inputDefaults };
}

function defaultsOf(inputs: PNode | undefined): InputValues {
  const out: InputValues = {};
  if (!isMap(inputs)) return out;
  for (const [name, e] of inputs.entries) {
    const d = get(e.value, 'default');
    if (d === undefined) continue;
    out[name] = d.kind === 'seq' ? d.items.map((i) => textOf(i) ?? '') : (textOf(d) ?? '');
  }
  return out;
}

function convertDoc(doc: Document.Parsed, path: string, src: string, lc: LineCounter, budget: Budget, inputs: InputValues, problems: Finding[]): PNode | null {
  const anchors = new Map<string, YNode[]>();
  visit(doc, {
    Node(_k, n) {
      if (n.anchor) {
        const list = anchors.get(n.anchor) ?? [];
        list.push(n as YNode);
        anchors.set(n.anchor, list);
      }
    },
  });
  const tops: Ctx['tops'] = [];
  if (isYMap(doc.contents)) {
    for (const p of doc.contents.items) {
      const k = p.key as YNode | null;
      const start = k?.range?.[0] ?? 0;
      const v = p.value as YNode | null;
      tops.push({ start, end: v?.range?.[2] ?? k?.range?.[2] ?? start, key: keyText(k) });
    }
  }
  const ctx: Ctx = { path, src, lc, budget, anchors, tops, inputs, facts: problems, factSeen: new Set(), problems };
  if (!doc.contents) return null;
  return convert(doc.contents as YNode, ctx, 0, undefined, undefined);
}

function posOf(n: YNode | null | undefined, ctx: Ctx): SourcePos {
  const r = n?.range;
  if (!r) return { path: ctx.path, line: 1 };
  const start = ctx.lc.linePos(r[0]);
  let endOff = r[1];
  // The value ends at its last visible character, not the newline a block scalar swallows.
  while (endOff > r[0] && /\s/.test(charAt(ctx, endOff - 1))) endOff--;
  const end = ctx.lc.linePos(Math.max(r[0], endOff - 1));
  const pos: SourcePos = { path: ctx.path, line: start.line, col: start.col };
  if (end.line !== start.line) pos.endLine = end.line;
  return pos;
}

function charAt(ctx: Ctx, off: number): string {
  return ctx.src.charAt(off);
}

function topAt(ctx: Ctx, offset: number): string | undefined {
  for (const t of ctx.tops) if (offset >= t.start && offset < Math.max(t.end, t.start + 1)) return t.key;
  return undefined;
}

function keyText(k: unknown): string {
  if (isYScalar(k)) {
    const v = (k as Scalar).value;
    if (typeof v === 'symbol') return '<<';
    return v === null ? '' : String(v);
  }
  if (isAlias(k)) return String((k as Alias).source);
  return k == null ? '' : String(k);
}

function isMergeKey(k: unknown): boolean {
  return isYScalar(k) && (typeof (k as Scalar).value === 'symbol' || ((k as Scalar).source === '<<' && (k as Scalar).type === 'PLAIN'));
}

function resolveAlias(a: Alias, ctx: Ctx): YNode | undefined {
  const defs = ctx.anchors.get(a.source);
  if (!defs) return undefined;
  const at = a.range?.[0] ?? Infinity;
  let found: YNode | undefined;
  for (const d of defs) if ((d.range?.[0] ?? 0) < at) found = d;
  return found;
}

function convert(n: YNode, ctx: Ctx, depth: number, top: string | undefined, via: 'anchor' | undefined): PNode {
  if (depth > MAX_DEPTH) throw new BoundExceeded('nesting-too-deep', `Values nest more than ${MAX_DEPTH} levels deep.`, posOf(n, ctx));
  ctx.budget.node();
  if (isAlias(n)) {
    ctx.budget.alias(posOf(n, ctx));
    const target = resolveAlias(n as Alias, ctx);
    if (!target) {
      const at = posOf(n, ctx);
      note(ctx, `alias:${at.line}:${at.col}`, () => ctx.problems.push(problem('yaml-unknown-alias', `YAML alias \`*${(n as Alias).source}\` refers to an anchor that is not defined before it (\`&${(n as Alias).source}\`); GitLab refuses the file: "An alias referenced an unknown anchor".`, at, { alias: (n as Alias).source })));
      return { kind: 'scalar', value: null, text: '', pos: at, top, via: 'anchor' };
    }
    return convert(target, ctx, depth + 1, topAt(ctx, target.range?.[0] ?? 0) ?? top, 'anchor');
  }
  const pos = posOf(n, ctx);
  if (isYSeq(n)) {
    const seq = n as YAMLSeq;
    if (seq.tag === '!reference') {
      return { kind: 'ref', path: seq.items.map((i) => textOfY(i as YNode, ctx)), pos, top, via };
    }
    return { kind: 'seq', items: seq.items.map((i) => convert(i as YNode, ctx, depth + 1, top, via)), pos, top, via };
  }
  if (isYMap(n)) return convertMap(n as YAMLMap, pos, ctx, depth, top, via);
  const s = n as Scalar;
  const raw = s.value;
  if (typeof raw === 'string' && s.type === 'PLAIN') {
    const b = yaml11Boolean(raw);
    if (b !== undefined) {
      // GitLab's YAML 1.1 loader turns these into booleans: model what GitLab sees.
      if (via === undefined) note(ctx, `bool:${pos.line}:${pos.col}`, () => ctx.facts.push(fact(COERCED_VALUE, `\`${raw}\` is unquoted, so GitLab's YAML 1.1 loader reads it as the boolean ${b} (the value becomes \`${b}\`); quote it if you mean the word: "${raw}".`, pos, { written: raw, gitlab: b })));
      return { kind: 'scalar', value: b, text: String(b), pos, top, via };
    }
  }
  if (typeof raw === 'string') {
    const interpolated = interpolateInputs(raw, ctx.inputs);
    if (Array.isArray(interpolated)) {
      return { kind: 'seq', pos, top, via, items: interpolated.map((v) => ({ kind: 'scalar', value: v, text: v, pos, top, via })) };
    }
    return { kind: 'scalar', value: interpolated, text: interpolated, pos, top, via };
  }
  const value = raw === undefined ? null : typeof raw === 'number' || typeof raw === 'boolean' || raw === null ? raw : String(raw);
  const text = value === null ? '' : typeof s.source === 'string' && typeof raw === 'number' ? s.source : String(value);
  if (typeof raw === 'number' && s.type === 'PLAIN' && typeof s.source === 'string' && via === undefined) {
    const gitlab = coercedNumber(s.source, raw);
    if (gitlab !== undefined) {
      note(ctx, `num:${pos.line}:${pos.col}`, () => ctx.facts.push(fact(COERCED_VALUE, `\`${s.source}\` is unquoted, so GitLab reads it as the number ${gitlab} (the value becomes \`${gitlab}\`, not \`${s.source}\`); quote it: "${s.source}".`, pos, { written: s.source, gitlab })));
    }
  }
  return { kind: 'scalar', value, text, pos, top, via };
}

function textOfY(n: YNode, ctx: Ctx): string {
  if (isAlias(n)) {
    const t = resolveAlias(n as Alias, ctx);
    return t && isYScalar(t) ? String((t as Scalar).value) : '';
  }
  return isYScalar(n) ? String((n as Scalar).value ?? '') : '';
}

function convertMap(m: YAMLMap, pos: SourcePos, ctx: Ctx, depth: number, top: string | undefined, via: 'anchor' | undefined): PMap {
  const entries = new Map<string, PEntry>();
  const merges: YNode[] = [];
  // Duplicate keys: the last one wins, as with GitLab's YAML loader (Psych).
  const firstAt = new Map<string, SourcePos>();
  for (const p of m.items) {
    if (!isPair(p)) continue;
    if (isMergeKey(p.key)) {
      const v = p.value as YNode | null;
      if (v && isYSeq(v)) merges.push(...((v as YAMLSeq).items as YNode[]));
      else if (v) merges.push(v);
      continue;
    }
    const keyNode = p.key as YNode | null;
    const key = interpolateKey(keyText(keyNode), ctx);
    const t = depth === 0 ? key : top;
    const valueNode = p.value as YNode | null;
    const keyPos = posOf(keyNode, ctx);
    describeValue(keyPos, valueNode, ctx);
    const value: PNode = valueNode ? convert(valueNode, ctx, depth + 1, t, via) : { kind: 'scalar', value: null, text: '', pos: keyPos, top: t, via };
    const earlier = firstAt.get(key);
    if (earlier && via === undefined) {
      note(ctx, `dup:${keyPos.line}:${keyPos.col}`, () => ctx.facts.push(fact(DUPLICATE_KEY, `\`${key}:\` is written twice in the same mapping (line ${earlier.line} and line ${keyPos.line}); YAML keeps only the last one, so what line ${earlier.line} sets is silently ignored. Merge the two into one \`${key}:\`.`, keyPos, { key, first: earlier.line })));
    }
    firstAt.set(key, keyPos);
    entries.set(key, { key, keyPos, value });
  }
  // Merge keys: explicit keys win, and among merged maps the first one listed wins.
  for (const src of merges) {
    const merged = convert(src, ctx, depth + 1, top, 'anchor');
    if (!isMap(merged)) continue;
    for (const [k, e] of merged.entries) {
      const own = entries.get(k);
      if (!own) {
        entries.set(k, e);
        continue;
      }
      if (via === undefined && isMap(own.value) && isMap(e.value) && !own.value.via) {
        const lost = [...e.value.entries.keys()].filter((x) => !(own.value as PMap).entries.has(x));
        if (lost.length > 0) {
          const shown = lost.slice(0, 5).join(', ') + (lost.length > 5 ? ` and ${lost.length - 5} more` : '');
          note(ctx, `merge:${own.keyPos.line}:${own.keyPos.col}`, () => ctx.facts.push(fact(MERGE_SHALLOW, `\`${k}:\` written here replaces the \`${k}:\` that \`<<:\` merges in (line ${e.keyPos.line}): YAML merge keys are shallow, so ${shown} ${lost.length === 1 ? 'is' : 'are'} lost. Repeat ${lost.length === 1 ? 'it' : 'them'} here, or use \`extends:\`, which merges nested mappings.`, own.keyPos, { key: k, lost, from: e.keyPos.line })));
        }
      }
    }
  }
  return { kind: 'map', entries, pos, top, via };
}

function interpolateKey(key: string, ctx: Ctx): string {
  const v = interpolateInputs(key, ctx.inputs);
  return Array.isArray(v) ? key : v;
}

/** Record on a key's position how its value is written, so fixes know where to append. */
function describeValue(keyPos: SourcePos, v: YNode | null, ctx: Ctx): void {
  if (!v) return;
  if (isAlias(v)) keyPos.valueStyle = 'alias';
  else if (isYSeq(v)) {
    const seq = v as YAMLSeq;
    if (seq.tag === '!reference') keyPos.valueStyle = 'reference';
    else {
      keyPos.valueStyle = seq.flow ? 'flow-seq' : 'block-seq';
      const last = seq.items[seq.items.length - 1] as YNode | undefined;
      if (last) {
        const lp = posOf(last, ctx);
        keyPos.lastItemLine = lp.endLine ?? lp.line;
      }
      if (!seq.flow && seq.range) keyPos.indent = ctx.lc.linePos(seq.range[0]).col - 1;
    }
  } else if (isYMap(v)) keyPos.valueStyle = 'map';
  else if (isYScalar(v)) keyPos.valueStyle = 'scalar';
  else keyPos.valueStyle = 'other';
}


/** Records a fact once, even when the node is converted again through an alias. */
function note(ctx: Ctx, key: string, push: () => void): void {
  const k = `${ctx.path}:${key}`;
  if (ctx.factSeen.has(k)) return;
  ctx.factSeen.add(k);
  push();
}
