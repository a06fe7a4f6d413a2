export { renderDiagnosis, diagnosisMarker, NOTE_LIMIT, type DiagnosisInput, type DiagnosisJob } from './diagnosis.js';
export { renderFinding, link, safeUrl, type FindingRenderOptions } from './finding.js';
export { renderFixDiff, type FileText } from './fix.js';
