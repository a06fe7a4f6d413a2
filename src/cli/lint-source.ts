// File access for `ci-medic lint`: a CiFileSource over a checkout folder that never reads
// outside it, and a bounded walk that finds Dockerfiles.
import { readFile, readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { CiFileSource } from '../analysis/ci-config/types.js';
import { matchIncludeGlob } from '../analysis/ci-config/index.js';

const SKIP_DIRS = new Set(['node_modules', '.git']);
const MAX_ENTRIES = 20_000;
const MAX_DEPTH = 12;
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** The absolute path of a repository path inside root, or undefined when it escapes root. */
export function insideRoot(root: string, repoPath: string): string | undefined {
  const abs = resolve(root, repoPath.replace(/^\/+/, ''));
  const rel = relative(root, abs);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return abs;
}

export async function readRepoFile(root: string, repoPath: string): Promise<string | null> {
  const abs = insideRoot(root, repoPath);
  if (!abs) return null;
  try {
    // A symlink pointing outside the checkout is refused like a `../` path.
    const [realRoot, real] = await Promise.all([realpath(root), realpath(abs)]);
    if (insideRoot(realRoot, relative(realRoot, real)) === undefined) return null;
    const s = await stat(real);
    if (!s.isFile() || s.size > MAX_FILE_BYTES) return null;
    return await readFile(real, 'utf8');
  } catch {
    return null;
  }
}

/** Every file under root (repo-relative, '/'-separated), skipping node_modules and .git, bounded. */
export async function walkFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  let seen = 0;
  const visit = async (dir: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH || seen > MAX_ENTRIES) return;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      if (++seen > MAX_ENTRIES) return;
      const abs = join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) await visit(abs, depth + 1);
      } else if (e.isFile()) {
        out.push(relative(root, abs).split(sep).join('/'));
      }
    }
  };
  await visit(root, 0);
  return out;
}

export function folderSource(root: string): CiFileSource {
  let files: Promise<string[]> | undefined;
  return {
    readLocal: (p) => readRepoFile(root, p),
    listLocal: async (glob) => matchIncludeGlob(glob.replace(/^\/+/, ''), await (files ??= walkFiles(root))),
  };
}
