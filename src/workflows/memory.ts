// What the workflows remember between tasks, kept in the queue's results store (durable, shared
// by every replica): per project, the CI config path and the files its config includes or
// builds; the projects seen; when the reconciler last looked. Values are small JSON strings.
import type { TaskQueue } from '../queue/types.js';

const PROJECT_KEY = (projectId: number) => `ci-medic:project:${projectId}`;
const PROJECTS_KEY = 'ci-medic:projects';
const RECONCILE_KEY = 'ci-medic:reconcile';

export interface ProjectMemory {
  /** The project's CI config path (`ci_config_path`, default `.gitlab-ci.yml`). */
  ciPath?: string;
  /** Project web URL, for links in comments. */
  webUrl?: string;
  /** Repository paths the CI config was built from at the last review (includes, Dockerfiles). */
  paths: string[];
}

function parseJson<T>(raw: string | undefined, fallback: T): T {
  if (raw === undefined) return fallback;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return fallback;
  }
}

export async function readProjectMemory(queue: TaskQueue, projectId: number): Promise<ProjectMemory> {
  const m = parseJson<Partial<ProjectMemory>>(await queue.getResult(PROJECT_KEY(projectId), 'ci'), {});
  return { ...m, paths: Array.isArray(m.paths) ? m.paths.filter((p): p is string => typeof p === 'string') : [] };
}

export async function writeProjectMemory(queue: TaskQueue, projectId: number, memory: ProjectMemory): Promise<void> {
  await queue.recordResult(PROJECT_KEY(projectId), 'ci', JSON.stringify(memory));
}

/** Projects the bot has handled events for (the reconciler's list when no allowlist is set). */
export async function knownProjects(queue: TaskQueue): Promise<number[]> {
  const list = parseJson<unknown>(await queue.getResult(PROJECTS_KEY, 'list'), []);
  return Array.isArray(list) ? list.filter((x): x is number => Number.isInteger(x)) : [];
}

export async function rememberProject(queue: TaskQueue, projectId: number): Promise<void> {
  const list = await knownProjects(queue);
  if (list.includes(projectId)) return;
  await queue.recordResult(PROJECTS_KEY, 'list', JSON.stringify([...list, projectId].sort((a, b) => a - b)));
}

export async function lastReconcile(queue: TaskQueue): Promise<string | undefined> {
  return queue.getResult(RECONCILE_KEY, 'last-run');
}

export async function recordReconcile(queue: TaskQueue, isoTime: string): Promise<void> {
  await queue.recordResult(RECONCILE_KEY, 'last-run', isoTime);
}
