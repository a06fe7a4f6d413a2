// Shared helpers for rule tests: resolve a CI config from in-memory files, run checks, apply fixes.
import { resolveCiConfigFromFiles } from '../../src/analysis/ci-config/index.js';
import { parseDockerfile } from '../../src/analysis/dockerfile/parse.js';
import type { CiConfig } from '../../src/analysis/ci-config/types.js';
import type { DockerfileModel } from '../../src/analysis/dockerfile/types.js';
import type { Finding, TextEdit } from '../../src/analysis/types.js';
import type { StaticCheck } from '../../src/analysis/rules/types.js';
import { buildCheckContext } from '../../src/analysis/rules/context.js';
import { loadAllRules } from '../../src/analysis/rules/load-files.js';

const { rules } = loadAllRules();

export interface Repo {
  ci?: string;
  /** Extra files (included CI files, Dockerfiles by path). */
  files?: Record<string, string>;
}

export async function contextFor(repo: Repo, cliBuildArgs?: Map<string, string>) {
  const files = new Map<string, string>();
  if (repo.ci !== undefined) files.set('.gitlab-ci.yml', repo.ci);
  const dockerfiles = new Map<string, DockerfileModel>();
  for (const [p, text] of Object.entries(repo.files ?? {})) {
    files.set(p, text);
    if (/(^|\/)(Dockerfile|Containerfile)[^/]*$|\.Dockerfile$/.test(p)) dockerfiles.set(p, parseDockerfile(p, text));
  }
  const ci: CiConfig | undefined = repo.ci !== undefined ? await resolveCiConfigFromFiles(files) : undefined;
  return buildCheckContext(ci, dockerfiles, { rules, ...(cliBuildArgs ? { cliBuildArgs } : {}) });
}

/** Run one check over an in-memory repository. */
export async function runCheck(check: StaticCheck, repo: Repo): Promise<Finding[]> {
  const ctx = await contextFor(repo);
  return check.run(ctx).filter((f) => f.ruleId === check.ruleId);
}

/** Apply a fix's edits to a text (edits on one file, applied bottom-up). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  for (const e of [...edits].sort((a, b) => b.startLine - a.startLine)) {
    lines.splice(e.startLine - 1, e.endLine - e.startLine + 1, ...e.newLines);
  }
  return lines.join('\n');
}
