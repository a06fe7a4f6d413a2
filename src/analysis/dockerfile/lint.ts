// Runs every BuildKit-parity check on one Dockerfile and turns the warnings into Findings,
// honouring `# check=skip=...` (file directive and per-instruction comments) and the
// BUILDKIT_DOCKERFILE_CHECK build arg, which replaces the file directive as in BuildKit.
import type { Finding } from '../types.js';
import type { RuleMeta } from '../rules/types.js';
import type { DockerfileModel } from './types.js';
import { buildkitRule, docsUrl } from './buildkit-rules.js';
import { isSkipped, parseCheckOptions } from './check-options.js';
import type { BuildkitCheck, BuildkitWarning, LintInput } from './checks/context.js';
import { fromPlatformFlagConstDisallowed, invalidDefaultArgInFrom, redundantTargetPlatform, undefinedArgInFrom } from './checks/from.js';
import { secretsUsedInArgOrEnv } from './checks/secrets.js';
import { fromAsCasing, stageNames } from './checks/stages.js';
import {
  consistentInstructionCasing,
  exposeFormat,
  jsonArgsRecommended,
  legacyKeyValueFormat,
  maintainerDeprecated,
  multipleInstructionsDisallowed,
  workdirRelativePath,
} from './checks/style.js';
import { undefinedVar } from './checks/undefined-var.js';

export type { BuildkitWarning } from './checks/context.js';

const CHECKS: BuildkitCheck[] = [
  undefinedArgInFrom,
  invalidDefaultArgInFrom,
  redundantTargetPlatform,
  fromPlatformFlagConstDisallowed,
  stageNames,
  fromAsCasing,
  undefinedVar,
  secretsUsedInArgOrEnv,
  maintainerDeprecated,
  jsonArgsRecommended,
  consistentInstructionCasing,
  legacyKeyValueFormat,
  workdirRelativePath,
  multipleInstructionsDisallowed,
  exposeFormat,
];

/** The raw BuildKit warnings, skips applied, ordered by line. */
export function buildkitWarnings(model: DockerfileModel, buildArgs: Map<string, string> = new Map()): BuildkitWarning[] {
  const override = buildArgs.get('BUILDKIT_DOCKERFILE_CHECK');
  const fileSkip = override !== undefined ? parseCheckOptions(override).skip : model.checkSkip;
  if (fileSkip === 'all') return [];
  const input: LintInput = {
    model,
    instructions: model.instructions ?? [],
    buildArgs,
    escape: model.escapeChar ?? '\\',
  };
  const out: BuildkitWarning[] = [];
  for (const check of CHECKS) {
    let warnings: BuildkitWarning[];
    try {
      warnings = check(input);
    } catch {
      // One check tripping over odd input must not hide the others' findings.
      continue;
    }
    for (const w of warnings) {
      if (isSkipped(w.rule, fileSkip) || isSkipped(w.rule, w.instruction?.skip)) continue;
      out.push(w);
    }
  }
  return out.sort((a, b) => a.line - b.line);
}

export function lintDockerfile(
  model: DockerfileModel,
  buildArgs?: Map<string, string>,
  meta?: (id: string) => RuleMeta,
): Finding[] {
  return buildkitWarnings(model, buildArgs).map((w) => warningToFinding(model.path, w, meta));
}

export function warningToFinding(path: string, w: BuildkitWarning, meta?: (id: string) => RuleMeta): Finding {
  const rule = buildkitRule(w.rule)!;
  let m: RuleMeta | undefined;
  try {
    m = meta?.(rule.ruleId);
  } catch {
    m = undefined;
  }
  const finding: Finding = {
    ruleId: rule.ruleId,
    severity: m?.severity ?? rule.severity,
    title: m?.title ?? w.rule,
    message: w.message,
    location: { path, line: w.line },
    buildkit: w.rule,
    evidence: { docs: m?.docs ?? docsUrl(rule), ...(w.evidence ?? {}) },
  };
  return finding;
}
