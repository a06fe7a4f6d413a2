// `include:` resolution. Local files (with GitLab's wildcards) and project files are read through
// the CiFileSource; remote, template and component includes are never fetched and are reported
// as unresolved. Included files are deep-merged in order, then the including file on top.
import type { Finding } from '../types.js';
import type { CiFileSource, SourcePos, UnresolvedInclude } from './types.js';
import type { PMap, PNode } from './node.js';
import { deepMerge, emptyMap, get, isMap, isScalar, isSeq, textOf, withoutKey } from './node.js';
import { problem } from './problems.js';
import type { Budget } from './problems.js';
import { parseCiYaml } from './parse.js';
import type { InputValues } from './inputs.js';
import { isIncludeGlob, matchIncludeGlob } from './glob.js';
import { code } from '../../text/markdown.js';
import { validateInclude } from './validate/index.js';

/** GitLab's limits: 150 included files per pipeline (instance default), nesting 100 levels. */
export const MAX_INCLUDES = 150;
export const MAX_INCLUDE_DEPTH = 100;

type Where = { kind: 'local' } | { kind: 'project'; project: string; ref?: string };

export interface IncludeCtx {
  source: CiFileSource;
  budget: Budget;
  problems: Finding[];
  unresolved: UnresolvedInclude[];
  files: Map<string, string>;
  maxIncludes: number;
  maxFileBytes: number;
  count: number;
  seen: Set<string>;
  limitReported: boolean;
}

function displayPath(where: Where, path: string): string {
  return where.kind === 'local' ? path : `${where.project}:${path}${where.ref ? `@${where.ref}` : ''}`;
}

async function read(where: Where, path: string, ctx: IncludeCtx): Promise<string | null> {
  if (where.kind === 'local') return ctx.source.readLocal(path);
  return ctx.source.readProject ? ctx.source.readProject(where.project, path, where.ref) : null;
}

/** Reads, parses and resolves the includes of one file; null when it cannot be used. */
export async function loadFile(where: Where, path: string, ctx: IncludeCtx, depth: number, inputs: InputValues, from?: SourcePos): Promise<PMap | null> {
  const shown = displayPath(where, path);
  const text = await read(where, path, ctx);
  if (text === null) return null;
  if (Buffer.byteLength(text, 'utf8') > ctx.maxFileBytes) {
    ctx.problems.push(problem('file-too-large', `${shown} is larger than ${ctx.maxFileBytes} bytes; it was not read.`, from ?? { path: shown, line: 1 }));
    return emptyMap({ path: shown, line: 1 });
  }
  ctx.files.set(shown, text);
  const parsed = parseCiYaml(shown, text, ctx.budget, ctx.problems, inputs);
  if (!parsed.tree) return emptyMap({ path: shown, line: 1 });
  const includeNode = get(parsed.tree, 'include');
  if (includeNode === undefined) return parsed.tree;
  validateInclude(includeNode, ctx.problems);
  let acc: PNode = emptyMap({ path: shown, line: 1 });
  for (const item of includeItems(includeNode)) {
    for (const tree of await loadInclude(item, where, ctx, depth + 1)) acc = deepMerge(acc, tree);
  }
  return deepMerge(acc, withoutKey(parsed.tree, 'include')) as PMap;
}

function includeItems(n: PNode): PNode[] {
  return isSeq(n) ? n.items : [n];
}

function unresolved(ctx: IncludeCtx, kind: UnresolvedInclude['kind'], target: string, reason: string, pos: SourcePos): void {
  ctx.unresolved.push({ kind, target, reason, pos });
}

function inputsOf(n: PNode | undefined): InputValues {
  const out: InputValues = {};
  if (!isMap(n)) return out;
  for (const [k, e] of n.entries) out[k] = isSeq(e.value) ? e.value.items.map((i) => textOf(i) ?? '') : (textOf(e.value) ?? '');
  return out;
}

async function loadInclude(item: PNode, where: Where, ctx: IncludeCtx, depth: number): Promise<PMap[]> {
  const pos = item.pos;
  if (isScalar(item)) {
    const s = item.text;
    if (/^https?:\/\//i.test(s)) {
      unresolved(ctx, 'remote', s, 'remote includes are not fetched by ci-medic', pos);
      return [];
    }
    return loadLocal(s, where, ctx, depth, {}, pos);
  }
  if (!isMap(item)) {
    ctx.problems.push(problem('include-invalid', 'An include entry must be a path or a mapping (local, project, remote, template, component).', pos));
    return [];
  }
  const inputs = inputsOf(get(item, 'inputs'));
  const local = textOf(get(item, 'local'));
  if (local !== undefined) return loadLocal(local, where, ctx, depth, inputs, pos);
  const project = textOf(get(item, 'project'));
  if (project !== undefined) return loadProject(item, project, ctx, depth, inputs, pos);
  for (const kind of ['remote', 'template', 'component'] as const) {
    const target = textOf(get(item, kind));
    if (target !== undefined) {
      const what = kind === 'remote' ? 'remote includes' : kind === 'template' ? 'GitLab CI templates' : 'CI/CD components';
      unresolved(ctx, kind, target, `${what} are not fetched by ci-medic; use the CI lint merged YAML to see their jobs`, pos);
      return [];
    }
  }
  const artifact = textOf(get(item, 'artifact'));
  unresolved(ctx, 'unknown', artifact ?? '(unrecognised include)', artifact ? 'artifact includes exist only at pipeline run time' : 'unrecognised include form', pos);
  return [];
}

function admit(ctx: IncludeCtx, depth: number, pos: SourcePos): boolean {
  if (depth > MAX_INCLUDE_DEPTH) {
    ctx.problems.push(problem('include-depth', `Includes nest more than ${MAX_INCLUDE_DEPTH} levels deep.`, pos));
    return false;
  }
  if (ctx.count >= ctx.maxIncludes) {
    if (!ctx.limitReported) ctx.problems.push(problem('include-limit', `More than ${ctx.maxIncludes} files are included; GitLab stops at this limit.`, pos));
    ctx.limitReported = true;
    return false;
  }
  ctx.count++;
  return true;
}

async function loadLocal(raw: string, where: Where, ctx: IncludeCtx, depth: number, inputs: InputValues, pos: SourcePos): Promise<PMap[]> {
  const path = raw.replace(/^\/+/, '');
  const target = displayPath(where, path);
  if (path.includes('$')) {
    unresolved(ctx, 'local', target, 'the path uses a CI variable whose value is unknown at lint time', pos);
    return [];
  }
  let paths = [path];
  if (isIncludeGlob(path)) {
    if (where.kind !== 'local' || !ctx.source.listLocal) {
      unresolved(ctx, 'local', target, 'wildcard includes cannot be listed here', pos);
      return [];
    }
    paths = matchIncludeGlob(path, await ctx.source.listLocal(path));
    if (paths.length === 0) {
      ctx.problems.push(problem('include-missing', `No file matches the local include ${code(raw)}.`, pos));
      unresolved(ctx, 'local', target, 'no file matches this wildcard', pos);
      return [];
    }
  }
  const out: PMap[] = [];
  for (const p of paths) {
    const key = displayPath(where, p);
    if (ctx.seen.has(key)) continue;
    ctx.seen.add(key);
    if (!admit(ctx, depth, pos)) break;
    const tree = await loadFile(where, p, ctx, depth, inputs, pos);
    if (tree) out.push(tree);
    else {
      ctx.problems.push(problem('include-missing', `Included file ${code(key)} does not exist at this commit.`, pos));
      unresolved(ctx, 'local', key, 'file not found at this commit', pos);
    }
  }
  return out;
}

async function loadProject(item: PMap, project: string, ctx: IncludeCtx, depth: number, inputs: InputValues, pos: SourcePos): Promise<PMap[]> {
  const ref = textOf(get(item, 'ref'));
  const fileNode = get(item, 'file');
  const files = isSeq(fileNode) ? fileNode.items.map((i) => textOf(i) ?? '') : [textOf(fileNode) ?? ''];
  const out: PMap[] = [];
  for (const f of files) {
    const where: Where = ref ? { kind: 'project', project, ref } : { kind: 'project', project };
    const path = f.replace(/^\/+/, '');
    const key = displayPath(where, path);
    if (!ctx.source.readProject) {
      unresolved(ctx, 'project', key, 'files of other projects cannot be read here', pos);
      continue;
    }
    if ([project, path, ref ?? ''].some((s) => s.includes('$'))) {
      unresolved(ctx, 'project', key, 'the include uses a CI variable whose value is unknown at lint time', pos);
      continue;
    }
    if (ctx.seen.has(key)) continue;
    ctx.seen.add(key);
    if (!admit(ctx, depth, pos)) break;
    const tree = await loadFile(where, path, ctx, depth, inputs, pos);
    if (tree) out.push(tree);
    else unresolved(ctx, 'project', key, 'the file does not exist or the bot cannot read that project', pos);
  }
  return out;
}
