// The human summary `ci-medic diagnose` prints by default.
import type { Diagnosis } from '../analysis/diagnose/diagnose-job.js';
import { applyEdits } from '../analysis/fixes/render.js';
import { splitLines, unifiedPatch } from '../analysis/fixes/diff.js';
import type { RuleMeta } from '../analysis/rules/types.js';
import type { Fix } from '../analysis/types.js';

export interface TextOptions {
  rules: readonly RuleMeta[];
  fileText: (path: string) => string | undefined;
}

function indent(text: string, pad = '    '): string {
  return text.split('\n').map((l) => (l ? pad + l : l)).join('\n');
}

function patchText(fix: Fix, fileText: TextOptions['fileText']): string {
  const paths = [...new Set(fix.edits.map((e) => e.path))];
  return paths
    .map((path) => {
      const edits = fix.edits.filter((e) => e.path === path);
      const before = fileText(path);
      if (before === undefined) return edits.map((e) => `${path}:${e.startLine}\n${e.newLines.map((l) => `+${l}`).join('\n')}`).join('\n');
      const after = applyEdits(splitLines(before), edits).join('\n') + (before.endsWith('\n') ? '\n' : '');
      return unifiedPatch(path, before, after).trimEnd();
    })
    .join('\n');
}

type Line = { number: number; text: string; skippedBefore?: number };

function logLines(lines: readonly Line[], pad = '      '): string[] {
  const out: string[] = [];
  lines.forEach((l, i) => {
    const prev = lines[i - 1];
    const skipped = l.skippedBefore ?? (prev && l.number > prev.number + 1 ? l.number - prev.number - 1 : 0);
    if (i > 0 && skipped > 0) out.push(`${pad}${' '.repeat(6)} … ${skipped} line${skipped === 1 ? '' : 's'} skipped`);
    out.push(`${pad}${String(l.number).padStart(6)} | ${l.text}`);
  });
  return out;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export function truncationNote(t: { keptBytes: number; totalBytes: number }): string {
  return t.keptBytes < t.totalBytes
    ? `the log is ${t.totalBytes} bytes; only its last ${t.keptBytes} bytes were read`
    : `the log was longer than the read limit; ${t.keptBytes} bytes were read`;
}

export function renderText(result: Diagnosis, opts: TextOptions): string {
  const metas = new Map(opts.rules.map((r) => [r.id, r]));
  const out: string[] = [];
  if (result.truncated) out.push(`note: ${truncationNote(result.truncated)}`);
  if (result.runnerLogLimit) out.push(`note: GitLab Runner stopped collecting the log at line ${result.runnerLogLimit.line} (its output_limit); what failed may be past the cut`);
  if (result.jobSucceeded) out.push(`the job succeeded (log line ${result.jobSucceeded.line}): nothing to diagnose`, '');
  for (const f of result.findings) {
    out.push(`${f.severity} ${f.ruleId}: ${f.title}${f.confidence !== undefined ? ` (confidence ${f.confidence})` : ''}`);
    out.push(indent(f.message));
    if (f.location) out.push(`    at ${f.location.path}:${f.location.line}`);
    for (const e of strings(f.evidence?.for)) out.push(`    for: ${e}`);
    for (const e of strings(f.evidence?.against)) out.push(`    against: ${e}`);
    const lines = f.evidence?.logLines;
    if (Array.isArray(lines) && lines.length) {
      out.push('    log:');
      out.push(...logLines(lines as Line[]));
    }
    if (f.fix) out.push(`    fix: ${f.fix.description}`, indent(patchText(f.fix, opts.fileText), '      '));
    const docs = metas.get(f.ruleId)?.docs;
    if (docs) out.push(`    docs: ${docs}`);
    out.push('');
  }
  const named = new Set(result.findings.map((f) => f.ruleId));
  const set = (result.hypotheses ?? []).filter((h) => !named.has(h.ruleId) && h.against.length > 0);
  if (set.length && !result.jobSucceeded && result.findings.length) {
    out.push('ruled out or weakened:');
    for (const h of set) out.push(`    ${h.ruleId} (confidence ${h.confidence}): ${h.against.join('; ')}`);
    out.push('');
  }
  if (result.unmatched) {
    const u = result.unmatched;
    out.push(`no known cause${u.failureReason ? ` (failure reason: ${u.failureReason})` : ''}`);
    if (u.errorLines.length) {
      out.push('    lines that look like the error:');
      out.push(...logLines(u.errorLines.slice(-10)));
    }
    out.push('    last lines of the log:');
    out.push(...logLines(u.tail.slice(-10)));
    out.push('');
  }
  return out.join('\n');
}
