// GitLab Code Quality report (doc/ci/testing/code_quality.md, "Code Quality report format"):
// an array of { description, check_name, fingerprint, severity, location: { path, lines: { begin } } }.
import { createHash } from 'node:crypto';
import type { Finding, Severity } from '../analysis/types.js';
import { fingerprintOf } from '../analysis/types.js';

export type CodeQualitySeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: CodeQualitySeverity;
  location: { path: string; lines: { begin: number } };
}

// An error fails the pipeline or the build: critical. A warning is worth fixing: minor.
const SEVERITY: Record<Severity, CodeQualitySeverity> = { error: 'critical', warning: 'minor', info: 'info' };

/**
 * `lineText` returns the text of a line so the fingerprint follows the finding when lines move
 * (GitLab compares fingerprints between the source and target branch).
 */
export function toCodeQuality(findings: Finding[], lineText: (path: string, line: number) => string = () => '', fallbackPath = '.gitlab-ci.yml'): CodeQualityIssue[] {
  return findings.map((f) => {
    const path = f.location?.path ?? fallbackPath;
    const line = f.location?.line ?? 1;
    const fp = fingerprintOf(f.ruleId, path, lineText(path, line), f.message);
    return {
      description: `${f.title}: ${f.message.replace(/`/g, '')}`,
      check_name: f.ruleId,
      fingerprint: createHash('md5').update(fp).digest('hex'),
      severity: SEVERITY[f.severity],
      location: { path, lines: { begin: line } },
    };
  });
}

export function renderCodeQuality(findings: Finding[], lineText?: (path: string, line: number) => string, fallbackPath?: string): string {
  return `${JSON.stringify(toCodeQuality(findings, lineText, fallbackPath), null, 2)}\n`;
}
