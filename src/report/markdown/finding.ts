// One finding as markdown: what failed, where, the log lines that show it, why, and the fix.
// Used for each job of a diagnosis and reusable for the MR summary note.
import type { RuleMeta } from '../../analysis/rules/types.js';
import type { Finding, Fix } from '../../analysis/types.js';
import { quoteLog, type QuotedLine } from '../quote.js';
import { code, link, plain, prose, safeUrl } from '../../text/markdown.js';
import { redact } from '../../text/redact.js';
import { renderFixDiff, type FileText } from './fix.js';

export interface FindingRenderOptions {
  /** The job's web URL: log lines link to `<url>#L<n>`. */
  jobUrl?: string;
  /** Rule metadata, for the explanation and the docs link. */
  rules?: ReadonlyMap<string, RuleMeta>;
  /** Renders a fix (the service makes inline suggestions); default: a `diff` block. */
  renderFix?: (fix: Fix, finding: Finding) => string;
  /** File text for the default diff rendering (context lines). */
  fileText?: FileText;
  /** Log lines quoted at most; the excerpt is cut around the matching line. */
  maxExcerptLines?: number;
  /** Leave out the log excerpt and the patch (the comment is near GitLab's size limit). */
  compact?: boolean;
  /** The title is already the heading above: show only the rule id line. */
  titleInHeading?: boolean;
}

export { link, safeUrl } from '../../text/markdown.js';

function excerpt(lines: QuotedLine[], matchLine: number, max: number): { shown: QuotedLine[]; omitted: number } {
  if (lines.length <= max) return { shown: lines, omitted: 0 };
  // Keep the lines nearest the match; the command line (first) is kept when it is close.
  const at = Math.max(0, lines.findIndex((l) => l.number === matchLine));
  let start = Math.max(0, at - Math.floor(max / 2));
  start = Math.min(start, lines.length - max);
  return { shown: lines.slice(start, start + max), omitted: lines.length - max };
}

function evidenceLines(f: Finding): QuotedLine[] {
  const raw = f.evidence?.logLines;
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((l): l is QuotedLine => typeof l === 'object' && l !== null && typeof l.number === 'number' && typeof l.text === 'string')
    // Evidence is redacted when made; redacting again costs little and protects hand-made findings.
    .map((l) => ({ number: l.number, text: redact(l.text) }));
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function renderFinding(f: Finding, opts: FindingRenderOptions = {}): string {
  const meta = opts.rules?.get(f.ruleId);
  const out: string[] = [];
  const ids = `${code(f.ruleId)}${f.buildkit ? `, BuildKit ${code(f.buildkit)}` : ''}`;
  out.push(opts.titleInHeading ? `Rule ${ids}` : `**${plain(f.title)}** (${ids})`);
  const command = str(f.evidence?.command);
  if (command) out.push(`Failing command: ${code(redact(command))}`);
  const step = str(f.evidence?.dockerStep);
  if (step) out.push(`Build step: ${code(redact(step))}`);
  if (f.location) out.push(`Where: ${code(`${f.location.path}:${f.location.line}`)}`);
  out.push(prose(redact(f.message)));
  const lines = evidenceLines(f);
  if (lines.length > 0) {
    if (opts.compact) out.push('_Log excerpt left out: the comment is near GitLab\'s size limit._');
    else {
      const line = typeof f.evidence?.line === 'number' ? f.evidence.line : lines[0]!.number;
      const { shown, omitted } = excerpt(lines, line, opts.maxExcerptLines ?? 12);
      const quoteOpts = safeUrl(opts.jobUrl) ? { jobUrl: safeUrl(opts.jobUrl)! } : {};
      out.push(quoteLog(shown, quoteOpts) + (omitted ? `\n\n_${omitted} more log lines not shown._` : ''));
    }
  }
  // The explanation is maintainers' markdown from rules/*.yml, shown as written.
  if (meta?.explain) out.push(`**Cause.** ${meta.explain.trim()}`);
  if (f.fix) {
    if (opts.compact) out.push(`**Fix.** ${prose(redact(f.fix.description))}`);
    else {
      const rendered = opts.renderFix ? opts.renderFix(f.fix, f) : renderFixDiff(f.fix, opts.fileText);
      if (rendered) out.push(`**Fix.** ${rendered}`);
    }
  }
  if (meta?.docs) out.push(link('Documentation', meta.docs));
  return out.join('\n\n');
}
