// Resolving never throws, and hostile input (alias bombs, cycles, deep nesting) ends with a finding.
import t from 'tap';
import fc from 'fast-check';
import '../helpers/fuzz.js';
import { stringify } from 'yaml';
import { codes, resolve } from './helpers.js';

const tokens = [
  'job:', '.hidden:', 'default:', 'include:', 'variables:', 'stages:', 'extends:', 'script:', 'before_script:',
  '- ', '  ', '    ', '\n', '&a ', '*a', '<<: *a', '<<: [*a, *b]', '&b ', '*b', '!reference [job, script]',
  '!reference [.hidden]', '[', ']', '{', '}', ',', ': ', '|', '>', '"', "'", '#', '---', 'spec:', 'inputs:',
  '$[[ inputs.x ]]', '$VAR', '${VAR}', 'echo hi', 'local: a.yml', 'a.yml', 'x', '1', 'true', 'null', '~', '?', '!tag ',
];

t.test('random YAML-ish text never throws', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.constantFrom(...tokens), { maxLength: 60 }), async (parts) => {
      const text = parts.join('');
      const c = await resolve({ '.gitlab-ci.yml': text, 'a.yml': text });
      return Array.isArray(c.jobs) && Array.isArray(c.problems) && c.problems.every((p) => p.ruleId === 'ci-config-invalid');
    }),
    { numRuns: 300 },
  );
});

t.test('any JSON value serialised as YAML never throws', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.jsonValue({ maxDepth: 5 }), async (v) => {
      const c = await resolve(stringify({ job: v, '.x': v, default: v, variables: v }));
      return Array.isArray(c.problems);
    }),
    { numRuns: 200 },
  );
});

t.test('alias bomb ends with a finding', async (t) => {
  let y = 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  for (let i = 1; i < 10; i++) y += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]\n`;
  y += 'job:\n  script: *a9\n';
  const c = await resolve(y);
  t.ok(codes(c).includes('alias-limit'), codes(c).join(','));
  t.same(c.jobs, []);
});

t.test('!reference fan-out bomb ends with a finding', async (t) => {
  let y = '.r0:\n  s: [x, x, x, x, x, x, x, x]\n';
  for (let i = 1; i < 9; i++) y += `.r${i}:\n  s: [${Array(8).fill(`!reference [.r${i - 1}, s]`).join(', ')}]\n`;
  y += 'job:\n  script: !reference [.r8, s]\n';
  const c = await resolve(y);
  t.ok(codes(c).includes('alias-limit') || codes(c).includes('reference-too-deep'), codes(c).join(','));
});

t.test('extends cycle ends with one finding', async (t) => {
  const c = await resolve('a:\n  extends: b\n  script: x\nb:\n  extends: c\n  script: x\nc:\n  extends: a\n  script: x\n');
  t.equal(codes(c).filter((x) => x === 'extends-cycle').length, 1);
  t.equal(c.jobs.length, 3);
});

t.test('deep nesting ends with a finding', async (t) => {
  const deep = `job:\n  script: ${'['.repeat(5000)}x${']'.repeat(5000)}\n`;
  const c = await resolve(deep);
  t.ok(c.problems.length > 0);
});

t.test('include cycles and the include limit are bounded', async (t) => {
  const cyc = await resolve({ '.gitlab-ci.yml': 'include: a.yml\njob:\n  script: x\n', 'a.yml': 'include: .gitlab-ci.yml\n' });
  t.same(codes(cyc), []);
  const files: Record<string, string> = { '.gitlab-ci.yml': 'include: f0.yml\njob:\n  script: x\n' };
  for (let i = 0; i < 200; i++) files[`f${i}.yml`] = `include: f${i + 1}.yml\n`;
  const many = await resolve(files);
  t.ok(codes(many).includes('include-limit') || codes(many).includes('include-depth'), codes(many).join(','));
});

t.test('a throwing source becomes an unresolved include', async (t) => {
  const { loadCiConfig } = await import('../../src/analysis/ci-config/index.js');
  const c = await loadCiConfig('.gitlab-ci.yml', {
    readLocal: async (p) => {
      if (p === '.gitlab-ci.yml') return 'include: boom.yml\njob:\n  script: x\n';
      throw new Error('network down');
    },
  });
  t.ok(c.unresolvedIncludes.some((u) => u.reason.includes('network down')));
  t.equal(c.jobs.length, 1);
});

t.test('files over maxFileBytes are refused with a finding', async (t) => {
  const { loadCiConfig, sourceFromFiles } = await import('../../src/analysis/ci-config/index.js');
  const c = await loadCiConfig('.gitlab-ci.yml', sourceFromFiles(new Map([['.gitlab-ci.yml', `job:\n  script: ${'x'.repeat(2000)}\n`]])), { maxFileBytes: 1000 });
  t.same(codes(c), ['file-too-large']);
});
