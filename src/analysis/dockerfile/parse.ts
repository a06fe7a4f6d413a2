// Dockerfile text -> DockerfileModel, over dockerfile-ast (0-based lines there, 1-based here).
// Never throws: garbage in gives a model with whatever instructions could be recognised.
import { DockerfileParser } from 'dockerfile-ast';
import type { Dockerfile, Instruction } from 'dockerfile-ast';
import type {
  DockerfileArg,
  DockerfileInstruction,
  DockerfileModel,
  DockerfileProperty,
  DockerfileStage,
  DockerfileVarUse,
} from './types.js';
import { parseCheckOptions } from './check-options.js';
import { splitWords, variableRefs } from './words.js';

const JSON_FORM_KEYWORDS = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'HEALTHCHECK']);
const PROPERTY_KEYWORDS = new Set(['ENV', 'LABEL', 'ARG']);

export function parseDockerfile(path: string, text: string): DockerfileModel {
  const lines = text.split(/\r?\n/);
  const model: DockerfileModel = {
    path,
    text,
    lines,
    globalArgs: [],
    stages: [],
    varUses: [],
    checkSkip: [],
    instructions: [],
    escapeChar: '\\',
  };
  let df: Dockerfile;
  try {
    df = DockerfileParser.parse(text);
  } catch {
    return model;
  }
  const escape = safe(() => df.getEscapeCharacter(), '\\');
  model.escapeChar = escape;
  readDirectives(df, model);
  const commentsByLine = checkComments(df);

  let stage = -1;
  for (const ins of safe(() => df.getInstructions(), [] as Instruction[])) {
    const parsed = readInstruction(ins, escape, stage, lines);
    if (!parsed) continue;
    if (parsed.keyword === 'FROM') {
      stage = model.stages.length;
      parsed.stage = stage;
      model.stages.push(readStage(parsed, stage, escape, model.stages));
    }
    parsed.skip = skipAbove(parsed.line, commentsByLine);
    model.instructions!.push(parsed);
    if (parsed.keyword === 'ARG') {
      const args = argsOf(parsed);
      if (stage < 0) model.globalArgs.push(...args);
      else model.stages[stage]!.args.push(...args);
    }
    model.varUses.push(...varUsesOf(ins, parsed, escape, lines));
  }
  return model;
}

function safe<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

function readDirectives(df: Dockerfile, model: DockerfileModel): void {
  for (const d of safe(() => df.getDirectives(), [])) {
    if (d.getName().toLowerCase() !== 'check') continue;
    const opts = parseCheckOptions(d.getValue());
    model.checkSkip = opts.skip;
    if (opts.error) model.checkError = true;
  }
}

/** Comment lines (1-based) holding `check=...`, with their parsed skip list; other comments map to null. */
function checkComments(df: Dockerfile): Map<number, string[] | 'all' | null> {
  const out = new Map<number, string[] | 'all' | null>();
  for (const c of safe(() => df.getComments(), [])) {
    const content = c.getContent().trim();
    const m = /^check\s*=\s*(\S*)/i.exec(content);
    out.set(c.getRange().start.line + 1, m ? parseCheckOptions(m[1]!).skip : null);
  }
  return out;
}

/** A `# check=skip=...` comment in the comment block directly above an instruction applies to it alone. */
function skipAbove(line: number, comments: Map<number, string[] | 'all' | null>): string[] | 'all' | undefined {
  let skip: string[] | 'all' | undefined;
  for (let l = line - 1; comments.has(l); l--) {
    const s = comments.get(l);
    if (s === 'all') return 'all';
    if (s && s.length) skip = [...(skip ?? []), ...s];
  }
  return skip;
}

function readInstruction(ins: Instruction, escape: string, stage: number, lines: string[]): DockerfileInstruction | undefined {
  const range = safe(() => ins.getRange(), null);
  if (!range) return undefined;
  const keyword = safe(() => ins.getKeyword(), '').toUpperCase();
  const written = safe(() => ins.getInstruction(), keyword);
  const raw = safe(() => rawArguments(ins, lines), '');
  const heredoc = /<<-?\s*["']?[A-Za-z_][\w-]*["']?/.test(firstLine(raw)) && keyword !== 'FROM';
  const args = heredoc ? firstLine(raw) : joinContinuations(raw, escape);
  const out: DockerfileInstruction = {
    keyword,
    written,
    line: range.start.line + 1,
    endLine: Math.min(range.end.line + 1, lines.length),
    args: args.trim(),
    stage,
    json: JSON_FORM_KEYWORDS.has(keyword) && isJsonForm(stripFlags(args.trim(), keyword)),
    heredoc,
  };
  if (PROPERTY_KEYWORDS.has(keyword)) out.props = readProps(out.args, keyword, escape);
  return out;
}

/** The text after the keyword, flags included (dockerfile-ast leaves FROM's flags out). */
function rawArguments(ins: Instruction, lines: string[]): string {
  const range = ins.getRange();
  const kw = ins.getInstructionRange();
  const first = (lines[range.start.line] ?? '').slice(kw.end.character);
  const rest = lines.slice(range.start.line + 1, range.end.line + 1);
  return [first, ...rest].join('\n').trim();
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : s.slice(0, i);
}

/** Removes `\`-newline continuations and the comment lines BuildKit drops inside them. */
// One literal per escape character BuildKit accepts (the `# escape=` directive allows only these two).
const CONTINUATION: Record<string, RegExp> = { '\\': /\\[ \t]*\n/g, '`': /`[ \t]*\n/g };

function joinContinuations(raw: string, escape: string): string {
  return raw
    .split(/\r?\n/)
    .filter((l, i) => i === 0 || !/^\s*#/.test(l))
    .join('\n')
    .replace(CONTINUATION[escape] ?? CONTINUATION['\\']!, '')
    .replace(/\n/g, ' ');
}

function stripFlags(args: string, keyword: string): string {
  if (keyword !== 'RUN' && keyword !== 'HEALTHCHECK') return args;
  return args.replace(/^(?:--\S+\s+)*/, '').replace(/^CMD\s+/i, '');
}

function isJsonForm(args: string): boolean {
  if (!args.startsWith('[')) return false;
  try {
    const v: unknown = JSON.parse(args);
    return Array.isArray(v) && v.every((x) => typeof x === 'string');
  } catch {
    return false;
  }
}

function readProps(args: string, keyword: string, escape: string): DockerfileProperty[] {
  const words = splitWords(args, escape);
  if (words.length === 0) return [];
  const first = words[0]!;
  if (!first.includes('=')) {
    if (keyword === 'ARG') return words.map((w) => ({ name: w, legacy: false }));
    const rest = args.slice(args.indexOf(first) + first.length).trim();
    return [{ name: first, value: rest, legacy: true }];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    return eq < 0 ? { name: w, legacy: false } : { name: w.slice(0, eq), value: w.slice(eq + 1), legacy: false };
  });
}

function argsOf(ins: DockerfileInstruction): DockerfileArg[] {
  return (ins.props ?? []).map((p) => ({ name: p.name, defaultValue: p.value, line: ins.line }));
}

function readStage(ins: DockerfileInstruction, index: number, escape: string, earlier: DockerfileStage[]): DockerfileStage {
  const words = splitWords(ins.args, escape);
  let platform: string | undefined;
  let i = 0;
  for (; i < words.length && words[i]!.startsWith('--'); i++) {
    const m = /^--platform=(.*)$/.exec(words[i]!);
    if (m) platform = m[1];
  }
  const image = words[i] ?? '';
  const stage: DockerfileStage = { index, line: ins.line, image, args: [], fromKeyword: ins.written };
  if (platform !== undefined) stage.platform = platform;
  if (words[i + 1] && /^as$/i.test(words[i + 1]!) && words[i + 2]) {
    stage.asKeyword = words[i + 1];
    stage.name = words[i + 2];
  }
  const names = stageNamesOf(earlier);
  const base = names.get(image.toLowerCase());
  if (base !== undefined) stage.baseStage = base;
  // The caller appends this stage to `earlier` next; the first stage of a name wins, as before.
  if (stage.name !== undefined && !names.has(stage.name.toLowerCase())) names.set(stage.name.toLowerCase(), index);
  return stage;
}

// Lower-cased stage name -> first stage index, per stage list: a lookup per FROM over all earlier
// stages made a file of thousands of `FROM a AS b` lines quadratic.
const stageNameIndexes = new WeakMap<DockerfileStage[], Map<string, number>>();

function stageNamesOf(stages: DockerfileStage[]): Map<string, number> {
  let names = stageNameIndexes.get(stages);
  if (!names) {
    names = new Map();
    for (const s of stages) if (s.name !== undefined && !names.has(s.name.toLowerCase())) names.set(s.name.toLowerCase(), s.index);
    stageNameIndexes.set(stages, names);
  }
  return names;
}

function varUsesOf(ins: Instruction, parsed: DockerfileInstruction, escape: string, lines: string[]): DockerfileVarUse[] {
  const raw = safe(() => rawArguments(ins, lines), '');
  const out: DockerfileVarUse[] = [];
  let line = parsed.line;
  let col = 0;
  for (const ref of variableRefs(raw, escape)) {
    // Locate the reference on its physical line so fixes and notes point at the right place.
    for (let l = line; l <= parsed.endLine; l++) {
      const at = (lines[l - 1] ?? '').indexOf(ref.raw, l === line ? col : 0);
      if (at >= 0) {
        line = l;
        col = at + ref.raw.length;
        break;
      }
    }
    out.push({ name: ref.name, instruction: parsed.keyword, line, hasModifier: ref.modifier !== null });
  }
  return out;
}
