// Which environment variables a source file reads: names passed to the config readers
// (`integer(env, 'PORT', ...)`) or read as `env['X']` / `process.env.X`.
export function envNamesIn(source: string): string[] {
  const names = new Set<string>();
  for (const m of source.matchAll(/\(\s*env\s*,\s*'([A-Z][A-Z0-9_]*)'/g)) names.add(m[1]!);
  for (const m of source.matchAll(/\benv\[\s*'([A-Z][A-Z0-9_]*)'\s*\]/g)) names.add(m[1]!);
  for (const m of source.matchAll(/\bprocess\.env\.([A-Z][A-Z0-9_]*)\b/g)) names.add(m[1]!);
  return [...names];
}
