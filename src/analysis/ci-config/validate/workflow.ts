// `workflow:` — name, auto_cancel, and rules with variables and auto_cancel.
import type { Schema } from './schema.js';
import { enumOf, map, str, strMax, strings, oneOf } from './schema.js';
import { exists, rulesOf } from './rules.js';
import { ruleVariables } from './variables.js';

export const autoCancel = map({
  keys: {
    on_new_commit: enumOf(['conservative', 'interruptible', 'none']),
    on_job_failure: enumOf(['none', 'all']),
  },
});

const changes = oneOf([strings, map({ keys: { paths: strings, compare_to: str }, required: ['paths'] })], 'an array of strings or a hash');

const workflowRule = map({
  keys: { if: str, changes, exists, when: enumOf(['always', 'never']), variables: ruleVariables, auto_cancel: autoCancel },
});

export const workflow: Schema = map({
  keys: { name: strMax(255), rules: rulesOf(workflowRule), auto_cancel: autoCancel },
});
