// BuildKit UndefinedVar. `$CI_*` names are reported by ci-variable-in-dockerfile instead, which
// explains the CI cause and carries the fix.
import type { StaticCheck } from '../../types.js';
import { buildkitCheck } from './shared.js';

const base = buildkitCheck('UndefinedVar');

export const check: StaticCheck = {
  ruleId: base.ruleId,
  run: (ctx) => base.run(ctx).filter((f) => !/^'?\$?CI_/.test(String(f.evidence?.variable ?? ''))),
};
