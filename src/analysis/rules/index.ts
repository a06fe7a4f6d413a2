// Public surface of the rules engine.
export { parseRuleYaml, ruleIdFromPath, type RuleFileError } from './parse-rule.js';
export { checkRegexSafety, type RegexCheck, type RegexProblem } from './regex-safety.js';
export { loadRuleFiles, loadAllRules, builtinRulesDir, repoRoot, type LoadedRules } from './load-files.js';
export { buildCheckContext, dockerfilePathOf, jobBuilds, type ContextOptions } from './context.js';
export { runStaticChecks, contextForJob, type RunOptions } from './run.js';
export { allChecks, ciChecks } from './checks/index.js';
export { makeFinding, lineOfCommand, locateInvocation } from './finding.js';
export type * from './types.js';
