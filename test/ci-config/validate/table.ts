// Table tests for the validator: each row is a configuration GitLab accepts (code null) or rejects
// (the problem code expected, on the line holding `needle`).
import t from 'tap';
import { resolveCiConfigFromFiles } from '../../../src/analysis/ci-config/index.js';

export interface Row {
  name: string;
  yaml: string;
  code: string | null;
  needle?: string;
  /** Expected text in the message. */
  says?: string;
}

/** A script job with `body` (YAML lines indented two spaces) added under it. */
export function job(body: string, name = 'build'): string {
  const lines = body.split('\n').filter((l) => l.length > 0).map((l) => `  ${l}`);
  return `${name}:\n  script: echo hi\n${lines.join('\n')}\n`;
}

export function runTable(family: string, rows: Row[]): void {
  t.test(family, async (t) => {
    for (const r of rows) {
      const c = await resolveCiConfigFromFiles(new Map([['.gitlab-ci.yml', r.yaml]]));
      const found = c.problems.map((p) => `${String(p.evidence?.code)}@${p.location?.line}: ${p.message}`);
      if (r.code === null) {
        t.same(found, [], `${r.name}: accepted`);
        continue;
      }
      const hit = c.problems.find((p) => p.evidence?.code === r.code);
      t.ok(hit, `${r.name}: rejected as ${r.code} (got ${found.join(' | ') || 'nothing'})`);
      if (!hit) continue;
      t.equal(hit.ruleId, 'ci-config-invalid', `${r.name}: rule`);
      if (r.needle) {
        const line = r.yaml.split('\n').findIndex((l) => l.includes(r.needle!)) + 1;
        t.equal(hit.location?.line, line, `${r.name}: on the line of ${r.needle}`);
      }
      if (r.says) t.match(hit.message, r.says, `${r.name}: says ${r.says}`);
    }
  });
}
