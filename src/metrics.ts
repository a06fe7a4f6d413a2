// Prometheus metrics, one registry per app (so tests can run several apps in one process).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { TaskQueue } from './queue/types.js';
import { TASK_STATES } from './queue/types.js';

export interface Metrics {
  registry: Registry;
  /** outcome: queued | replaced | duplicate | ignored | invalid | unauthorized | error */
  webhooks: Counter<'event' | 'outcome'>;
  taskDuration: Histogram<'kind' | 'outcome'>;
  deadLetters: Counter<'kind'>;
}

export function createMetrics(queue: TaskQueue, options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'ci_medic_' });
  const webhooks = new Counter({
    name: 'ci_medic_webhooks_received_total',
    help: 'Webhook deliveries received, by X-Gitlab-Event and what was done with them',
    labelNames: ['event', 'outcome'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'ci_medic_tasks',
    help: 'Task queue entries by state (dead = dead letters kept for inspection)',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      try {
        const stats = await queue.stats();
        for (const state of TASK_STATES) this.set({ state }, stats[state]);
      } catch {
        // An unreachable store shows as missing samples; /readyz reports it.
      }
    },
  });
  const taskDuration = new Histogram({
    name: 'ci_medic_task_duration_seconds',
    help: 'Duration of task attempts by kind and outcome (done, retry, dead)',
    labelNames: ['kind', 'outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [registry],
  });
  const deadLetters = new Counter({
    name: 'ci_medic_dead_letters_total',
    help: 'Tasks that gave up (max attempts reached, or a non-retryable error)',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  queue.observe((event) => {
    taskDuration.observe({ kind: event.kind, outcome: event.outcome }, event.durationMs / 1000);
    if (event.outcome === 'dead') deadLetters.inc({ kind: event.kind });
  });
  return { registry, webhooks, taskDuration, deadLetters };
}
