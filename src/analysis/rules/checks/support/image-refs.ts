// Image references a job names (tags it builds, pushes, pulls, re-tags) and where each is written.
import type { CiConfig, EffectiveJob } from '../../../ci-config/types.js';
import type { Location, TextEdit } from '../../../types.js';
import type { DockerInvocation } from '../../../shell/types.js';
import { parseDockerBuild, pushTargets, pullTargets, dropRedirections } from '../../../shell/index.js';
import { fileLines, lineOfCommand, locateInvocation } from '../../finding.js';
import { mainInvocations } from './jobs.js';

export interface ImageRefUse {
  ref: string;
  role: 'tag' | 'push' | 'pull' | 'cache-from';
  inv: DockerInvocation;
}

export function jobImageRefs(job: EffectiveJob): ImageRefUse[] {
  const out: ImageRefUse[] = [];
  for (const inv of mainInvocations(job)) {
    const build = parseDockerBuild(inv);
    if (build) {
      for (const ref of build.tags) out.push({ ref, role: build.push ? 'push' : 'tag', inv });
      for (const ref of build.cacheFrom) if (!ref.includes('type=')) out.push({ ref, role: 'cache-from', inv });
      continue;
    }
    if (inv.verb === 'push') for (const ref of pushTargets(inv)) out.push({ ref, role: 'push', inv });
    if (inv.verb === 'pull') for (const ref of pullTargets(inv)) out.push({ ref, role: 'pull', inv });
    if (inv.verb === 'tag') {
      const words = dropRedirections(inv.args).filter((w) => !w.startsWith('-'));
      if (words[1] !== undefined) out.push({ ref: words[1], role: 'tag', inv });
    }
  }
  return out;
}

/**
 * Where text matching `needle` is written for this use: on the command's own line when it is
 * there, else in the job variable whose value holds it (the command used `$VAR`).
 */
export function whereWritten(ci: CiConfig | undefined, job: EffectiveJob, inv: DockerInvocation, needle: RegExp): Location {
  const loc = locateInvocation(ci, inv);
  const start = inv.source.pos.line;
  const end = inv.source.pos.endLine ?? start;
  const lines = fileLines(ci, loc.path);
  if (needle.test(lines[loc.line - 1] ?? '')) return loc;
  for (let n = start; n <= end; n++) if (needle.test(lines[n - 1] ?? '')) return { path: loc.path, line: n };
  // A shell variable of the script carried it (`tag=dev-$CI_COMMIT_REF_NAME`): its assignment.
  for (const o of inv.shellVars ?? []) {
    const at = lineOfCommand(ci, o.source, o.lineOffset, [`${o.name}=`]);
    if (needle.test(fileLines(ci, at.path)[at.line - 1] ?? '')) return at;
  }
  for (const v of Object.values(job.variables)) {
    if (v.pos && needle.test(v.value)) return { path: v.pos.path, line: v.pos.line };
  }
  return loc;
}

/**
 * Replace `pattern` by `replacement` on one line, but only in words that are not `NAME=value`
 * assignments of build args (a `--build-arg BRANCH=$CI_COMMIT_REF_NAME` keeps its meaning).
 */
export function replaceInImageWords(ci: CiConfig | undefined, loc: Location, pattern: RegExp, replacement: string, shellVars: ReadonlySet<string> = new Set()): TextEdit | undefined {
  const text = fileLines(ci, loc.path)[loc.line - 1];
  if (text === undefined) return undefined;
  const parts = text.split(/(\s+)/);
  let changed = false;
  const isVarLine = /^\s*(- )?[A-Za-z_][A-Za-z0-9_]*:\s/.test(text);
  const next = parts.map((w, i) => {
    if (/^\s+$/.test(w)) return w;
    const prevWord = parts.slice(0, i).reverse().find((p) => !/^\s*$/.test(p));
    // Except the assignment of a shell variable that the image reference is read through.
    const assigned = /^["']?([A-Za-z_][A-Za-z0-9_]*)=/.exec(w)?.[1];
    if (!isVarLine && (prevWord === '--build-arg' || (assigned !== undefined && !shellVars.has(assigned)))) return w;
    const r = w.replace(pattern, replacement);
    if (r !== w) changed = true;
    return r;
  }).join('');
  return changed ? { path: loc.path, startLine: loc.line, endLine: loc.line, newLines: [next] } : undefined;
}
