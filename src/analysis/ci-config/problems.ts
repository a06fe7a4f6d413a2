// Every configuration problem GitLab would reject becomes one `ci-config-invalid` finding.
import type { Finding } from '../types.js';
import type { SourcePos } from './types.js';

export const CI_CONFIG_INVALID = 'ci-config-invalid';

/** Stable codes, one per kind of problem (evidence.code). */
export type ProblemCode =
  | 'yaml-syntax'
  | 'yaml-tab-indent'
  | 'yaml-unknown-alias'
  | 'file-too-large'
  | 'alias-limit'
  | 'nesting-too-deep'
  | 'include-limit'
  | 'include-depth'
  | 'include-missing'
  | 'include-invalid'
  | 'extends-cycle'
  | 'extends-missing'
  | 'extends-too-deep'
  | 'extends-invalid'
  | 'reference-missing'
  | 'reference-too-deep'
  | 'reference-invalid'
  | 'job-not-hash'
  | 'unknown-keyword'
  | 'missing-script'
  | 'unknown-stage'
  | 'needs-missing'
  | 'script-invalid'
  | 'default-duplicate'
  | 'default-invalid'
  | 'invalid-type'
  | 'invalid-value'
  | 'missing-key'
  | 'exclusive-keys'
  | 'needs-later-stage'
  | 'dependency-missing'
  | 'dependency-later-stage'
  | 'job-name-too-long'
  | 'no-visible-job'
  | 'gitlab-lint'
  | 'on-stop-invalid'
  | 'internal';

export function problem(code: ProblemCode, message: string, pos?: SourcePos, evidence: Record<string, unknown> = {}): Finding {
  const f: Finding = {
    ruleId: CI_CONFIG_INVALID,
    severity: 'error',
    title: 'GitLab would reject this CI configuration',
    message,
    evidence: { code, ...evidence },
  };
  if (pos) f.location = pos.endLine && pos.endLine !== pos.line ? { path: pos.path, line: pos.line, endLine: pos.endLine } : { path: pos.path, line: pos.line };
  return f;
}

/** Thrown to unwind when a resource bound is hit; always caught inside this module. */
export class BoundExceeded extends Error {
  constructor(
    readonly code: ProblemCode,
    message: string,
    readonly pos?: SourcePos,
  ) {
    super(message);
  }
}

/** Shared work budget: every node built (parsed, expanded from an alias, cloned by !reference) costs one. */
export class Budget {
  private nodes: number;
  private aliases: number;
  constructor(maxNodes: number, readonly maxAliases: number) {
    this.nodes = maxNodes;
    this.aliases = maxAliases;
  }
  node(pos?: SourcePos): void {
    if (--this.nodes < 0) throw new BoundExceeded('alias-limit', 'The configuration expands to too many values (alias or !reference expansion); GitLab would refuse it as too large.', pos);
  }
  alias(pos?: SourcePos): void {
    if (--this.aliases < 0) throw new BoundExceeded('alias-limit', `More than ${this.maxAliases} YAML alias expansions: refusing to expand further (alias bomb?).`, pos);
  }
}
