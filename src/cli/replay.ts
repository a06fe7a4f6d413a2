// `ci-medic replay FILE|- [--url URL] [--event NAME] [--same-key]`: deliver a saved webhook
// payload to a running service again, as GitLab would (X-Gitlab-Token from WEBHOOK_SECRET). FILE
// is the JSON body GitLab sent, or an entry of GitLab's webhook events API (request_headers +
// request_data), whose X-Gitlab-Event and Idempotency-Key are then used.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EVENT_KINDS } from '../events/classify.js';
import { parseFlags } from './args.js';
import { UsageError, type CliCommand, type CliIo } from './io.js';

export const USAGE =
  'usage: ci-medic replay FILE|- [--url URL] [--event NAME] [--same-key]   (default URL http://127.0.0.1:$PORT/webhooks/gitlab; WEBHOOK_SECRET from the environment)';

interface Delivery {
  body: unknown;
  event?: string;
  idempotencyKey?: string;
}

async function readInput(path: string, io: CliIo): Promise<string | undefined> {
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const c of io.stdin) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(resolve(io.cwd, path), 'utf8');
  } catch {
    return undefined;
  }
}

const headerOf = (headers: Record<string, unknown>, name: string): string | undefined => {
  const hit = Object.entries(headers).find(([k]) => k.toLowerCase() === name.toLowerCase());
  return typeof hit?.[1] === 'string' ? hit[1] : undefined;
};

/** The body and headers to send, from a plain payload or a logged delivery. */
export function deliveryFrom(json: unknown): Delivery {
  if (json && typeof json === 'object' && 'request_data' in json && 'request_headers' in json) {
    const logged = json as { request_data: unknown; request_headers: Record<string, unknown> };
    const d: Delivery = { body: logged.request_data };
    const event = headerOf(logged.request_headers, 'X-Gitlab-Event');
    const key = headerOf(logged.request_headers, 'Idempotency-Key');
    if (event) d.event = event;
    if (key) d.idempotencyKey = key;
    return d;
  }
  return { body: json };
}

/** The X-Gitlab-Event GitLab sends with a payload of this object_kind. */
export function eventFor(body: unknown): string | undefined {
  const kind = body && typeof body === 'object' ? (body as { object_kind?: unknown }).object_kind : undefined;
  return Object.entries(EVENT_KINDS).find(([, k]) => k === kind)?.[0];
}

export const replay: CliCommand = async (argv, io) => {
  const flags = parseFlags(argv, { values: ['--url', '--event'], booleans: ['--same-key'] }, USAGE);
  if (flags.positional.length !== 1) throw new UsageError(`give one FILE (or - for stdin)\n${USAGE}`);
  const file = flags.positional[0]!;
  const text = await readInput(file, io);
  if (text === undefined) {
    io.stderr.write(`ci-medic replay: cannot read ${file}\n`);
    return 2;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    io.stderr.write(`ci-medic replay: ${file} is not JSON\n`);
    return 2;
  }
  const delivery = deliveryFrom(json);
  const event = flags.values.get('--event') ?? delivery.event ?? eventFor(delivery.body);
  if (!event) {
    io.stderr.write(`ci-medic replay: cannot tell the event from the payload's object_kind; give --event (e.g. "Merge Request Hook")\n`);
    return 2;
  }
  const secret = io.env['WEBHOOK_SECRET'];
  if (!secret) {
    io.stderr.write('ci-medic replay: WEBHOOK_SECRET is not set (it is sent as X-Gitlab-Token)\n');
    return 1;
  }
  const url = flags.values.get('--url') ?? `http://127.0.0.1:${io.env['PORT'] || '8080'}/webhooks/gitlab`;
  // A fresh key by default: the service deduplicates on Idempotency-Key, and a replay is meant to run again.
  const key = flags.booleans.has('--same-key') && delivery.idempotencyKey ? delivery.idempotencyKey : randomUUID();
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-gitlab-event': event, 'x-gitlab-token': secret, 'idempotency-key': key },
      body: JSON.stringify(delivery.body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    io.stderr.write(`ci-medic replay: could not reach ${url}: ${(err as Error).message}\n`);
    return 1;
  }
  const answer = (await res.text()).slice(0, 2000);
  io.stdout.write(`${res.status} ${answer}\n`);
  return res.ok ? 0 : 1;
};
