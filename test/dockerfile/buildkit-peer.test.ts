// BuildKit's own lint test cases (../shared/peer-tests/buildkit/cases.yml) must give the same
// rules on the same lines with the same messages. Cases with `expected_all_targets` are compared
// against that list: ci-medic lints every stage, like `docker build --check` does for all targets.
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { parseDockerfile } from '../../src/analysis/dockerfile/parse.js';
import { lintDockerfile } from '../../src/analysis/dockerfile/lint.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { lintPaths } from '../../src/cli/lint.js';
import { loadAllRules } from '../../src/analysis/rules/index.js';

interface Expected {
  rule: string;
  line: number;
  message?: string;
}
interface Case {
  name: string;
  dockerfile: string;
  build_args?: Record<string, string>;
  expected: Expected[];
  expected_all_targets?: Expected[];
}

import { repoRoot } from '../helpers/paths.js';
const casesFile = path.resolve(repoRoot, '../shared/peer-tests/buildkit/cases.yml');

if (!existsSync(casesFile)) {
  t.plan(0, `${casesFile} is absent`);
} else {
  const cases = parse(readFileSync(casesFile, 'utf8')) as Case[];
  t.equal(cases.length, 44, 'all 44 BuildKit cases are present');
  for (const c of cases) {
    t.test(c.name, async (t) => {
      const model = parseDockerfile('Dockerfile', c.dockerfile);
      const args = new Map(Object.entries(c.build_args ?? {}).map(([k, v]) => [k, String(v)]));
      const got = lintDockerfile(model, args).map((f) => ({ rule: f.buildkit, line: f.location?.line, message: f.message }));
      const want = c.expected_all_targets ?? c.expected;
      t.same(
        got.map((g) => `${g.line} ${g.rule}`).sort(),
        want.map((w) => `${w.line} ${w.rule}`).sort(),
        'same rules on the same lines',
      );
      for (const w of want) {
        if (w.message === undefined) continue;
        t.ok(
          got.some((g) => g.rule === w.rule && g.line === w.line && g.message === w.message),
          `message: ${w.message}`,
          { got: got.filter((g) => g.line === w.line) },
        );
      }
    });
  }

  // The same cases through `ci-medic lint Dockerfile --build-arg ...`, as a user (or a peer check) runs it.
  t.test('through ci-medic lint: 44/44', async (t) => {
    const { rules } = loadAllRules();
    const dir = mkdtempSync(path.join(tmpdir(), 'ci-medic-bk-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    let agree = 0;
    for (const c of cases) {
      writeFileSync(path.join(dir, 'Dockerfile'), c.dockerfile);
      const args = new Map(Object.entries(c.build_args ?? {}).map(([k, v]) => [k, String(v)]));
      const { findings } = await lintPaths(['Dockerfile'], dir, rules, args);
      const got = findings.filter((f) => f.buildkit).map((f) => `${f.location?.line} ${f.buildkit}`).sort();
      const want = (c.expected_all_targets ?? c.expected).map((w) => `${w.line} ${w.rule}`).sort();
      if (JSON.stringify(got) === JSON.stringify(want)) agree++;
      else t.fail(`${c.name}: got ${got.join(', ')}; want ${want.join(', ')}`);
    }
    t.equal(agree, cases.length, `${agree}/${cases.length} BuildKit cases agree through the CLI`);
  });
}
