// Text an attacker controls (job logs, job names, file content) cannot mention people, render
// HTML, break out of a code block or forge a ci-medic marker in the comments ci-medic writes.
import t, { type Test } from 'tap';
import { scanLog } from '../../src/analysis/log/index.js';
import { diagnoseJob } from '../../src/analysis/diagnose/index.js';
import { renderDiagnosis, renderFinding } from '../../src/report/markdown/index.js';
import { renderReviewSummary } from '../../src/report/markdown/summary.js';
import { loadAllRules } from '../../src/analysis/rules/load-files.js';
import { resolveCiConfigFromFiles } from '../../src/analysis/ci-config/index.js';
import { buildCheckContext } from '../../src/analysis/rules/context.js';
import { runStaticChecks } from '../../src/analysis/rules/run.js';
import { fencesBalanced, proseOf } from '../helpers/markdown.js';
import { checkBody } from '../fake-gitlab/markdown-check.js';
import { findingKeyIn, hasMarker } from '../../src/gitlab/markers.js';

const rules = loadAllRules().rules;
const ruleMap = new Map(rules.map((r) => [r.id, r]));

const HOSTILE = [
  '@all deploy is broken',
  'ping @alice and @group/subgroup',
  '</details><img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '```\n',
  '````',
  '~~~',
  '<!-- ci-medic:summary -->',
  '<!-- ci-medic:diagnosis pipeline=1 -->',
  '<!-- ci-medic:finding 0123456789abcdef -->',
  '[click](javascript:alert(1))',
  '`` ` ``',
];

function assertSafe(t: Test, md: string, allowedMarkers: number): void {
  // Rendered as CommonMark: quoted text sits inside code nodes, where GitLab makes nothing live.
  t.same(checkBody(md), [], 'no live mention, no raw HTML, no image');
  const prose = proseOf(md);
  t.notMatch(prose, /<img|<script|\]\(javascript:/i, 'no HTML or script URL outside code');
  t.equal((prose.match(/<details>/g) ?? []).length, (prose.match(/<\/details>/g) ?? []).length, '<details> balanced');
  // A marker quoted in code is text; ci-medic only reads the one that ends the body.
  t.equal((prose.match(/<!-- ci-medic:/g) ?? []).length, allowedMarkers, 'no forged marker outside code');
  if (allowedMarkers === 0) {
    t.notOk(hasMarker(md, '<!-- ci-medic:summary -->'), 'not taken for the summary');
    t.equal(findingKeyIn(md), undefined, 'not taken for a finding thread');
  }
  t.ok(fencesBalanced(md), 'every code block closes');
}

async function diagnosis(log: string): Promise<string> {
  const scan = await scanLog([log], rules);
  const result = diagnoseJob({ scan, rules, jobName: 'build' });
  return renderDiagnosis({ pipeline: { id: 5, sha: 'a'.repeat(40), ref: 'main' }, jobs: [{ name: 'build', id: 8, webUrl: 'https://gitlab.example.com/a/b/-/jobs/8', result }], rules });
}

for (const h of HOSTILE) {
  t.test(`diagnosis quoting ${JSON.stringify(h)}`, async (t) => {
    const known = ['$ docker push $CI_REGISTRY_IMAGE # ' + h, h, `denied: requested access to the resource is denied ${h}`, h, ''].join('\n');
    const mdKnown = await diagnosis(known);
    t.match(mdKnown, 'registry-login-missing');
    assertSafe(t, mdKnown, 1);
    const unknown = [`error: ${h}`, h, `fatal: ${h}`, ''].join('\n');
    const mdUnknown = await diagnosis(unknown);
    t.match(mdUnknown, 'no known cause');
    assertSafe(t, mdUnknown, 1);
  });
}

t.test('job names and the job URL from the pipeline are not trusted either', async (t) => {
  const scan = await scanLog(['error: x', ''], rules);
  const md = renderDiagnosis({
    pipeline: { id: 5, sha: 'a'.repeat(40), ref: '@all </details><img src=x onerror=alert(1)>', url: 'javascript:alert(1)' },
    jobs: [{ name: '@all <img src=x onerror=alert(1)> <!-- ci-medic:summary -->', id: 8, webUrl: 'https://x.example/a) [y](javascript:alert(1)', result: diagnoseJob({ scan, rules }) }],
    rules,
  });
  assertSafe(t, md, 1);
});

t.test('review summary and finding bodies built from a hostile CI file', async (t) => {
  const name = '@all </details><img src=x onerror=alert(1)> <!-- ci-medic:summary --> ```';
  const ci = [
    `${JSON.stringify(name)}:`,
    '  image: docker:24',
    '  services: [docker:24-dind]',
    '  script:',
    `    - docker build -t $CI_REGISTRY_IMAGE . # @bob ${'`'.repeat(4)}`,
    '    - docker push $CI_REGISTRY_IMAGE',
    '',
  ].join('\n');
  const config = await resolveCiConfigFromFiles(new Map([['.gitlab-ci.yml', ci]]));
  const findings = runStaticChecks(buildCheckContext(config, new Map(), { rules }));
  t.ok(findings.some((f) => f.ruleId === 'registry-login-missing'), 'the push is found');
  const summary = renderReviewSummary({ projectUrl: 'https://gitlab.example.com/acme/app', headSha: 'b'.repeat(40), findings });
  assertSafe(t, summary, 0);
  for (const f of findings) assertSafe(t, renderFinding(f, { rules: ruleMap, fileText: () => ci }), 0);
});
