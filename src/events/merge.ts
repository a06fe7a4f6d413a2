// How a newer event for a task key combines with the one still waiting: the newest review-mr
// payload wins (the newest head SHA is the one worth reviewing); diagnose-pipeline keeps every
// failed job seen so far, so three job events and a pipeline event make one diagnosis.
import type { DiagnosePipelineTask, FailedJobRef, Task } from './types.js';

export function mergeTasks(older: Task, newer: Task): Task {
  if (older.kind !== 'diagnose-pipeline' || newer.kind !== 'diagnose-pipeline') return newer;
  return mergeDiagnoses(older, newer);
}

function mergeDiagnoses(older: DiagnosePipelineTask, newer: DiagnosePipelineTask): DiagnosePipelineTask {
  const jobs = new Map<number, FailedJobRef>();
  for (const job of older.failedJobs) jobs.set(job.id, job);
  for (const job of newer.failedJobs) jobs.set(job.id, { ...jobs.get(job.id), ...job });
  return {
    ...older,
    ...newer,
    projectPath: newer.projectPath ?? older.projectPath,
    mergeRequestIid: newer.mergeRequestIid ?? older.mergeRequestIid,
    mergeRequestProjectId: newer.mergeRequestIid !== undefined ? newer.mergeRequestProjectId : older.mergeRequestProjectId,
    failedJobs: [...jobs.values()].sort((a, b) => a.id - b.id),
  };
}
