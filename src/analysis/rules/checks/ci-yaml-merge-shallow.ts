// ci-yaml-merge-shallow: see rules/ci-yaml-merge-shallow.yml; the fact is found while the YAML is read (ci-config/yaml-facts.ts).
import { MERGE_SHALLOW } from '../../ci-config/yaml-facts.js';
import { yamlFactCheck } from './support/yaml-facts.js';

export const RULE_ID = MERGE_SHALLOW;
export const check = yamlFactCheck(MERGE_SHALLOW);
