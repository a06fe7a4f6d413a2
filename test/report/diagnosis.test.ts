import t from 'tap';
import { diagnoseJob } from '../../src/analysis/diagnose/index.js';
import { renderDiagnosis, NOTE_LIMIT } from '../../src/report/markdown/diagnosis.js';
import { builtinRules, cmd, failedJob, fixtureStream, scanText } from '../log/helpers.js';
import { scanLog } from '../../src/analysis/log/scan.js';
import { checkBody } from '../fake-gitlab/markdown-check.js';

const JOB_URL = 'https://gitlab.example.com/acme/app/-/jobs/101';

t.test('one comment for a multi-job pipeline: matched and unmatched jobs', async (t) => {
  const rules = builtinRules();
  const a = diagnoseJob({ scan: await scanLog(fixtureStream('seed-registry/job.log'), rules), rules, jobName: 'push' });
  const b = diagnoseJob({
    scan: await scanText(failedJob(cmd('npm test') + 'FAIL src/app.test.js\n  ● adds @all numbers <b>\n')),
    rules,
    failureReason: 'script_failure',
  });
  const md = renderDiagnosis({
    pipeline: { id: 555, url: 'https://gitlab.example.com/acme/app/-/pipelines/555', sha: '4100a213805e5b40dd9356ba3d92e95790ef381e', ref: 'main' },
    jobs: [
      { name: 'push', id: 101, webUrl: JOB_URL, result: a },
      { name: 'test', id: 102, webUrl: 'https://gitlab.example.com/acme/app/-/jobs/102', failureReason: 'script_failure', result: b },
    ],
    rules,
  });
  t.ok(md.trimEnd().endsWith('<!-- ci-medic:diagnosis pipeline=555 -->'));
  t.equal(md.split('ci-medic:diagnosis').length, 2, 'one marker');
  t.match(md, '[\\#555](https://gitlab.example.com/acme/app/-/pipelines/555)');
  t.match(md, '`4100a213`');
  t.match(md, `### [\`push\`](${JOB_URL}): Image pushed to the GitLab registry without docker login`);
  t.match(md, 'Failing command: `docker push $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA`');
  t.match(md, `[L44](${JOB_URL}#L44) \`denied: requested access to the resource is denied\``);
  t.match(md, '**Cause.**');
  t.match(md, '[Documentation](https://docs.gitlab.com/');
  t.match(md, '### [`test`](https://gitlab.example.com/acme/app/-/jobs/102): no known cause');
  t.match(md, "GitLab's failure reason: `script_failure`");
  t.match(md, 'https://gitlab.example.com/acme/app/-/jobs/102#L');
  // `@all` and `<b>` from the log are quoted inside code: nothing live.
  t.same(checkBody(md), [], 'no live mention, no raw HTML');
  // Log text shows only inside code spans, where `<b>` is literal text, never HTML.
  for (const line of md.split('\n').filter((l) => l.includes('<b>'))) t.match(line, /`[^`]*<b>[^`]*`/, 'quoted in a code span');
  t.match(md, 'Lines that look like the error:');
  t.match(md, 'Last lines of the log:');
  t.equal(md.match(/<!-- ci-medic/g)?.length, 1, 'one marker only');
});

t.test('a fix renders as a diff block, or through the given renderer', async (t) => {
  const rules = builtinRules();
  const result = diagnoseJob({ scan: await scanLog(fixtureStream('seed-registry/job.log'), rules), rules });
  result.findings[0]!.fix = { description: 'Add `docker login`', edits: [{ path: '.gitlab-ci.yml', startLine: 3, endLine: 2, newLines: ['before_script:', '  - docker login'] }] };
  const job = { name: 'build', id: 1, result };
  const fileText = (): string => 'a: 1\nb: 2\nc: 3\n';
  const md = renderDiagnosis({ pipeline: { id: 1, sha: 'abc' }, jobs: [job], rules, fileText });
  t.match(md, '```diff\n--- a/.gitlab-ci.yml\n+++ b/.gitlab-ci.yml\n');
  t.match(md, '+before_script:');
  t.match(md, '**Fix.** Add `docker login`');
  const custom = renderDiagnosis({ pipeline: { id: 1, sha: 'abc' }, jobs: [job], rules, renderFix: () => 'SUGGESTED-INLINE' });
  t.match(custom, '**Fix.** SUGGESTED-INLINE');
});

t.test('stays under the note limit with a clear message', async (t) => {
  const rules = builtinRules();
  const big = 'x'.repeat(400);
  const scan = await scanText(failedJob(cmd('docker push $CI_REGISTRY_IMAGE') + `${big}\n`.repeat(5) + 'denied: requested access to the resource is denied\n'));
  const result = diagnoseJob({ scan, rules });
  const jobs = Array.from({ length: 400 }, (_, i) => ({ name: `job-${i}`, id: i, webUrl: `https://g.example/j/${i}`, result }));
  const md = renderDiagnosis({ pipeline: { id: 9, sha: 'abcdef0123' }, jobs, rules, maxChars: 50_000 });
  t.ok(md.length <= 50_000, `${md.length} chars`);
  t.match(md, /more failed jobs are not shown: the comment reached GitLab's size limit|Log excerpt left out/);
  const full = renderDiagnosis({ pipeline: { id: 9, sha: 'abcdef0123' }, jobs, rules });
  t.ok(full.length < NOTE_LIMIT);
});
