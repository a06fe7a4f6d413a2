// End-to-end helpers: the harness per test, webhook delivery with the right token, reading what
// the bot posted, and applying a posted suggestion to a file the way GitLab does.
import type { Test } from 'tap';
import { deliverWebhook, type DeliverOptions, type FakeDiscussion, type FakeNote } from '../fake-gitlab/index.js';
import { BOT_ID, startHarness, WEBHOOK_SECRET, type Harness, type HarnessOptions } from '../demo/world.js';

export async function harness(t: Test, opts: HarnessOptions = {}): Promise<Harness & { deliver: Deliver }> {
  const h = await startHarness(opts);
  t.teardown(() => h.close());
  // Every body that reached the fake GitLab, rendered as GitLab would: nothing live outside code.
  t.teardown(() => {
    if (h.fake.bodies.violations.length > 0) {
      throw new Error(`posted bodies with a live mention, raw HTML or an image: ${JSON.stringify(h.fake.bodies.violations)}`);
    }
  });
  const deliver: Deliver = async (event, payload, o = {}) => {
    const res = await deliverWebhook(h.hookUrl, event, payload, { token: WEBHOOK_SECRET, ...o });
    return { status: res.status, body: res.body };
  };
  return { ...h, deliver };
}

export type Deliver = (event: string, payload: unknown, opts?: DeliverOptions) => Promise<{ status: number; body: string }>;

export function botNotes(h: Harness, project: number, iid: number): FakeNote[] {
  return h.fake.notes(project, iid).filter((n) => n.author.id === BOT_ID);
}

/** The bot's threads anchored on a diff line. */
export function diffThreads(h: Harness, project: number, iid: number): FakeDiscussion[] {
  return h.fake.discussions(project, iid).filter((d) => d.notes[0]?.author.id === BOT_ID && d.notes[0].type === 'DiffNote');
}

/** The bot's plain MR notes (summary, diagnoses). */
export function plainNotes(h: Harness, project: number, iid: number): FakeNote[] {
  return botNotes(h, project, iid).filter((n) => n.type === null);
}

/** Writes made to the fake (anything but GET). */
export function writes(h: Harness) {
  return h.fake.requests.filter((r) => r.method !== 'GET');
}

/**
 * Applies a ```suggestion:-N+M``` block of a thread anchored on `line` to `text`, as GitLab's
 * "Apply suggestion" does: lines line-N..line+M are replaced by the block's content.
 */
export function applySuggestion(text: string, line: number, body: string): string {
  const m = /(`{3,})suggestion:-(\d+)\+(\d+)\n([\s\S]*?)\n?\1/.exec(body);
  if (!m) throw new Error(`no suggestion block in ${body}`);
  const above = Number(m[2]);
  const below = Number(m[3]);
  const content = m[4] === '' ? [] : m[4]!.split('\n');
  const lines = text.split('\n');
  const trailing = lines[lines.length - 1] === '';
  if (trailing) lines.pop();
  lines.splice(line - 1 - above, above + below + 1, ...content);
  return lines.join('\n') + (trailing ? '\n' : '');
}

export const accepted = (res: { status: number }) => res.status === 202;
