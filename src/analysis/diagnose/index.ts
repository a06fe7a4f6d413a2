export { diagnoseJob, MAX_QUOTED_LINE, type Diagnosis, type DiagnoseInput, type LogEvidence, type Unmatched } from './diagnose-job.js';
export { eventFindings, RUNNER_UNAVAILABLE } from './event.js';
export { echoedCommandText, findScriptLine, inferJob, locateCommand } from './job-command.js';
