// The human summary `ci-medic diagnose` prints by default.
import type { Diagnosis } from '../analysis/diagnose/diagnose-job.js';
import { applyEdits } from '../analysis/fixes/render.js';
import { splitLines, unifiedPatch } from '../analysis/fixes/diff.js';
import type { RuleMeta } from '../analysis/rules/types.js';
import type { Fix } from '../analysis/types.js';
import type { LogTruncation } from '../analysis/log/types.js';

export interface TextOptions {
  rules: readonly RuleMeta[];
  fileText: (path: string) => string | undefined;
  truncated?: false | LogTruncation;
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

export function renderText(result: Diagnosis, opts: TextOptions): string {
  const metas = new Map(opts.rules.map((r) => [r.id, r]));
  const out: string[] = [];
  if (opts.truncated) out.push(`note: the log (${opts.truncated.totalBytes} bytes) was longer than the read limit; only its last ${opts.truncated.keptBytes} bytes were scanned`);
  for (const f of result.findings) {
    out.push(`${f.severity} ${f.ruleId}: ${f.title}`);
    out.push(indent(f.message));
    if (f.location) out.push(`    at ${f.location.path}:${f.location.line}`);
    const lines = f.evidence?.logLines;
    if (Array.isArray(lines) && lines.length) {
      out.push('    log:');
      for (const l of lines as Array<{ number: number; text: string }>) out.push(`      ${String(l.number).padStart(6)} | ${l.text}`);
    }
    if (f.fix) out.push(`    fix: ${f.fix.description}`, indent(patchText(f.fix, opts.fileText), '      '));
    const docs = metas.get(f.ruleId)?.docs;
    if (docs) out.push(`    docs: ${docs}`);
    out.push('');
  }
  if (result.unmatched) {
    const u = result.unmatched;
    out.push(`no known cause${u.failureReason ? ` (failure reason: ${u.failureReason})` : ''}`);
    const lines = u.errorLines.length ? u.errorLines : u.tail;
    out.push(`    last ${u.errorLines.length ? 'error ' : ''}lines:`);
    for (const l of lines.slice(-10)) out.push(`      ${String(l.number).padStart(6)} | ${l.text}`);
    out.push('');
  }
  return out.join('\n');
}
