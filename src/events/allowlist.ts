// ALLOWED_PROJECTS: numeric project ids, full paths (`acme/web-app`) and group prefixes
// (`acme/`, which also covers subgroups). An empty list allows every project.

export function isProjectAllowed(allowed: readonly string[], project: { id?: number; path?: string }): boolean {
  if (allowed.length === 0) return true;
  const path = project.path?.toLowerCase();
  for (const entry of allowed) {
    if (/^\d+$/.test(entry)) {
      if (project.id !== undefined && String(project.id) === entry) return true;
    } else if (path !== undefined) {
      const wanted = entry.toLowerCase();
      if (wanted.endsWith('/') ? path.startsWith(wanted) : path === wanted) return true;
    }
  }
  return false;
}
