// The README's rules table, generated from rules/*.yml.
import type { RuleMeta } from '../analysis/rules/types.js';
import { collapseNewlines } from '../text/linear.js';

export const TABLE_START = '<!-- rules:start -->';
export const TABLE_END = '<!-- rules:end -->';

function cell(text: string): string {
  return collapseNewlines(text.replace(/\|/g, '\\|'));
}

export function renderRulesTable(rules: RuleMeta[]): string {
  const rows = [...rules].sort((a, b) => a.id.localeCompare(b.id)).map((r) =>
    `| [\`${r.id}\`](${r.docs}) | ${r.severity} | ${r.seenIn.join(', ')} | ${cell(r.title)} | ${r.buildkit ? `\`${r.buildkit}\`` : ''} |`);
  return ['| id | severity | seen in | title | BuildKit |', '|---|---|---|---|---|', ...rows].join('\n') + '\n';
}

/** Replace the text between the markers; undefined when the markers are missing. */
export function replaceRulesTable(readme: string, table: string): string | undefined {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) return undefined;
  return `${readme.slice(0, start + TABLE_START.length)}\n${table}${readme.slice(end)}`;
}
