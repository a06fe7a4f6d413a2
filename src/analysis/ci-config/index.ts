// The GitLab CI configuration model: what each job runs, line by line, and where it is written.
export type * from './types.js';
export { loadCiConfig, resolveCiConfigFromFiles, sourceFromFiles } from './load.js';
export type { CiLoadOptions } from './load.js';
export { expandVariables } from './variables.js';
export { mergeLintResult, mergeLintErrors } from './lint-merge.js';
export type { LintAnswer } from './lint-merge.js';
export { includeGlobToRegExp, matchIncludeGlob } from './glob.js';
export { CI_CONFIG_INVALID } from './problems.js';
export type { ProblemCode } from './problems.js';
export { referenceTag } from './parse.js';
