// Sends a webhook the way GitLab's WebHookService does (headers per GITLAB.md §1.1).
import { randomUUID } from 'node:crypto';

export interface DeliverOptions {
  token?: string;
  /** Kept identical across retries/resends of one delivery. */
  idempotencyKey?: string;
  eventUuid?: string;
  webhookUuid?: string;
  instance?: string;
  /** Send these raw bytes instead of JSON.stringify(payload) (invalid JSON tests). */
  rawBody?: string;
}

export type WebhookEvent = 'Merge Request Hook' | 'Pipeline Hook' | 'Job Hook' | 'Note Hook' | 'Push Hook' | 'System Hook' | (string & {});

export async function deliverWebhook(
  url: string,
  event: WebhookEvent,
  payload: unknown,
  opts: DeliverOptions = {},
): Promise<{ status: number; body: string; headers: Headers }> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'GitLab/18.2.0',
    'x-gitlab-event': event,
    'idempotency-key': opts.idempotencyKey ?? randomUUID(),
    'x-gitlab-event-uuid': opts.eventUuid ?? randomUUID(),
    'x-gitlab-webhook-uuid': opts.webhookUuid ?? randomUUID(),
    'x-gitlab-instance': opts.instance ?? 'https://gitlab.example.com',
  };
  if (opts.token !== undefined) headers['x-gitlab-token'] = opts.token;
  const res = await fetch(url, { method: 'POST', headers, body: opts.rawBody ?? JSON.stringify(payload) });
  return { status: res.status, body: await res.text(), headers: res.headers };
}
