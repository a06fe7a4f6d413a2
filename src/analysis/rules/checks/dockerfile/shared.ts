// What the Dockerfile check modules share: which build args each Dockerfile is judged with,
// BuildKit warnings turned into findings, and one finding per (rule, path, line).
import type { Finding } from '../../../types.js';
import type { CheckContext, JobBuild, StaticCheck } from '../../types.js';
import type { DockerfileModel } from '../../../dockerfile/types.js';
import { buildkitRule, type BuildkitRuleName } from '../../../dockerfile/buildkit-rules.js';
import { buildkitWarnings, type BuildkitWarning, warningToFinding } from '../../../dockerfile/lint.js';

/** One way a Dockerfile gets built: by a CI job (with its --build-arg values) or alone (CLI args). */
export interface DockerfileBuildView {
  model: DockerfileModel;
  buildArgs: Map<string, string>;
  /** The job build, when a CI job builds this Dockerfile. */
  jobBuild?: JobBuild;
}

/** Values of a build's `--build-arg`s; `--build-arg NAME` takes the job's variable, or stays `$NAME`. */
export function buildArgsOf(jb: JobBuild): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of jb.build.buildArgs) {
    out.set(a.name, a.value ?? jb.job.variables[a.name]?.value ?? `$${a.name}`);
  }
  return out;
}

/** Every (Dockerfile, build args) pair to judge: once per job build, or once with the CLI args. */
export function buildViews(ctx: CheckContext): DockerfileBuildView[] {
  const views: DockerfileBuildView[] = [];
  for (const [path, model] of ctx.dockerfiles) {
    const builds = ctx.builds.filter((b) => b.dockerfilePath === path);
    if (builds.length === 0) views.push({ model, buildArgs: ctx.cliBuildArgs ?? new Map() });
    for (const jb of builds) views.push({ model, buildArgs: buildArgsOf(jb), jobBuild: jb });
  }
  return views;
}

export function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    // The message is part of the key: BuildKit reports two names on one line (`ENV A=1 B=2`) twice.
    const k = `${f.ruleId}\u0000${f.location?.path ?? ''}\u0000${f.location?.line ?? 0}\u0000${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function warningsFor(view: DockerfileBuildView, rule: BuildkitRuleName): BuildkitWarning[] {
  return buildkitWarnings(view.model, view.buildArgs).filter((w) => w.rule === rule);
}

/** A StaticCheck that reports one BuildKit rule as BuildKit does, on every Dockerfile. */
export function buildkitCheck(rule: BuildkitRuleName): StaticCheck {
  const ruleId = buildkitRule(rule)!.ruleId;
  return {
    ruleId,
    run(ctx) {
      const out: Finding[] = [];
      for (const view of buildViews(ctx)) {
        for (const w of warningsFor(view, rule)) out.push(warningToFinding(view.model.path, w, ctx.meta));
      }
      return dedupe(out);
    },
  };
}

/** GitLab sets these in every job: passing them with --build-arg NAME=$NAME is always safe. */
export function isPredefinedCiVariable(name: string): boolean {
  return /^(?:CI|GITLAB)_[A-Z0-9_]+$/.test(name) || name === 'CI';
}
