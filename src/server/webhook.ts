// POST /webhooks/gitlab: authenticate, bound, parse, classify, store, answer 202 — nothing slow
// and no GitLab call happens here (GitLab waits 10 s, then counts a failure). Ignored events get
// 202 too: GitLab counts every 4xx/5xx towards disabling the hook.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { classifyEvent, eventProject } from '../events/classify.js';
import { isProjectAllowed } from '../events/allowlist.js';
import type { Metrics } from '../metrics.js';
import type { TaskQueue } from '../queue/types.js';
import { httpError } from './errors.js';
import { secretMatches, signatureProblem } from './verify.js';

export interface WebhookOptions {
  config: Pick<Config, 'webhookSecret' | 'webhookSigningSecret' | 'allowedProjects' | 'limits'>;
  queue: TaskQueue;
  metrics: Metrics;
  botUserId?: () => number | undefined;
}

export const WEBHOOK_PATH = '/webhooks/gitlab';

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Bounded label value for metrics (header values are attacker-chosen). */
function eventLabel(event: string | undefined): string {
  return event && /^[A-Za-z ]{1,40}$/.test(event) ? event : 'other';
}

export async function webhookPlugin(app: FastifyInstance, options: WebhookOptions): Promise<void> {
  const { config, queue, metrics } = options;
  const count = (request: FastifyRequest, outcome: string): void => {
    metrics.webhooks.inc({ event: eventLabel(header(request, 'x-gitlab-event')), outcome });
  };

  // Keep the raw bytes: the HMAC signature is over them, and JSON errors are ours to word.
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: config.limits.maxBodyBytes }, (_req, body, done) => {
    done(null, body);
  });

  app.post(WEBHOOK_PATH, {
    bodyLimit: config.limits.maxBodyBytes,
    // Before the body is read: a caller without the token gets nothing stored and nothing parsed.
    onRequest: async (request) => {
      if (!secretMatches(header(request, 'x-gitlab-token'), config.webhookSecret)) {
        count(request, 'unauthorized');
        throw httpError('CIM_ERR_BAD_TOKEN', 'X-Gitlab-Token is missing or does not match the configured secret');
      }
    },
  }, async (request: FastifyRequest, reply: FastifyReply) => {
    // fastify parses text/plain itself; GitLab only ever sends JSON.
    if (!Buffer.isBuffer(request.body) && request.body !== undefined && request.body !== null) {
      count(request, 'invalid');
      throw httpError('CIM_ERR_UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
    }
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    if (config.webhookSigningSecret) {
      const problem = signatureProblem(config.webhookSigningSecret, {
        id: header(request, 'webhook-id'), timestamp: header(request, 'webhook-timestamp'), signature: header(request, 'webhook-signature'),
      }, raw, Math.floor(Date.now() / 1000));
      if (problem) {
        count(request, 'unauthorized');
        throw httpError('CIM_ERR_BAD_SIGNATURE', problem);
      }
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch (err) {
      count(request, 'invalid');
      throw httpError('CIM_ERR_INVALID_JSON', `body is not valid JSON: ${(err as Error).message.slice(0, 200)}`);
    }
    const event = header(request, 'x-gitlab-event');
    if (!isProjectAllowed(config.allowedProjects, eventProject(body))) {
      count(request, 'ignored');
      return reply.code(202).send({ status: 'ignored', reason: 'project is not in ALLOWED_PROJECTS' });
    }
    const result = classifyEvent(event, body, { botUserId: options.botUserId?.() });
    if (result.type === 'invalid') {
      count(request, 'invalid');
      throw httpError('CIM_ERR_INVALID_PAYLOAD', result.reason);
    }
    if (result.type === 'ignored') {
      count(request, 'ignored');
      request.log.debug({ event, reason: result.reason }, 'webhook ignored');
      return reply.code(202).send({ status: 'ignored', reason: result.reason });
    }
    // Idempotency-Key survives GitLab's retries and resends; without it (older GitLab), the same
    // bytes count as the same delivery.
    const deliveryId = header(request, 'idempotency-key') ?? `sha256:${createHash('sha256').update(raw).digest('hex')}`;
    let enqueued;
    try {
      enqueued = await queue.enqueue(result.task, { deliveryId });
    } catch (err) {
      count(request, 'error');
      request.log.error({ err, key: result.task.key }, 'could not store a task');
      throw httpError('CIM_ERR_QUEUE_UNAVAILABLE', 'the task could not be stored; retry the delivery');
    }
    count(request, enqueued.status);
    request.log.info({ key: enqueued.key, status: enqueued.status, deliveryId }, 'webhook accepted');
    return reply.code(202).send({ status: enqueued.status, task: enqueued.key });
  });
}
