// `include: local:` wildcards, matched the way GitLab does (Repository#search_files_by_wildcard_path):
// `**` matches anything including '/', `*` anything but '/', everything else literally,
// anchored at both ends. So `ci/**.yml` covers ci/ and its subfolders, `ci/**/*.yml` only subfolders.

export function isIncludeGlob(path: string): boolean {
  return path.includes('*');
}

export function includeGlobToRegExp(glob: string): RegExp {
  const g = glob.replace(/^\/+/, '');
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i]!;
    if (c === '*') {
      if (g[i + 1] === '*') {
        re += '.*';
        i++;
      } else re += '[^/]*';
    } else re += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** The paths (no leading '/') matching an include wildcard, sorted like GitLab (by path). */
export function matchIncludeGlob(glob: string, paths: Iterable<string>): string[] {
  const re = includeGlobToRegExp(glob);
  const out: string[] = [];
  for (const p of paths) if (re.test(p.replace(/^\/+/, ''))) out.push(p.replace(/^\/+/, ''));
  return out.sort();
}
