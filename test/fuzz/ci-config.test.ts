// Property: random CI configurations — structured (jobs, extends, includes, anchors, !reference)
// and YAML-ish noise — resolve without throwing and finish, with problems as findings.
import t from 'tap';
import fc from 'fast-check';
import '../helpers/fuzz.js';
import { loadCiConfig, resolveCiConfigFromFiles, sourceFromFiles } from '../../src/analysis/ci-config/index.js';
import type { CiConfig } from '../../src/analysis/ci-config/index.js';

const NAMES = ['build', 'test', '.base', '.docker', 'deploy', 'default', 'job one'];
const SCRIPT = fc.constantFrom(
  'docker build -t $CI_REGISTRY_IMAGE .', 'docker push $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA', 'echo "$CI_JOB_TOKEN" | docker login -u gitlab-ci-token --password-stdin $CI_REGISTRY',
  'make', '', '${UNSET:-x}', 'echo $[[ inputs.x ]]', 'a && b || c', "'unterminated", 'cat <<EOF',
);
const scalar = fc.oneof(SCRIPT, fc.string({ maxLength: 20 }), fc.integer(), fc.boolean(), fc.constant(null));
const scriptValue = fc.oneof(SCRIPT, fc.array(fc.oneof(SCRIPT, fc.array(SCRIPT, { maxLength: 3 })), { maxLength: 4 }), scalar);

const jobValue = fc.record(
  {
    stage: fc.constantFrom('build', 'test', 'deploy', 'nope'),
    image: fc.oneof(fc.constantFrom('docker:24', 'alpine', '$IMAGE', ''), fc.record({ name: fc.constantFrom('docker:24', '') })),
    services: fc.array(fc.constantFrom('docker:24-dind', 'docker:dind', 'postgres'), { maxLength: 2 }),
    extends: fc.oneof(fc.constantFrom(...NAMES), fc.array(fc.constantFrom(...NAMES), { maxLength: 3 })),
    script: scriptValue,
    before_script: scriptValue,
    after_script: scriptValue,
    variables: fc.dictionary(fc.constantFrom('DOCKER_HOST', 'DOCKER_TLS_CERTDIR', 'IMAGE', 'X'), scalar, { maxKeys: 3 }),
    needs: fc.array(fc.constantFrom(...NAMES), { maxLength: 2 }),
    rules: fc.array(fc.record({ if: fc.constantFrom('$CI_COMMIT_BRANCH', '$X == "y"') }), { maxLength: 2 }),
  },
  { requiredKeys: [] },
);

const config = fc.record(
  {
    stages: fc.array(fc.constantFrom('build', 'test', 'deploy'), { maxLength: 3 }),
    variables: fc.dictionary(fc.constantFrom('IMAGE', 'X', 'DOCKER_DRIVER'), scalar, { maxKeys: 3 }),
    include: fc.oneof(fc.constantFrom('a.yml', 'missing.yml', '*.yml', '.gitlab-ci.yml'), fc.array(fc.record({ local: fc.constantFrom('a.yml', 'b.yml', '/a.yml') }), { maxLength: 3 })),
    jobs: fc.dictionary(fc.constantFrom(...NAMES), fc.oneof(jobValue, scalar), { maxKeys: 5 }),
  },
  { requiredKeys: ['jobs'] },
);

function toYaml(c: { stages?: unknown; variables?: unknown; include?: unknown; jobs: Record<string, unknown> }): string {
  const { jobs, ...top } = c;
  return JSON.stringify({ ...top, ...jobs }, null, 1);
}

function wellFormed(c: CiConfig): boolean {
  return Array.isArray(c.jobs) && Array.isArray(c.problems) && c.problems.every((p) => typeof p.message === 'string' && p.message.length > 0);
}

t.test('structured random configurations across included files', async (t) => {
  await fc.assert(
    fc.asyncProperty(config, config, config, async (main, a, b) => {
      const files = new Map([['.gitlab-ci.yml', toYaml(main)], ['a.yml', toYaml(a)], ['b.yml', toYaml(b)]]);
      return wellFormed(await resolveCiConfigFromFiles(files));
    }),
    { numRuns: 80 },
  );
  t.pass('property held');
});

const TOKENS = [
  'job:', '.base:', 'extends: .base', 'extends: job', 'script:', '- ', '  ', '\n', '&a ', '*a', '<<: *a', '!reference [.base, script]',
  '!reference [job]', '{', '}', '[', ']', ': ', '|', '>-', '"', "'", '#', '---', '...', '%YAML 1.2', '!!binary ', '? ', '\t', '\u0000', '\ufeff',
  'include: a.yml', 'spec:\n  inputs:\n    x:\n', '$[[ inputs.x ]]', 'docker push $CI_REGISTRY_IMAGE',
];

t.test('YAML-ish token soup, anchors and tags', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.constantFrom(...TOKENS), { maxLength: 80 }), fc.string({ maxLength: 40 }), async (parts, noise) => {
      const text = parts.join('') + noise;
      return wellFormed(await resolveCiConfigFromFiles(new Map([['.gitlab-ci.yml', text], ['a.yml', text]])));
    }),
    { numRuns: 120 },
  );
  t.pass('property held');
});

t.test('bounds hold with small limits: oversize files and alias expansion end in a finding', async (t) => {
  const big = `job:\n  script:\n${'    - echo 0123456789012345678901234567890123456789\n'.repeat(200)}`;
  const small = await loadCiConfig('.gitlab-ci.yml', sourceFromFiles(new Map([['.gitlab-ci.yml', big]])), { maxFileBytes: 1024 });
  t.ok(wellFormed(small));
  t.ok(small.problems.some((p) => /byte|large|size|limit/i.test(p.message)), small.problems.map((p) => p.message).join(' | '));
  t.same(small.jobs, [], 'an oversize file is not half-read');

  let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
  for (let i = 1; i < 8; i++) bomb += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
  bomb += 'job:\n  script: *a7\n';
  const bombed = await loadCiConfig('.gitlab-ci.yml', sourceFromFiles(new Map([['.gitlab-ci.yml', bomb]])), { maxAliasCount: 100 });
  t.ok(bombed.problems.some((p) => /alias/i.test(p.message)), bombed.problems.map((p) => p.message).join(' | '));

  const fine = await loadCiConfig('.gitlab-ci.yml', sourceFromFiles(new Map([['.gitlab-ci.yml', 'job:\n  script: [make]\n']])), { maxFileBytes: 1024 });
  t.same(fine.problems, [], 'a small file under the same limit is fine');
  t.equal(fine.jobs.length, 1);
});
