// Posts a pipeline diagnosis: on an MR one note per pipeline, edited as more jobs fail;
// on a bare commit one commit comment (commit comments cannot be edited through the API).
import type { GitlabClient } from './client.js';
import { diagnosisMarker, hasMarker, withMarker } from './markers.js';
import { postOnce } from './post-once.js';
import { upsertNote } from './upsert-note.js';
import type { ProjectId } from './types.js';

export type DiagnosisTarget = { kind: 'mr'; iid: number } | { kind: 'commit'; sha: string };

export interface PublishDiagnosisArgs {
  client: GitlabClient;
  project: ProjectId;
  target: DiagnosisTarget;
  pipelineId: number;
  markdown: string;
}

export async function publishDiagnosis(args: PublishDiagnosisArgs): Promise<{ kind: 'note'; noteId: number } | { kind: 'commit-comment'; created: boolean }> {
  const { client, project, target, pipelineId } = args;
  const me = await client.currentUser();
  const marker = diagnosisMarker(pipelineId);
  const body = withMarker(args.markdown, marker);
  if (target.kind === 'mr') {
    const note = await upsertNote(client, project, target.iid, me.id, marker, body);
    return { kind: 'note', noteId: note.id };
  }
  const find = async () => (await client.commitComments(project, target.sha)).find((c) => c.author.id === me.id && hasMarker(c.note, marker));
  if (await find()) return { kind: 'commit-comment', created: false };
  await postOnce(find, () => client.createCommitComment(project, target.sha, body));
  return { kind: 'commit-comment', created: true };
}
