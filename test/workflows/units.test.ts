// The workflows' pure pieces: which changes are CI-relevant, project settings, the summary note,
// and rule loading at start.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { Finding } from '../../src/analysis/types.js';
import type { MrDiff } from '../../src/gitlab/types.js';
import { renderReviewSummary, blobUrl } from '../../src/report/markdown/summary.js';
import { loadWorkflowRules, relevantChanges, RulesLoadError } from '../../src/workflows/index.js';
import { applySettings, parseProjectSettings } from '../../src/workflows/project-settings.js';

const diff = (path: string, extra: Partial<MrDiff> = {}): MrDiff => ({
  old_path: path, new_path: path, diff: '@@ -0,0 +1 @@\n+x\n', new_file: true, renamed_file: false, deleted_file: false, ...extra,
});

t.test('relevantChanges', async (t) => {
  const none = { paths: [] as string[] };
  t.same(relevantChanges([diff('README.md'), diff('src/app.ts'), diff('docker/notes.md')], none), [], 'no CI file');
  t.same(relevantChanges([diff('.gitlab-ci.yml'), diff('README.md')], none), ['.gitlab-ci.yml']);
  t.same(relevantChanges([diff('build/api.Dockerfile'), diff('Containerfile'), diff('Dockerfile.prod')], none), ['Containerfile', 'Dockerfile.prod', 'build/api.Dockerfile']);
  t.same(relevantChanges([diff('ci/build.yml')], none), [], 'an include is unknown before the first review');
  t.same(relevantChanges([diff('ci/build.yml')], { paths: ['ci/build.yml'] }), ['ci/build.yml'], 'remembered include');
  t.same(relevantChanges([diff('ci/pipeline.yml')], { ciPath: 'ci/pipeline.yml', paths: [] }), ['ci/pipeline.yml'], 'custom ci_config_path');
  t.same(relevantChanges([diff('.gitlab/ci-medic.yml')], none), ['.gitlab/ci-medic.yml'], 'settings change');
  t.same(relevantChanges([diff('new.txt', { old_path: 'Dockerfile', renamed_file: true })], none), ['Dockerfile'], 'renamed away');
});

const finding = (ruleId: string, severity: Finding['severity'], line = 3): Finding => ({
  ruleId, severity, title: `Title of ${ruleId}`, message: `Message with \`code\` and @all | pipe`, location: { path: '.gitlab-ci.yml', line },
});

t.test('project settings', async (t) => {
  const { settings, problems } = parseProjectSettings('disable: [a]\nseverity:\n  b: info\n  c: loud\n');
  t.same(settings, { disabled: ['a'], severity: { b: 'info' } });
  t.same(problems, ['severity.c must be one of error, warning, info']);
  t.same(parseProjectSettings(undefined).settings, { disabled: [], severity: {} });
  t.match(parseProjectSettings('disable: [').problems[0], /not valid YAML/);
  t.same(parseProjectSettings('- a\n').problems, ['.gitlab/ci-medic.yml must be a mapping']);
  const out = applySettings([finding('a', 'error'), finding('b', 'error'), finding('c', 'warning')], settings);
  t.same(out.map((f) => [f.ruleId, f.severity]), [['b', 'info'], ['c', 'warning']]);
});

t.test('review summary', async (t) => {
  const sha = 'a'.repeat(40);
  const empty = renderReviewSummary({ projectUrl: 'https://gitlab.example.com/acme/app', headSha: sha, findings: [] });
  t.match(empty, '## ci-medic review');
  t.match(empty, `Reviewed commit [\`aaaaaaaa\`](https://gitlab.example.com/acme/app/-/commit/${sha})`);
  t.match(empty, 'found no problems');
  t.notMatch(empty, '| Severity');

  const md = renderReviewSummary({ projectUrl: 'https://gitlab.example.com/acme/app', headSha: sha, findings: [finding('x', 'error', 7), finding('y', 'warning'), finding('z', 'warning')], omitted: 2 });
  t.match(md, 'Found 3 problems: 🔴 1 error, 🟠 2 warnings.');
  t.match(md, `[\`.gitlab-ci.yml:7\`](https://gitlab.example.com/acme/app/-/blob/${sha}/.gitlab-ci.yml#L7)`);
  t.match(md, 'Message with `code` and @\u200Dall \\| pipe', 'mentions neutralised, pipes escaped, code kept');
  t.match(md, '2 more findings not shown');
  t.equal(md.split('\n').filter((l) => l.startsWith('- ')).length, 3, 'one list item per finding');

  t.equal(blobUrl('javascript:alert(1)', sha, 'a'), undefined, 'only http(s) links');
  t.equal(blobUrl('https://x.example/p', 'not-a-sha', 'a'), undefined);
  t.equal(blobUrl('https://x.example/p', sha, 'dir/my file', 2), `https://x.example/p/-/blob/${sha}/dir/my%20file#L2`);
  const noUrl = renderReviewSummary({ headSha: sha, findings: [finding('x', 'info')] });
  t.match(noUrl, '`aaaaaaaa`');
  t.notMatch(noUrl, '](', 'no links without a project URL');
});

t.test('rules load at start; a malformed RULES_DIR file is named with its reason', async (t) => {
  t.ok(loadWorkflowRules({}).some((r) => r.id === 'registry-login-missing'));
  const dir = mkdtempSync(join(tmpdir(), 'cim-rules-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'broken-rule.yml'), 'id: other-id\ntitle: x\n');
  let err: unknown;
  try {
    loadWorkflowRules({ rulesDir: dir });
  } catch (e) {
    err = e;
  }
  t.ok(err instanceof RulesLoadError);
  t.match((err as Error).message, join(dir, 'broken-rule.yml'));
});
