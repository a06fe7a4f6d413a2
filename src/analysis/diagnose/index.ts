export { diagnoseJob, markSkips, truncationOf, MAX_QUOTED_LINE, type Diagnosis, type DiagnoseInput, type ExcerptLine, type LogEvidence, type Unmatched } from './diagnose-job.js';
export { eventFindings, RUNNER_UNAVAILABLE } from './event.js';
export { EVIDENCE_RULE_ID, withEvidencePatterns } from './evidence-patterns.js';
export { LEAD_THRESHOLD, type Hypothesis, type HypothesisStatus } from './hypotheses.js';
export { echoedCommandText, findScriptLine, inferJob, locateCommand } from './job-command.js';
export { verifyFixes, type VerifyInput } from './verify-fix.js';
