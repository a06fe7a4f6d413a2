// The CLI's JSON: {"findings":[{ruleId, severity, title, message, location?, buildkit?, evidence?, fix?}], unmatched?}.
import type { Finding } from '../analysis/types.js';

/** A finding with its keys in the documented order (stable output for scripts and diffs). */
export function findingJson(f: Finding): Record<string, unknown> {
  const o: Record<string, unknown> = { ruleId: f.ruleId, severity: f.severity, title: f.title, message: f.message };
  if (f.location) o['location'] = { path: f.location.path, line: f.location.line, ...(f.location.endLine !== undefined ? { endLine: f.location.endLine } : {}) };
  if (f.buildkit) o['buildkit'] = f.buildkit;
  if (f.evidence) o['evidence'] = f.evidence;
  if (f.fix) o['fix'] = f.fix;
  return o;
}

export function renderJson(findings: Finding[], extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ findings: findings.map(findingJson), ...extra }, null, 2)}\n`;
}
