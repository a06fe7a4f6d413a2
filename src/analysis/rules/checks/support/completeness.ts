// Whether the configuration we read shows everything a job runs. Includes we could not read
// (remote, other projects, templates) or a missing `extends` parent may hold its login,
// variables or image: rules that reason about absence stay quiet then.
import type { CiConfig, EffectiveJob } from '../../../ci-config/types.js';

export function missingParents(ci: CiConfig, job: EffectiveJob): string[] {
  const known = new Set([...ci.jobs, ...ci.hiddenJobs].map((j) => j.name));
  return job.extends.filter((p) => !known.has(p));
}

/** Something this job inherits may be hidden from us. */
export function jobMayBeIncomplete(ci: CiConfig, job: EffectiveJob): boolean {
  return missingParents(ci, job).length > 0 || ci.unresolvedIncludes.length > 0;
}

/**
 * For rules about a missing login: an unread include can only add a `default:` before_script,
 * which a before_script written on the job itself overrides.
 */
export function beforeScriptMayBeHidden(ci: CiConfig, job: EffectiveJob): boolean {
  if (missingParents(ci, job).length > 0) return true;
  return ci.unresolvedIncludes.length > 0 && !job.beforeScript.some((l) => l.origin === 'job');
}

/** The jobs a rule about absence may judge: those whose whole definition we read. */
export function completeJobs(ci: CiConfig | undefined): EffectiveJob[] {
  return ci ? ci.jobs.filter((job) => !jobMayBeIncomplete(ci, job)) : [];
}

/** The jobs a rule about a missing login may judge (see beforeScriptMayBeHidden). */
export function jobsWithVisibleBeforeScript(ci: CiConfig | undefined): EffectiveJob[] {
  return ci ? ci.jobs.filter((job) => !beforeScriptMayBeHidden(ci, job)) : [];
}
