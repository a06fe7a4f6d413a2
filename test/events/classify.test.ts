import t from 'tap';
import { classifyEvent, isProjectAllowed, mergeTasks } from '../../src/events/index.js';
import type { DiagnosePipelineTask, Task } from '../../src/events/types.js';
import { payload } from '../fixtures/webhooks/load.js';

function task(event: string, body: unknown, botUserId?: number): Task {
  const result = classifyEvent(event, body, { botUserId });
  if (result.type !== 'task') throw new Error(`expected a task, got ${JSON.stringify(result)}`);
  return result.task;
}

t.test('merge request open becomes a review of the head SHA', async (t) => {
  t.match(task('Merge Request Hook', payload('merge-request-open')), {
    kind: 'review-mr', key: 'review-mr:101:3', projectId: 101, mrIid: 3, projectPath: 'acme/shop',
    headSha: '0b5e7a1c9d2f4e6a8b0c1d2e3f405162738495a6', trigger: 'open',
  });
  const reopened = payload('merge-request-open');
  reopened.object_attributes.action = 'reopen';
  t.equal(task('Merge Request Hook', reopened).trigger, 'reopen');
});

t.test('update with new commits (oldrev) is reviewed; update without is ignored', async (t) => {
  t.match(task('Merge Request Hook', payload('merge-request-update-push')), {
    key: 'review-mr:101:3', headSha: 'c4d3b2a1f0e9d8c7b6a5f4e3d2c1b0a998877665', oldrev: '0b5e7a1c9d2f4e6a8b0c1d2e3f405162738495a6',
  });
  t.same(classifyEvent('Merge Request Hook', payload('merge-request-update-title')), {
    type: 'ignored', reason: 'merge request update without new commits (no oldrev)',
  });
});

t.test('other MR actions and states are ignored with a reason', async (t) => {
  for (const action of ['close', 'merge', 'approved', 'unapproved', 'approval']) {
    const body = payload('merge-request-open');
    body.object_attributes.action = action;
    const result = classifyEvent('Merge Request Hook', body);
    t.equal(result.type, 'ignored', action);
    t.match(result, { reason: new RegExp(`action "${action}" is not reviewed`) });
  }
  const merged = payload('merge-request-open');
  merged.object_attributes.state = 'merged';
  t.match(classifyEvent('Merge Request Hook', merged), { type: 'ignored', reason: /merged, not opened/ });
});

t.test('system hooks carry MR events; their other events are ignored', async (t) => {
  t.equal(task('System Hook', payload('merge-request-open')).key, 'review-mr:101:3');
  t.match(classifyEvent('System Hook', { event_name: 'project_create', project_id: 1 }), { type: 'ignored', reason: /project_create/ });
});

t.test('failed pipeline: one diagnose task with the jobs that broke it', async (t) => {
  const diag = task('Pipeline Hook', payload('pipeline-failed')) as DiagnosePipelineTask;
  t.match(diag, { kind: 'diagnose-pipeline', key: 'diagnose-pipeline:101:777', pipelineId: 777, ref: 'ci/registry', mergeRequestIid: 3 });
  t.same(diag.failedJobs.map((j) => j.id), [9100, 9101], 'allow_failure, canceled and skipped jobs left out');
  t.same(diag.failedJobs[1], { id: 9101, name: 'image', stage: 'build', failureReason: 'script_failure' });
  t.equal(diag.mergeRequestProjectId, undefined, 'same-project MR');
  for (const status of ['running', 'success', 'canceled', 'pending']) {
    const body = payload('pipeline-failed');
    body.object_attributes.status = status;
    t.match(classifyEvent('Pipeline Hook', body), { type: 'ignored', reason: new RegExp(status) }, status);
  }
});

t.test('a failed job joins its pipeline\'s diagnosis; allowed failures and other statuses do not', async (t) => {
  const diag = task('Job Hook', payload('job-failed')) as DiagnosePipelineTask;
  t.match(diag, { key: 'diagnose-pipeline:101:777', pipelineId: 777, ref: 'refs/merge-requests/3/head', trigger: 'job' });
  t.same(diag.failedJobs, [{ id: 9105, name: 'push', stage: 'deploy', failureReason: 'script_failure' }]);
  const allowed = payload('job-failed');
  allowed.build_allow_failure = true;
  t.match(classifyEvent('Job Hook', allowed), { type: 'ignored', reason: /allowed to fail/ });
  for (const status of ['canceled', 'skipped', 'success', 'running']) {
    const body = payload('job-failed');
    body.build_status = status;
    t.equal(classifyEvent('Job Hook', body).type, 'ignored', status);
  }
});

t.test('notes: the bot\'s own are ignored as such, others are not acted on', async (t) => {
  t.same(classifyEvent('Note Hook', payload('note-by-bot'), { botUserId: 99 }), { type: 'ignored', reason: 'note written by ci-medic itself' });
  t.same(classifyEvent('Note Hook', payload('note-by-bot'), { botUserId: 100 }), { type: 'ignored', reason: 'comments are not acted on' });
});

t.test('unknown events are ignored; broken relevant payloads are invalid with a reason', async (t) => {
  t.match(classifyEvent('Push Hook', { object_kind: 'push' }), { type: 'ignored', reason: /Push Hook/ });
  t.match(classifyEvent(undefined, payload('merge-request-open')), { type: 'ignored', reason: /X-Gitlab-Event/ });
  t.match(classifyEvent('Merge Request Hook', [1, 2]), { type: 'invalid', reason: 'body must be a JSON object' });
  t.match(classifyEvent('Merge Request Hook', payload('pipeline-failed')), { type: 'invalid', reason: /does not match/ });
  const noIid = payload('merge-request-open');
  delete noIid.object_attributes.iid;
  t.same(classifyEvent('Merge Request Hook', noIid), { type: 'invalid', reason: 'object_attributes.iid must be a positive integer' });
  const badSha = payload('merge-request-open');
  badSha.object_attributes.last_commit.id = '../../etc/passwd';
  t.match(classifyEvent('Merge Request Hook', badSha), { type: 'invalid', reason: /last_commit.id must be a commit SHA/ });
  const noAttrs = payload('pipeline-failed');
  noAttrs.object_attributes = 'x';
  t.match(classifyEvent('Pipeline Hook', noAttrs), { type: 'invalid', reason: 'object_attributes must be an object' });
  const noPipeline = payload('job-failed');
  noPipeline.pipeline_id = '777';
  t.match(classifyEvent('Job Hook', noPipeline), { type: 'invalid', reason: 'pipeline_id must be a positive integer' });
});

t.test('mergeTasks: newest review wins; diagnoses union their jobs', async (t) => {
  const a = task('Merge Request Hook', payload('merge-request-open'));
  const b = task('Merge Request Hook', payload('merge-request-update-push'));
  t.equal(mergeTasks(a, b), b);
  const pipe = task('Pipeline Hook', payload('pipeline-failed')) as DiagnosePipelineTask;
  const job = task('Job Hook', payload('job-failed')) as DiagnosePipelineTask;
  const merged = mergeTasks(pipe, job) as DiagnosePipelineTask;
  t.same(merged.failedJobs.map((j) => j.id), [9100, 9101, 9105]);
  t.equal(merged.mergeRequestIid, 3, 'the job event (no MR info) keeps the pipeline\'s MR');
  t.equal((mergeTasks(job, pipe) as DiagnosePipelineTask).failedJobs.length, 3);
});

t.test('allowlist: ids, full paths and group prefixes', async (t) => {
  t.ok(isProjectAllowed([], { id: 1 }), 'empty list allows all');
  t.ok(isProjectAllowed(['101'], { id: 101, path: 'x/y' }));
  t.notOk(isProjectAllowed(['10'], { id: 101, path: 'x/y' }), 'ids match exactly');
  t.ok(isProjectAllowed(['acme/'], { id: 5, path: 'acme/team/shop' }), 'group prefix covers subgroups');
  t.notOk(isProjectAllowed(['acme/'], { id: 5, path: 'acme-evil/shop' }));
  t.ok(isProjectAllowed(['acme/shop'], { path: 'Acme/Shop' }));
  t.notOk(isProjectAllowed(['acme/shop'], { path: 'acme/shop2' }));
  t.notOk(isProjectAllowed(['acme/'], {}), 'unknown project is not allowed');
});
