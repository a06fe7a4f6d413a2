// Build the CheckContext: every job's docker builds tied to the Dockerfile each one builds.
import type { CiConfig, EffectiveJob } from '../ci-config/types.js';
import type { DockerfileModel } from '../dockerfile/types.js';
import type { DockerBuild } from '../shell/types.js';
import { findDockerInvocations, parseDockerBuild, normaliseRepoPath } from '../shell/index.js';
import type { CheckContext, JobBuild, RuleMeta } from './types.js';

export interface ContextOptions {
  /** Rule metadata by id (built-in plus administrators' rules). */
  rules?: RuleMeta[];
  /** `ci-medic lint --build-arg NAME=VALUE`. */
  cliBuildArgs?: Map<string, string>;
}

/** Metadata for a rule without a file (a check whose yml is missing): never throws. */
function fallbackMeta(ruleId: string): RuleMeta {
  return { id: ruleId, title: ruleId, severity: 'warning', explain: '', docs: '', seenIn: ['files'], source: '(built in)' };
}

/**
 * The repository path of the Dockerfile a build reads, as the tool resolves it from the
 * directory the command runs in: `-f` relative to that directory (kaniko: relative to the
 * context when that file exists), default `<context>/Dockerfile`. Undefined when it depends on
 * an unknown variable, stdin or a remote context.
 */
export function dockerfilePathOf(build: DockerBuild, dockerfiles: ReadonlyMap<string, unknown>): string | undefined {
  const cwd = build.invocation.cwd;
  if (cwd === undefined) return undefined;
  const ctxRaw = build.context;
  if (/^(https?|git):\/\/|^git@|^-$/.test(ctxRaw) || build.file === '-') return undefined;
  const context = normaliseRepoPath(cwd, ctxRaw);
  if (build.file === undefined) return context === undefined ? undefined : joinPath(context, 'Dockerfile');
  if (build.invocation.tool === 'kaniko' && context !== undefined) {
    const inContext = normaliseRepoPath(context, build.file);
    if (inContext !== undefined && dockerfiles.has(inContext)) return inContext;
  }
  return normaliseRepoPath(cwd, build.file);
}

function joinPath(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

/** Every build a job runs (after_script excluded: it cannot produce the image the job ships). */
export function jobBuilds(job: EffectiveJob, dockerfiles: ReadonlyMap<string, DockerfileModel>): JobBuild[] {
  const out: JobBuild[] = [];
  for (const inv of findDockerInvocations(job)) {
    if (inv.source.section === 'after_script') continue;
    const build = parseDockerBuild(inv);
    if (!build) continue;
    const path = dockerfilePathOf(build, dockerfiles);
    const dockerfile = path !== undefined ? dockerfiles.get(path) : undefined;
    out.push({ job, build, dockerfilePath: path ?? build.file ?? '', ...(dockerfile ? { dockerfile } : {}) });
  }
  return out;
}

export function buildCheckContext(
  ci: CiConfig | undefined,
  dockerfiles: Map<string, DockerfileModel>,
  opts: ContextOptions = {},
): CheckContext {
  const byId = new Map((opts.rules ?? []).map((r) => [r.id, r]));
  const builds = (ci?.jobs ?? []).flatMap((job) => jobBuilds(job, dockerfiles));
  const ctx: CheckContext = {
    dockerfiles,
    builds,
    meta: (id) => byId.get(id) ?? fallbackMeta(id),
  };
  if (ci) ctx.ci = ci;
  if (opts.cliBuildArgs) ctx.cliBuildArgs = opts.cliBuildArgs;
  return ctx;
}
