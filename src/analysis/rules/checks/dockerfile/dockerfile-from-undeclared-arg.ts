// The seed rule (BuildKit UndefinedArgInFrom): a FROM uses $VAR with no ARG before the first FROM.
// Typically a GitLab CI variable, which does not exist inside a Dockerfile, and `--build-arg`
// alone cannot help because BuildKit only accepts build args that an ARG declares.
import type { Finding, TextEdit } from '../../../types.js';
import type { StaticCheck } from '../../types.js';
import type { DockerfileModel, DockerfileStage } from '../../../dockerfile/types.js';
import { processWord } from '../../../dockerfile/words.js';
import { warningToFinding } from '../../../dockerfile/lint.js';
import { addBuildArgsEdit } from '../../../fixes/build-arg.js';
import { buildViews, dedupe, type DockerfileBuildView, isPredefinedCiVariable, warningsFor } from './shared.js';
import { varReferencePattern } from '../../../../text/linear.js';

const RULE = 'dockerfile-from-undeclared-arg';

/**
 * The default written into `ARG NAME=<default>`. A tag position gets `latest` (always a valid tag);
 * the dependency-proxy prefix gets Docker Hub, which is where the proxy pulls from anyway. For an
 * image-name or registry part there is no value ci-medic could know: inventing one would make a
 * local build silently pull the wrong image, so the ARG stays without default and the job's
 * `--build-arg` (added by the same fix) provides it; a build without it then fails loudly.
 */
export function defaultFor(name: string, stage: DockerfileStage): string | undefined {
  const image = stage.image;
  const ref = processWord(image, () => undefined).refs.find((r) => r.name === name);
  if (!ref) return undefined; // only used in --platform
  const at = image.indexOf(ref.raw);
  const tagColon = image.lastIndexOf(':');
  const lastSlash = image.lastIndexOf('/');
  if (image.includes('@') && at > image.indexOf('@')) return undefined;
  if (tagColon > lastSlash && at > tagColon) return 'latest';
  if (/^CI_DEPENDENCY_PROXY_(?:DIRECT_)?GROUP_IMAGE_PREFIX$/.test(name)) return 'docker.io/library';
  return undefined;
}

interface Undeclared {
  name: string;
  stage: DockerfileStage;
  suggestion?: string;
}

function undeclaredOnLine(view: DockerfileBuildView, line: number): Undeclared[] {
  const out: Undeclared[] = [];
  for (const w of warningsFor(view, 'UndefinedArgInFrom')) {
    if (w.line !== line) continue;
    const stage = view.model.stages.find((s) => s.line === line)!;
    const hint = / \(did you mean (\S+)\?\)$/.exec(w.message)?.[1];
    const u: Undeclared = { name: String(w.evidence?.variable), stage };
    if (hint) u.suggestion = hint;
    out.push(u);
  }
  return out;
}

function argLines(vars: Undeclared[]): string[] {
  return vars.map((v) => {
    const d = defaultFor(v.name, v.stage);
    return d !== undefined ? `ARG ${v.name}=${d}` : `ARG ${v.name}`;
  });
}

/** A misspelled predefined/declared name is fixed by correcting it on the FROM line, not by a new ARG. */
function renameEdit(model: DockerfileModel, line: number, typos: Undeclared[]): TextEdit {
  let text = model.lines[line - 1] ?? '';
  for (const t of typos) text = text.replace(varReferencePattern(t.name), `$$$1${t.suggestion}`);
  return { path: model.path, startLine: line, endLine: line, newLines: [text] };
}

function messageFor(base: string, vars: Undeclared[], jobsPass: string[]): string {
  const names = vars.filter((v) => !v.suggestion).map((v) => v.name);
  if (names.length === 0) return `${base}.`;
  const list = names.map((n) => `$${n}`).join(', ');
  const why = names.some(isPredefinedCiVariable)
    ? `CI variables such as ${list} exist in the job's shell, not inside the Dockerfile, so the image reference expands to an empty or invalid name.`
    : `${list} is not declared, so it expands to an empty string.`;
  const already = jobsPass.length ? ` (the job already passes --build-arg ${jobsPass.join(', ')})` : '';
  return `${base}. ${why} Passing --build-arg alone does not help${already}: the ARG must be declared before the first FROM.`;
}

export const check: StaticCheck = {
  ruleId: RULE,
  run(ctx) {
    const out: Finding[] = [];
    const views = buildViews(ctx);
    for (const [path, model] of ctx.dockerfiles) {
      const mine = views.filter((v) => v.model.path === path);
      const first = mine[0];
      if (!first) continue;
      const handled = new Set<string>();
      for (const w of warningsFor(first, 'UndefinedArgInFrom')) {
        if (out.some((f) => f.location?.path === path && f.location.line === w.line)) continue;
        const vars = undeclaredOnLine(first, w.line);
        const typos = vars.filter((v) => v.suggestion);
        const fresh = vars.filter((v) => !v.suggestion && !handled.has(v.name));
        fresh.forEach((v) => handled.add(v.name));
        const passed = [...new Set(mine.flatMap((v) => v.jobBuild?.build.buildArgs.map((a) => a.name) ?? []))].filter((n) => vars.some((v) => v.name === n));
        const base = vars.map((v) => `FROM argument '${v.name}' is not declared${v.suggestion ? ` (did you mean ${v.suggestion}?)` : ''}`).join('; ');
        const finding = warningToFinding(path, w, ctx.meta);
        finding.message = messageFor(base, vars, passed);
        finding.evidence = { ...finding.evidence, variables: vars.map((v) => v.name) };
        const edits: TextEdit[] = [];
        if (typos.length) edits.push(renameEdit(model, w.line, typos));
        if (fresh.length) {
          const firstFrom = model.stages[0]!.line;
          edits.push({ path, startLine: firstFrom, endLine: firstFrom - 1, newLines: argLines(fresh) });
          edits.push(...jobEdits(ctx, mine, fresh.map((v) => v.name)));
        }
        if (edits.length) {
          finding.fix = {
            description: fresh.length
              ? `Declare ${fresh.map((v) => `\`ARG ${v.name}\``).join(', ')} before the first FROM and pass the value with --build-arg in the jobs that build it`
              : `Correct the misspelled variable name`,
            edits,
          };
        }
        out.push(finding);
      }
    }
    return dedupe(out);
  },
};

function jobEdits(ctx: Parameters<StaticCheck['run']>[0], views: DockerfileBuildView[], names: string[]): TextEdit[] {
  const edits: TextEdit[] = [];
  const seen = new Set<string>();
  for (const v of views) {
    const jb = v.jobBuild;
    if (!jb) continue;
    // Only values the job really has: `--build-arg X=$X` with an unset X would override the ARG's
    // default with an empty string and break the build it is meant to fix.
    const available = names.filter((n) => isPredefinedCiVariable(n) || jb.job.variables[n] !== undefined);
    const pos = jb.build.invocation.source.pos;
    const key = `${pos.path}:${pos.line}`;
    const text = ctx.ci?.files.get(pos.path);
    if (!available.length || text === undefined || seen.has(key)) continue;
    seen.add(key);
    const edit = addBuildArgsEdit(text, jb.build, available);
    if (edit) edits.push(edit);
  }
  return edits;
}
