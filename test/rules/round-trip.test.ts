// The round-trip property, checked from outside the analysis: every fix `ci-medic lint` offers,
// applied to a copy of the checkout on disk, removes its finding and adds none; on the fixtures,
// the seed situations and every folder of ../shared/corpus/real-world/.
import t from 'tap';
import type { Test } from 'tap';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { lintPaths } from '../../src/cli/lint.js';
import { loadAllRules } from '../../src/analysis/rules/index.js';
import { applyToText } from '../../src/analysis/fixes/round-trip.js';
import type { Finding, TextEdit } from '../../src/analysis/types.js';
import { fixturePath, sharedDir, sharedAvailable } from '../helpers/paths.js';

const { rules } = loadAllRules();

function place(f: Finding): string {
  return `${f.ruleId}@${f.location?.path}:${f.location?.line}`;
}

/** Copy `dir`, apply the fix, lint the copy: what is new, and whether the finding is still there. */
async function applyAndRelint(dir: string, f: Finding, before: Finding[]) {
  const copy = mkdtempSync(join(tmpdir(), 'ci-medic-rt-'));
  try {
    cpSync(dir, copy, { recursive: true });
    const byPath = new Map<string, TextEdit[]>();
    for (const e of f.fix!.edits) byPath.set(e.path, [...(byPath.get(e.path) ?? []), e]);
    for (const [p, edits] of byPath) writeFileSync(join(copy, p), applyToText(readFileSync(join(copy, p), 'utf8'), edits));
    const after = (await lintPaths(['.'], copy, rules)).findings;
    // Line numbers move by the lines the fix adds: compare by rule and file, counted.
    const count = (fs: Finding[]) => {
      const m = new Map<string, number>();
      for (const x of fs) m.set(`${x.ruleId}@${x.location?.path}`, (m.get(`${x.ruleId}@${x.location?.path}`) ?? 0) + 1);
      return m;
    };
    const was = count(before);
    const now = count(after);
    const added = [...now].filter(([k, n]) => n > (was.get(k) ?? 0)).map(([k]) => k);
    const ownKey = `${f.ruleId}@${f.location?.path}`;
    return { added, gone: (now.get(ownKey) ?? 0) < (was.get(ownKey) ?? 0) };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

async function checkFolder(t: Test, dir: string): Promise<{ fixes: number; withheld: number }> {
  const r = await lintPaths(['.'], dir, rules);
  const fixes = r.findings.filter((f) => f.fix);
  for (const f of fixes) {
    const { added, gone } = await applyAndRelint(dir, f, r.findings);
    t.ok(gone, `${relative(sharedDir, dir)}: ${place(f)} is gone once its fix is applied`);
    t.same(added, [], `${relative(sharedDir, dir)}: the fix of ${place(f)} adds nothing`);
  }
  return { fixes: fixes.length, withheld: r.roundTrip.failures.length };
}

t.test('fixtures: every offered fix round-trips', async (t) => {
  for (const d of ['lint/seed', 'lint/clean']) await checkFolder(t, fixturePath(...d.split('/')));
});

function seedCheckout(ci: string, dockerfile: string, crlf = false): string {
  const dir = mkdtempSync(join(tmpdir(), 'ci-medic-seed-'));
  const eol = (s: string) => (crlf ? s.replace(/\r?\n/g, '\r\n') : s);
  writeFileSync(join(dir, '.gitlab-ci.yml'), eol(ci));
  writeFileSync(join(dir, 'Dockerfile'), eol(dockerfile));
  return dir;
}

t.test('seed 2: the fix is the seed\'s working one, and the patched Dockerfile linted alone is clean', async (t) => {
  const dir = seedCheckout(readFileSync(fixturePath('seeds', 'from-arg.gitlab-ci.yml'), 'utf8'), readFileSync(fixturePath('seeds', 'from-arg.Dockerfile'), 'utf8'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const { findings } = await lintPaths(['.'], dir, rules);
  const seed = findings.find((f) => f.ruleId === 'dockerfile-from-undeclared-arg')!;
  t.ok(seed.fix, 'the seed finding has a fix');
  const df = seed.fix!.edits.find((e) => e.path === 'Dockerfile')!;
  t.same(df.newLines, ['ARG CI_REGISTRY_IMAGE=registry.invalid/set-by-ci', 'ARG BASE_TAG=latest', 'FROM $CI_REGISTRY_IMAGE:$BASE_TAG'], 'ARGs with defaults before the first FROM, a stable tag');
  const job = seed.fix!.edits.find((e) => e.path === '.gitlab-ci.yml')!;
  t.match(job.newLines.join('\n'), /--build-arg CI_REGISTRY_IMAGE=\$CI_REGISTRY_IMAGE/);
  t.notMatch(job.newLines.join('\n'), /CI_COMMIT_BEFORE_SHA/);
  for (const [p, edits] of [['Dockerfile', [df]], ['.gitlab-ci.yml', [job]]] as const) {
    writeFileSync(join(dir, p), applyToText(readFileSync(join(dir, p), 'utf8'), [...edits]));
  }
  const after = (await lintPaths(['.'], dir, rules)).findings.map((f) => f.ruleId);
  t.notOk(after.includes('image-tag-before-sha'), 'no image-tag-before-sha after the fix');
  t.notOk(after.includes('dockerfile-from-undeclared-arg'));
  const alone = (await lintPaths(['Dockerfile'], dir, rules)).findings.map((f) => f.ruleId);
  t.notOk(alone.includes('dockerfile-from-arg-no-default'), 'the patched Dockerfile linted alone has no default-less ARG');
  t.same(alone, []);
});

t.test('docker login -p in a CRLF file: the fix keeps CRLF and the login', async (t) => {
  const ci = [
    'default:', '  image: docker:24', '  services: [docker:24-dind]',
    'build:', '  script:',
    '    - docker login -u "$CI_REGISTRY_USER" --password="$CI_REGISTRY_PASSWORD" "$CI_REGISTRY"',
    '    - docker build -t "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHA" .', '    - docker push "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHA"',
    'release:', '  script:',
    '    - docker login -u "$CI_REGISTRY_USER" --password="$CI_REGISTRY_PASSWORD" "$CI_REGISTRY"',
    '    - docker push "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHA"', '',
  ].join('\n');
  const dir = seedCheckout(ci, 'FROM alpine:3.20\n', true);
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const { findings } = await lintPaths(['.'], dir, rules);
  const login = findings.filter((f) => f.ruleId === 'docker-login-password-argv');
  t.equal(login.length, 1, 'one finding for both jobs');
  t.match(login[0]!.message, /`--password=`/);
  t.match(login[0]!.message, /The same applies to 1 other job: `release` \(line 11\)/);
  t.notOk(login[0]!.fix!.edits.some((e) => e.newLines.some((l) => l.includes('\r'))), 'fix lines carry no line terminator');
  const { added, gone } = await applyAndRelint(dir, login[0]!, findings);
  t.ok(gone);
  t.same(added, [], 'registry-login-missing does not appear');
  const patched = applyToText(readFileSync(join(dir, '.gitlab-ci.yml'), 'utf8'), login[0]!.fix!.edits);
  t.notOk(/[^\r]\n/.test(patched), 'every line still ends in CRLF');
});

t.test('image-tag-ref-name: the fix leaves no $CI_COMMIT_REF_NAME in an image on any line of the job', async (t) => {
  const ci = 'build:\n  image: docker:24\n  services: [docker:24-dind]\n  before_script:\n    - echo -n "$CI_JOB_TOKEN" | docker login -u gitlab-ci-token --password-stdin "$CI_REGISTRY"\n  script:\n'
    + '    - docker build -t "$CI_REGISTRY_IMAGE:$CI_COMMIT_REF_NAME" -t "$CI_REGISTRY_IMAGE:${CI_COMMIT_REF_NAME}-x" --label "branch=$CI_COMMIT_REF_NAME" .\n'
    + '    - docker push "$CI_REGISTRY_IMAGE:$CI_COMMIT_REF_NAME"\n';
  const dir = seedCheckout(ci, 'FROM alpine:3.20\n');
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const { findings } = await lintPaths(['.'], dir, rules);
  const f = findings.find((x) => x.ruleId === 'image-tag-ref-name')!;
  t.notMatch(f.message, /upper-case/i, 'upper-case letters are valid in a tag');
  t.match(f.message, /`\/`/);
  t.same(f.fix!.edits.map((e) => e.startLine), [7, 8]);
  t.same(f.fix!.edits[0]!.newLines, ['    - docker build -t "$CI_REGISTRY_IMAGE:$CI_COMMIT_REF_SLUG" -t "$CI_REGISTRY_IMAGE:${CI_COMMIT_REF_SLUG}-x" --label "branch=$CI_COMMIT_REF_NAME" .']);
  const { added, gone } = await applyAndRelint(dir, f, findings);
  t.ok(gone);
  t.same(added, []);
});

if (!sharedAvailable) {
  t.comment(`${sharedDir} is absent: the real-world round trip is not checked`);
} else {
  t.test('every folder of the real-world corpus: every offered fix round-trips, none withheld', async (t) => {
    const corpus = join(sharedDir, 'corpus', 'real-world');
    const folders = readdirSync(corpus).filter((d) => statSync(join(corpus, d)).isDirectory()).sort();
    let fixes = 0;
    let withheld = 0;
    for (const d of folders) {
      const r = await checkFolder(t, join(corpus, d));
      fixes += r.fixes;
      withheld += r.withheld;
    }
    t.comment(`${folders.length} folders: ${fixes} fixes offered and re-checked on disk, ${withheld} withheld by the analysis`);
    t.ok(fixes > 20, 'the corpus gives fixes to check');
    t.equal(withheld, 0, 'no fix the analysis builds fails its own round trip');
  });
}
