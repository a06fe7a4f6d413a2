// Where the repository and ../shared are, whether a test runs from test/ (TypeScript) or from
// dist/test/ (compiled): walk up to the folder holding package.json.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
}

export const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

/** A path under the repository's test/fixtures/. */
export const fixturePath = (...parts: string[]): string => join(repoRoot, 'test', 'fixtures', ...parts);

/** ../shared beside the checkout (read-only data from public repositories); may be absent. */
export const sharedDir = resolve(repoRoot, '..', 'shared');
export const sharedAvailable = existsSync(sharedDir);
