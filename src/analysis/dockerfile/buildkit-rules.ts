// The BuildKit checks ci-medic mirrors: name, rule id, docs slug and default severity, in one
// registry (like BuildKit's linter/ruleset.go). Messages are built by the check functions.
import type { Severity } from '../types.js';

export interface BuildkitRule {
  name: string;
  ruleId: string;
  slug: string;
  severity: Severity;
}

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z])([A-Z][a-z])/g, '$1-$2').toLowerCase();
}

const SPECIAL_IDS: Record<string, string> = {
  UndefinedArgInFrom: 'dockerfile-from-undeclared-arg',
  InvalidDefaultArgInFrom: 'dockerfile-from-arg-no-default',
  UndefinedVar: 'dockerfile-undefined-var',
};

const ERRORS = new Set(['UndefinedArgInFrom', 'InvalidDefaultArgInFrom']);

export const BUILDKIT_RULE_NAMES = [
  'UndefinedArgInFrom',
  'InvalidDefaultArgInFrom',
  'UndefinedVar',
  'FromAsCasing',
  'StageNameCasing',
  'DuplicateStageName',
  'ReservedStageName',
  'SecretsUsedInArgOrEnv',
  'RedundantTargetPlatform',
  'FromPlatformFlagConstDisallowed',
  'MaintainerDeprecated',
  'JSONArgsRecommended',
  'ConsistentInstructionCasing',
  'LegacyKeyValueFormat',
  'WorkdirRelativePath',
  'MultipleInstructionsDisallowed',
  'ExposeProtoCasing',
  'ExposeInvalidFormat',
] as const;

export type BuildkitRuleName = (typeof BUILDKIT_RULE_NAMES)[number];

export const BUILDKIT_RULES: ReadonlyMap<string, BuildkitRule> = new Map(
  BUILDKIT_RULE_NAMES.map((name) => {
    const slug = name === 'JSONArgsRecommended' ? 'json-args-recommended' : kebab(name);
    const rule: BuildkitRule = {
      name,
      slug,
      ruleId: SPECIAL_IDS[name] ?? `dockerfile-${slug}`,
      severity: ERRORS.has(name) ? 'error' : 'warning',
    };
    return [name, rule];
  }),
);

export function buildkitRule(name: string): BuildkitRule | undefined {
  return BUILDKIT_RULES.get(name);
}

export function docsUrl(rule: BuildkitRule): string {
  return `https://docs.docker.com/reference/build-checks/${rule.slug}/`;
}
