// What the workflows remember between tasks, kept in the queue's memory store (durable, shared
// by every replica, updated atomically): per project, the CI config path and the files its
// config includes or builds; the projects seen; when the reconciler last looked. Values are
// small JSON strings. Installations from before the memory store kept these among the task
// results: those are read once as the starting value.
import type { TaskQueue } from '../queue/types.js';

const PROJECT_KEY = (projectId: number) => `ci-medic:project:${projectId}`;
const PROJECTS_KEY = 'ci-medic:projects';
const RECONCILE_KEY = 'ci-medic:reconcile';
/** Where each value lived among the results (legacy), by memory key. */
const LEGACY_REF = (key: string) => (key === PROJECTS_KEY ? 'list' : key === RECONCILE_KEY ? 'last-run' : 'ci');

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

async function read(queue: TaskQueue, key: string): Promise<string | undefined> {
  return (await queue.memory.get(key)) ?? (await queue.getResult(key, LEGACY_REF(key)));
}

export async function readProjectMemory(queue: TaskQueue, projectId: number): Promise<ProjectMemory> {
  const m = parseJson<Partial<ProjectMemory>>(await read(queue, PROJECT_KEY(projectId)), {});
  return { ...m, paths: Array.isArray(m.paths) ? m.paths.filter((p): p is string => typeof p === 'string') : [] };
}

/** The whole record is replaced at once (last review wins), never a mix of two reviews. */
export async function writeProjectMemory(queue: TaskQueue, projectId: number, memory: ProjectMemory): Promise<void> {
  const value = JSON.stringify(memory);
  await queue.memory.update(PROJECT_KEY(projectId), () => value);
}

function projectList(raw: string | undefined): number[] {
  const list = parseJson<unknown>(raw, []);
  return Array.isArray(list) ? list.filter((x): x is number => Number.isInteger(x)) : [];
}

/** Projects the bot has handled events for (the reconciler's list when no allowlist is set). */
export async function knownProjects(queue: TaskQueue): Promise<number[]> {
  return projectList(await read(queue, PROJECTS_KEY));
}

/** Adds to the list atomically: two tasks of two projects at once both end up in it. */
export async function rememberProject(queue: TaskQueue, projectId: number): Promise<void> {
  if ((await knownProjects(queue)).includes(projectId)) return;
  const legacy = await queue.getResult(PROJECTS_KEY, LEGACY_REF(PROJECTS_KEY));
  await queue.memory.update(PROJECTS_KEY, (current) => {
    const list = projectList(current ?? legacy);
    return list.includes(projectId) ? undefined : JSON.stringify([...list, projectId].sort((a, b) => a - b));
  });
}

export async function lastReconcile(queue: TaskQueue): Promise<string | undefined> {
  return read(queue, RECONCILE_KEY);
}

export async function recordReconcile(queue: TaskQueue, isoTime: string): Promise<void> {
  await queue.memory.update(RECONCILE_KEY, () => isoTime);
}
