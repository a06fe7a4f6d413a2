// ci-yaml-duplicate-key: see rules/ci-yaml-duplicate-key.yml; the fact is found while the YAML is read (ci-config/yaml-facts.ts).
import { DUPLICATE_KEY } from '../../ci-config/yaml-facts.js';
import { yamlFactCheck } from './support/yaml-facts.js';

export const RULE_ID = DUPLICATE_KEY;
export const check = yamlFactCheck(DUPLICATE_KEY);
