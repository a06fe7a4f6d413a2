// Small shared readers over effective jobs.
import type { EffectiveJob } from '../../../ci-config/types.js';
import type { DockerInvocation } from '../../../shell/types.js';
import { findDockerInvocations } from '../../../shell/index.js';

/** Invocations of before_script + script (after_script failures do not fail the job). */
export function mainInvocations(job: EffectiveJob): DockerInvocation[] {
  return findDockerInvocations(job).filter((i) => i.source.section !== 'after_script');
}

/** A job variable's value, or undefined when the job does not define it. */
export function jobVar(job: EffectiveJob, name: string): string | undefined {
  return job.variables[name]?.value;
}

/** The repository part and the tag part of an image reference (`a/b:c` -> ['a/b', 'c']). */
export function splitImageRef(ref: string): { repo: string; tag?: string } {
  const at = ref.indexOf('@');
  const noDigest = at < 0 ? ref : ref.slice(0, at);
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  if (colon > slash && !hasUnclosedBrace(noDigest.slice(0, colon))) return { repo: noDigest.slice(0, colon), tag: noDigest.slice(colon + 1) };
  return { repo: noDigest };
}

/** `/\{[^}]*$/.test(s)` without its quadratic retries: a `{` with no `}` after it. */
function hasUnclosedBrace(s: string): boolean {
  return s.lastIndexOf('{') > s.lastIndexOf('}');
}
