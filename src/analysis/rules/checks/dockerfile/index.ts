// Every Dockerfile check, in report order (the seed rule first). Rules that report a BuildKit
// check exactly as BuildKit does need no module of their own: their metadata is rules/<id>.yml,
// their check is BuildKit's, implemented once in src/analysis/dockerfile/checks/ and named here.
// Rules that add to BuildKit (a CI cause, a fix, a filter) keep a module in this folder.
import type { StaticCheck } from '../../types.js';
import { BUILDKIT_RULE_NAMES, type BuildkitRuleName } from '../../../dockerfile/buildkit-rules.js';
import { buildkitCheck } from './shared.js';
import { check as dockerfileFromUndeclaredArg } from './dockerfile-from-undeclared-arg.js';
import { check as dockerfileFromArgNoDefault } from './dockerfile-from-arg-no-default.js';
import { check as dockerfileUndefinedVar } from './dockerfile-undefined-var.js';
import { check as ciVariableInDockerfile } from './ci-variable-in-dockerfile.js';

/** BuildKit checks that a module of this folder extends; every other one is reported as BuildKit reports it. */
const EXTENDED = new Set<BuildkitRuleName>(['UndefinedArgInFrom', 'InvalidDefaultArgInFrom', 'UndefinedVar']);
const AS_BUILDKIT_REPORTS = BUILDKIT_RULE_NAMES.filter((name) => !EXTENDED.has(name));

export const dockerfileChecks: StaticCheck[] = [
  dockerfileFromUndeclaredArg,
  dockerfileFromArgNoDefault,
  dockerfileUndefinedVar,
  ciVariableInDockerfile,
  ...AS_BUILDKIT_REPORTS.map(buildkitCheck),
];
