export * from './types.js';
export { classifyEvent, eventProject, type ClassifyOptions } from './classify.js';
export { isProjectAllowed } from './allowlist.js';
export { mergeTasks } from './merge.js';
