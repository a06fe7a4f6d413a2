// Whether a job only ever runs for tags or for fixed, lower-case branch names: then
// `$CI_COMMIT_REF_NAME` is a safe image tag and flagging it would be noise.
import type { EffectiveJob } from '../../../ci-config/types.js';

const SAFE_NAME = /^[a-z0-9._-]+$/;
const KEYWORDS = new Set(['branches', 'merge_requests', 'pushes', 'web', 'schedules', 'triggers', 'api', 'external', 'pipelines', 'chat', 'external_pull_requests']);
const SAFE_IF = [
  /^\s*\$CI_COMMIT_TAG\s*$/,
  /^\s*\$CI_COMMIT_TAG(?:\s*!=\s*(?:null|""|''))?\s*$/,
  /^\s*\$CI_COMMIT_TAG\s*=~/,
  /^\s*\$CI_COMMIT_(BRANCH|REF_NAME)\s*==\s*("[a-z0-9._-]+"|'[a-z0-9._-]+'|\$CI_DEFAULT_BRANCH)\s*$/,
  /^\s*("[a-z0-9._-]+"|'[a-z0-9._-]+'|\$CI_DEFAULT_BRANCH)\s*==\s*\$CI_COMMIT_(BRANCH|REF_NAME)\s*$/,
];

function onlyRefs(only: unknown): string[] | undefined {
  if (typeof only === 'string') return [only];
  if (Array.isArray(only)) return only.filter((x): x is string => typeof x === 'string');
  if (only && typeof only === 'object' && Array.isArray((only as { refs?: unknown }).refs)) return onlyRefs((only as { refs: unknown }).refs);
  return undefined;
}

export function runsOnlyForSafeRefNames(job: EffectiveJob): boolean {
  const refs = onlyRefs(job.raw['only']);
  if (refs && refs.length > 0) return refs.every((r) => r === 'tags' || (SAFE_NAME.test(r) && !KEYWORDS.has(r)));
  const rules = job.raw['rules'];
  if (!Array.isArray(rules) || rules.length === 0) return false;
  const active = rules.filter((r) => !(r && typeof r === 'object' && (r as { when?: unknown }).when === 'never'));
  if (active.length === 0) return false;
  return active.every((r) => {
    const cond = r && typeof r === 'object' ? (r as { if?: unknown }).if : undefined;
    return typeof cond === 'string' && SAFE_IF.some((re) => re.test(cond));
  });
}
