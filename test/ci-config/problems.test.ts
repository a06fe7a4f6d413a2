// What GitLab rejects becomes a ci-config-invalid finding at the right line; valid near misses do not.
import t from 'tap';
import { codes, lineOf, resolve } from './helpers.js';

const table: { name: string; yaml: string; code: string | null; needle?: string }[] = [
  { name: 'yaml syntax error', yaml: 'a: b\njob:\n  script: [unclosed\n', code: 'yaml-syntax' },
  { name: 'extends missing parent', yaml: 'job:\n  extends: .nope\n  script: x\n', code: 'extends-missing', needle: 'extends:' },
  { name: 'extends cycle', yaml: '.a:\n  extends: .b\n.b:\n  extends: .a\njob:\n  extends: .a\n  script: x\n', code: 'extends-cycle' },
  { name: 'extends self', yaml: 'job:\n  extends: job\n  script: x\n', code: 'extends-cycle' },
  { name: 'unknown keyword', yaml: 'job:\n  script: x\n  scirpt: y\n', code: 'unknown-keyword', needle: 'scirpt' },
  { name: 'job without script', yaml: 'job:\n  stage: test\n', code: 'missing-script', needle: 'job:' },
  { name: 'trigger job needs no script', yaml: 'job:\n  trigger: group/project\n', code: null },
  { name: 'hidden job needs no script', yaml: '.job:\n  stage: test\nj:\n  script: x\n', code: null },
  { name: 'only hidden jobs: no visible job', yaml: '.job:\n  script: x\n', code: 'no-visible-job' },
  { name: 'script inherited via extends', yaml: '.p:\n  script: x\njob:\n  extends: .p\n', code: null },
  { name: 'stage not in stages', yaml: 'stages: [build]\njob:\n  stage: deploy\n  script: x\n', code: 'unknown-stage', needle: 'stage: deploy' },
  { name: 'default stages', yaml: 'job:\n  stage: deploy\n  script: x\n', code: null },
  { name: '.pre always exists', yaml: 'stages: [build]\njob:\n  stage: .pre\n  script: x\n', code: null },
  { name: 'needs missing job', yaml: 'a:\n  script: x\nb:\n  needs: [a, c]\n  script: x\n', code: 'needs-missing', needle: 'needs:' },
  { name: 'optional needs may be missing', yaml: 'b:\n  needs:\n    - job: c\n      optional: true\n  script: x\n', code: null },
  { name: '!reference missing', yaml: 'job:\n  script:\n    - !reference [.x, script]\n', code: 'reference-missing', needle: '!reference' },
  { name: '!reference to itself', yaml: '.a:\n  script:\n    - !reference [.a, script]\njob:\n  script: !reference [.a, script]\n', code: 'reference-invalid' },
  { name: 'top-level and default both set', yaml: 'image: a\ndefault:\n  image: b\njob:\n  script: x\n', code: 'default-duplicate' },
  { name: 'non-hash job', yaml: 'job: echo\n', code: 'job-not-hash' },
  { name: 'script too deeply nested', yaml: `job:\n  script: ${'['.repeat(12)}x${']'.repeat(12)}\n`, code: 'script-invalid' },
  { name: 'duplicate keys are accepted (last wins)', yaml: 'job:\n  script: a\n  script: b\n', code: null },
];

for (const k of table) {
  t.test(k.name, async (t) => {
    const c = await resolve(k.yaml);
    if (k.code === null) {
      t.same(codes(c), []);
      return;
    }
    t.ok(codes(c).includes(k.code), `has ${k.code}: ${codes(c).join(',')}`);
    const f = c.problems.find((p) => p.evidence?.code === k.code)!;
    t.equal(f.ruleId, 'ci-config-invalid');
    t.equal(f.severity, 'error');
    t.equal(f.location?.path, '.gitlab-ci.yml');
    if (k.needle) t.equal(f.location?.line, lineOf(k.yaml, k.needle));
  });
}

// GitLab (Config::Extendable::Entry) refuses an entry that itself uses extends when it already has
// more than 10 entries above it; the root-most parent (no extends) is not counted.
t.test('extends depth: like GitLab, 11 ancestors resolve, 12 do not', async (t) => {
  const chain = (n: number): string => {
    let s = '.l0:\n  script: deep\n';
    for (let i = 1; i < n; i++) s += `.l${i}:\n  extends: .l${i - 1}\n`;
    return s + `job:\n  extends: .l${n - 1}\n`;
  };
  const ok = await resolve(chain(11));
  t.same(codes(ok), []);
  t.equal(ok.jobs[0]!.script[0]!.command, 'deep');
  const deep = await resolve(chain(12));
  t.ok(codes(deep).includes('extends-too-deep'));
});

t.test('missing local include: unresolved and a problem; remote/template/component unresolved only', async (t) => {
  const c = await resolve({
    '.gitlab-ci.yml': `include:\n  - local: missing.yml\n  - remote: https://example.com/x.yml\n  - template: Auto-DevOps.gitlab-ci.yml\n  - component: gitlab.com/a/b/c@1\n  - project: group/p\n    file: ci.yml\njob:\n  script: x\n`,
  });
  t.same(c.unresolvedIncludes.map((u) => u.kind), ['local', 'remote', 'template', 'component', 'project']);
  t.ok(c.unresolvedIncludes.every((u) => u.reason.length > 0 && u.pos));
  t.same(codes(c), ['include-missing']);
});

t.test('problems an unresolved include may explain are kept apart', async (t) => {
  const c = await resolve(`include:\n  - template: Jobs/Build.gitlab-ci.yml\njob:\n  extends: .from-template\n  needs: [build]\n`);
  t.same(codes(c), []);
  t.same(c.uncertainProblems?.map((p) => p.evidence?.code), ['extends-missing', 'needs-missing']);
});
