// The YAML-fact rules report what the loader recorded (CiConfig.yamlFacts), one rule id each.
import type { StaticCheck } from '../../types.js';
import { makeFinding } from '../../finding.js';

export function yamlFactCheck(ruleId: string): StaticCheck {
  return {
    ruleId,
    run(ctx) {
      return (ctx.ci?.yamlFacts ?? []).filter((f) => f.ruleId === ruleId).map((p) => makeFinding(ctx, ruleId, {
        message: p.message,
        ...(p.location ? { location: p.location } : {}),
        ...(p.evidence ? { evidence: p.evidence } : {}),
      }));
    },
  };
}
