// One line per finding, compiler style: `path:line: severity rule-id message`.
import type { Finding } from '../analysis/types.js';
import { collapseNewlines } from '../text/linear.js';

/** Messages are markdown-ish; a terminal line reads better without backticks or newlines. */
function plain(message: string): string {
  return collapseNewlines(message.replace(/`/g, ''));
}

export function renderText(findings: Finding[]): string {
  return findings.map((f) => {
    const where = f.location ? `${f.location.path}:${f.location.line}: ` : '';
    return `${where}${f.severity} ${f.ruleId} ${plain(f.message)}\n`;
  }).join('');
}
