// The "one note, edited in place" pattern shared by the summary and the diagnosis notes.
import type { GitlabClient } from './client.js';
import { hasMarker } from './markers.js';
import { postOnce } from './post-once.js';
import type { Note, ProjectId } from './types.js';

/** Finds the bot's note carrying `marker`; edits it only if the body changed, creates it otherwise. */
export async function upsertNote(
  client: GitlabClient,
  project: ProjectId,
  iid: number,
  botId: number,
  marker: string,
  body: string,
): Promise<Note> {
  const find = async () => (await client.mrNotes(project, iid)).find((n) => n.author.id === botId && !n.system && hasMarker(n.body, marker));
  const current = await find();
  if (current) return current.body === body ? current : client.editMrNote(project, iid, current.id, body);
  return postOnce(find, () => client.createMrNote(project, iid, body));
}
