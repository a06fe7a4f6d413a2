// `include: local:` wildcards, matched the way GitLab does (Repository#search_files_by_wildcard_path):
// `**` matches anything including '/', `*` anything but '/', everything else literally,
// anchored at both ends. So `ci/**.yml` covers ci/ and its subfolders, `ci/**/*.yml` only subfolders.
import { trimLeading } from '../../text/linear.js';

export function isIncludeGlob(path: string): boolean {
  return path.includes('*');
}

/**
 * A matcher for an include wildcard. Not a RegExp: `a*a*a*a*b` compiled to `[^/]*` runs is
 * polynomial on a long path, and the glob is the MR author's. This tracks the set of path
 * positions each glob character can reach: O(path x glob) whatever the glob.
 */
export function includeGlobToRegExp(glob: string): { test(path: string): boolean } {
  const g = trimLeading(glob, '/');
  return {
    test(path: string): boolean {
      const n = path.length;
      let cur = new Uint8Array(n + 1);
      cur[0] = 1;
      for (let i = 0; i < g.length; i++) {
        const c = g[i]!;
        const next = new Uint8Array(n + 1);
        if (c === '*') {
          const globstar = g[i + 1] === '*';
          if (globstar) i++;
          // `*` may extend a reached position over anything but '/', `**` over anything.
          let on = false;
          for (let p = 0; p <= n; p++) {
            if (!globstar && p > 0 && path[p - 1] === '/') on = false;
            if (cur[p] === 1) on = true;
            if (on) next[p] = 1;
          }
        } else {
          for (let p = 0; p < n; p++) if (cur[p] === 1 && path[p] === c) next[p + 1] = 1;
        }
        cur = next;
      }
      return cur[n] === 1;
    },
  };
}

/** The paths (no leading '/') matching an include wildcard, sorted like GitLab (by path). */
export function matchIncludeGlob(glob: string, paths: Iterable<string>): string[] {
  const re = includeGlobToRegExp(glob);
  const out: string[] = [];
  for (const p of paths) if (re.test(trimLeading(p, '/'))) out.push(trimLeading(p, '/'));
  return out.sort();
}
