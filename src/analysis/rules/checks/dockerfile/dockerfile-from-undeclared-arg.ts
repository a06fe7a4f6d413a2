// The seed rule (BuildKit UndefinedArgInFrom): a FROM uses $VAR with no ARG before the first FROM.
// Typically a GitLab CI variable, which does not exist inside a Dockerfile, and `--build-arg`
// alone cannot help because BuildKit only accepts build args that an ARG declares.
import { varReferencePattern } from '../../../../text/linear.js';
import type { Finding, TextEdit } from '../../../types.js';
import type { StaticCheck } from '../../types.js';
import type { DockerfileModel, DockerfileStage } from '../../../dockerfile/types.js';
import { processWord } from '../../../dockerfile/words.js';
import { isValidImageReference } from '../../../dockerfile/image-ref.js';
import { warningToFinding } from '../../../dockerfile/lint.js';
import { addBuildArgsEdit } from '../../../fixes/build-arg.js';
import { buildViews, dedupe, type DockerfileBuildView, isPredefinedCiVariable, warningsFor } from './shared.js';
import { code } from '../../../../text/markdown.js';

const RULE = 'dockerfile-from-undeclared-arg';

/**
 * A registry or image-name part ci-medic cannot know. It must still be a valid reference (BuildKit's
 * InvalidDefaultArgInFrom judges defaults alone), and a local build that forgets `--build-arg` must
 * fail loudly rather than pull some real image: `.invalid` is a reserved top-level domain that
 * never resolves, so the pull fails with the placeholder's name in the error.
 */
export const PLACEHOLDER_REGISTRY_IMAGE = 'registry.invalid/set-by-ci';

/**
 * The default written into `ARG NAME=<default>`: a tag position gets `latest` (always a valid tag);
 * the dependency-proxy prefix gets Docker Hub, which is where the proxy pulls from anyway; an image
 * name or registry part gets a placeholder the job's `--build-arg` (added by the same fix) replaces.
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
  return at === 0 ? PLACEHOLDER_REGISTRY_IMAGE : 'set-by-ci';
}

/**
 * Tags that name a commit's image which may not exist: `$CI_COMMIT_BEFORE_SHA` is forty zeros on a
 * branch's first push and names no pipeline's image after a force-push or a skipped pipeline.
 * The fix replaces them by a stable tag (the seed's working Dockerfile: `ARG ..._TAG=<tag>`).
 */
const UNSTABLE_TAG_VARS = new Set(['CI_COMMIT_BEFORE_SHA']);
export const STABLE_TAG_ARG = 'BASE_TAG';

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

/** An unstable tag variable used in the tag position of this FROM (replaced, not declared). */
function isUnstableTag(v: Undeclared): boolean {
  return UNSTABLE_TAG_VARS.has(v.name) && defaultFor(v.name, v.stage) === 'latest';
}

/** `FROM x:$CI_COMMIT_BEFORE_SHA` -> `FROM x:$BASE_TAG` on the FROM lines that use it. */
function stableTagEdits(model: DockerfileModel, vars: Undeclared[]): TextEdit[] {
  const names = vars.filter(isUnstableTag).map((v) => v.name);
  if (names.length === 0) return [];
  const edits: TextEdit[] = [];
  for (const s of model.stages) {
    const text = model.lines[s.line - 1] ?? '';
    // `$NAME` -> `$BASE_TAG`, `${NAME}` -> `${BASE_TAG}`.
    const next = names.reduce((t, name) => t.replace(varReferencePattern(name), `$$$1${STABLE_TAG_ARG}`), text);
    if (next !== text) edits.push({ path: model.path, startLine: s.line, endLine: s.line, newLines: [next] });
  }
  return edits;
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
        const unstable = fresh.filter(isUnstableTag);
        const declare = fresh.filter((v) => !isUnstableTag(v));
        if (typos.length && !unstable.length) edits.push(renameEdit(model, w.line, typos));
        if (fresh.length) {
          const firstFrom = model.stages[0]!.line;
          const stableArg = unstable.length && !model.globalArgs.some((a) => a.name === STABLE_TAG_ARG) ? [`ARG ${STABLE_TAG_ARG}=latest`] : [];
          const retagged = stableTagEdits(model, unstable);
          const onFirst = retagged.find((e) => e.startLine === firstFrom);
          // One edit for the first FROM line when it is both preceded by the ARGs and rewritten.
          edits.push({ path, startLine: firstFrom, endLine: onFirst ? firstFrom : firstFrom - 1, newLines: [...argLines(declare), ...stableArg, ...(onFirst?.newLines ?? [])] });
          edits.push(...retagged.filter((e) => e !== onFirst));
          edits.push(...jobEdits(ctx, mine, declare.map((v) => v.name)));
        }
        if (edits.length && !(typos.length && unstable.length)) {
          const parts: string[] = [];
          if (declare.length) parts.push(`Declare ${declare.map((v) => code(`ARG ${v.name}=${defaultFor(v.name, v.stage) ?? ''}`)).join(', ')} before the first FROM and pass the value with --build-arg in the jobs that build it`);
          if (unstable.length) parts.push(`replace ${unstable.map((v) => code(`$${v.name}`)).join(', ')} by a stable tag (\`ARG ${STABLE_TAG_ARG}=latest\`): the previous commit's image does not exist on a branch's first push or after a force-push`);
          if (!parts.length) parts.push('Correct the misspelled variable name');
          const description = parts.join('; ');
          finding.fix = { description: description[0]!.toUpperCase() + description.slice(1), edits };
        }
        // Certain only when the FROM is invalid with the undeclared names empty (`FROM $REG/alpine`
        // still builds `alpine`... from another place, which is its own problem, not a failure).
        if (finding.severity === 'error' && !failsWhenEmpty(model.stages.find((s) => s.line === w.line)?.image ?? '', vars.map((v) => v.name), model)) finding.severity = 'warning';
        out.push(finding);
      }
    }
    return dedupe(out);
  },
};

/** The FROM image with the given names empty (other ARGs at their defaults) is not a valid reference. */
function failsWhenEmpty(image: string, names: string[], model: DockerfileModel): boolean {
  const defaults = new Map(model.globalArgs.map((a) => [a.name, a.defaultValue]));
  const expanded = processWord(image, (n) => (names.includes(n) ? '' : defaults.get(n))).result;
  return !isValidImageReference(expanded);
}

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
