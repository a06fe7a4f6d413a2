export { startFakeGitlab, type FakeGitlab, type FakeGitlabOptions, type RecordedRequest } from './server.js';
export { deliverWebhook, type DeliverOptions, type WebhookEvent } from './webhooks.js';
export { mergeRequestHook, pipelineHook, jobHook, type ProjectInfo, type MrInfo, type JobInfo } from './payloads.js';
export type { FaultRule, FaultKind } from './faults.js';
export type { FakeState, FileChange, FakeNote, FakeDiscussion, FakeJob } from './state.js';
export { lineCodeFor } from './diff-notes.js';
export { hookControls, type FakeHook } from './routes-hooks.js';
export { checkBody, codeNodes, parseMarkdown, type BodyViolation } from './markdown-check.js';
