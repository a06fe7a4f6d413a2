// Every Dockerfile check, in report order (the seed rule first).
import type { StaticCheck } from '../../types.js';
import { check as dockerfileFromUndeclaredArg } from './dockerfile-from-undeclared-arg.js';
import { check as dockerfileFromArgNoDefault } from './dockerfile-from-arg-no-default.js';
import { check as dockerfileUndefinedVar } from './dockerfile-undefined-var.js';
import { check as ciVariableInDockerfile } from './ci-variable-in-dockerfile.js';
import { check as dockerfileFromAsCasing } from './dockerfile-from-as-casing.js';
import { check as dockerfileStageNameCasing } from './dockerfile-stage-name-casing.js';
import { check as dockerfileDuplicateStageName } from './dockerfile-duplicate-stage-name.js';
import { check as dockerfileReservedStageName } from './dockerfile-reserved-stage-name.js';
import { check as dockerfileSecretsUsedInArgOrEnv } from './dockerfile-secrets-used-in-arg-or-env.js';
import { check as dockerfileRedundantTargetPlatform } from './dockerfile-redundant-target-platform.js';
import { check as dockerfileFromPlatformFlagConstDisallowed } from './dockerfile-from-platform-flag-const-disallowed.js';
import { check as dockerfileMaintainerDeprecated } from './dockerfile-maintainer-deprecated.js';
import { check as dockerfileJsonArgsRecommended } from './dockerfile-json-args-recommended.js';
import { check as dockerfileConsistentInstructionCasing } from './dockerfile-consistent-instruction-casing.js';
import { check as dockerfileLegacyKeyValueFormat } from './dockerfile-legacy-key-value-format.js';
import { check as dockerfileWorkdirRelativePath } from './dockerfile-workdir-relative-path.js';
import { check as dockerfileMultipleInstructionsDisallowed } from './dockerfile-multiple-instructions-disallowed.js';
import { check as dockerfileExposeProtoCasing } from './dockerfile-expose-proto-casing.js';
import { check as dockerfileExposeInvalidFormat } from './dockerfile-expose-invalid-format.js';

export const dockerfileChecks: StaticCheck[] = [
  dockerfileFromUndeclaredArg,
  dockerfileFromArgNoDefault,
  dockerfileUndefinedVar,
  ciVariableInDockerfile,
  dockerfileFromAsCasing,
  dockerfileStageNameCasing,
  dockerfileDuplicateStageName,
  dockerfileReservedStageName,
  dockerfileSecretsUsedInArgOrEnv,
  dockerfileRedundantTargetPlatform,
  dockerfileFromPlatformFlagConstDisallowed,
  dockerfileMaintainerDeprecated,
  dockerfileJsonArgsRecommended,
  dockerfileConsistentInstructionCasing,
  dockerfileLegacyKeyValueFormat,
  dockerfileWorkdirRelativePath,
  dockerfileMultipleInstructionsDisallowed,
  dockerfileExposeProtoCasing,
  dockerfileExposeInvalidFormat,
];
