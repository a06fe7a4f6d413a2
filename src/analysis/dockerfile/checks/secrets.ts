// BuildKit's SecretsUsedInArgOrEnv: ARG/ENV keys whose words name a secret (validations.go).
import { type BuildkitCheck, type BuildkitWarning, quote, warn } from './context.js';

const DENY = /(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)/i;
const ALLOW = /(?:_|^)(?:public|file|version)(?:_|$)/i;

export function looksSecret(key: string): boolean {
  return DENY.test(key) && !ALLOW.test(key);
}

export const secretsUsedInArgOrEnv: BuildkitCheck = (input) => {
  const out: BuildkitWarning[] = [];
  for (const ins of input.instructions) {
    if (ins.keyword !== 'ARG' && ins.keyword !== 'ENV') continue;
    for (const p of ins.props ?? []) {
      if (looksSecret(p.name)) {
        out.push(warn('SecretsUsedInArgOrEnv', ins, `Do not use ARG or ENV instructions for sensitive data (${ins.keyword} ${quote(p.name)})`, { key: p.name }));
      }
    }
  }
  return out;
};
