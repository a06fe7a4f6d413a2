// Problems GitLab would reject the configuration for, found while reading it (CiConfig.problems).
import type { StaticCheck } from '../types.js';
import { makeFinding } from '../finding.js';

export const RULE_ID = 'ci-config-invalid';

export const check: StaticCheck = {
  ruleId: RULE_ID,
  run(ctx) {
    return (ctx.ci?.problems ?? []).map((p) => {
      const f = makeFinding(ctx, RULE_ID, {
        message: p.message,
        ...(p.location ? { location: p.location } : {}),
        ...(p.evidence ? { evidence: p.evidence } : {}),
        ...(p.fix ? { fix: p.fix } : {}),
      });
      f.severity = p.severity;
      return f;
    });
  },
};
