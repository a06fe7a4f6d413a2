// Building findings from rule metadata, and locating a command's line in the CI file.
import type { Finding, Fix, Location } from '../types.js';
import type { CiConfig, ScriptLine } from '../ci-config/types.js';
import type { DockerInvocation } from '../shell/types.js';
import type { CheckContext } from './types.js';

export interface FindingParts {
  message: string;
  location?: Location;
  evidence?: Record<string, unknown>;
  fix?: Fix;
}

/** A finding carrying the rule's title, severity and BuildKit name from its metadata. */
export function makeFinding(ctx: CheckContext, ruleId: string, parts: FindingParts): Finding {
  const meta = ctx.meta(ruleId);
  const f: Finding = { ruleId, severity: meta.severity, title: meta.title, message: parts.message };
  if (parts.location) f.location = parts.location;
  if (meta.buildkit) f.buildkit = meta.buildkit;
  if (parts.evidence) f.evidence = parts.evidence;
  if (parts.fix) f.fix = parts.fix;
  return f;
}

/** Lines of a CI file (1-based access via [line - 1]); empty when the file is unknown. */
export function fileLines(ci: CiConfig | undefined, path: string): string[] {
  return ci?.files.get(path)?.split('\n') ?? [];
}

/**
 * The file line a command sits on. A single-line entry is its own line; inside a block scalar
 * the command's line offset is used, confirmed by finding its words on that line (YAML may have
 * folded lines, so nearby lines are searched when the offset does not match).
 */
export function lineOfCommand(ci: CiConfig | undefined, source: ScriptLine, lineOffset: number, needles: string[]): Location {
  const { path, line, endLine } = source.pos;
  if (endLine === undefined || endLine <= line) return { path, line };
  const lines = fileLines(ci, path);
  const has = (n: number): boolean => {
    const text = lines[n - 1];
    return text !== undefined && needles.every((w) => text.includes(w));
  };
  const guesses = [line + lineOffset + 1, line + lineOffset];
  for (const g of guesses) if (g >= line && g <= endLine && has(g)) return { path, line: g };
  for (let n = line; n <= endLine; n++) if (has(n)) return { path, line: n };
  return { path, line };
}

/** The line of a docker/podman/kaniko invocation. */
export function locateInvocation(ci: CiConfig | undefined, inv: DockerInvocation): Location {
  const program = inv.tool === 'kaniko' ? 'executor' : inv.tool === 'buildx' ? 'docker' : inv.tool;
  const verbWord = inv.tool === 'kaniko' ? [] : inv.verb === 'other' ? [] : [inv.verb === 'build' && inv.tool === 'buildah' ? 'b' : inv.verb];
  return lineOfCommand(ci, inv.source, inv.lineOffset ?? 0, [program, ...verbWord]);
}
