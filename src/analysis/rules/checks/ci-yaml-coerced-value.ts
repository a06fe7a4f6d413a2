// ci-yaml-coerced-value: see rules/ci-yaml-coerced-value.yml; the fact is found while the YAML is read (ci-config/yaml-facts.ts).
import { COERCED_VALUE } from '../../ci-config/yaml-facts.js';
import { yamlFactCheck } from './support/yaml-facts.js';

export const RULE_ID = COERCED_VALUE;
export const check = yamlFactCheck(COERCED_VALUE);
