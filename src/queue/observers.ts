// Fan-out of finished attempts to listeners (metrics), plus the one log line per attempt.
import type { Logger } from 'pino';
import type { SettledEvent } from './types.js';

export class SettledObservers {
  private readonly listeners: ((event: SettledEvent) => void)[] = [];

  constructor(private readonly logger?: Logger) {}

  add(listener: (event: SettledEvent) => void): void {
    this.listeners.push(listener);
  }

  emit(event: SettledEvent): void {
    const line = { key: event.key, kind: event.kind, attempt: event.attempt, outcome: event.outcome, durationMs: Math.round(event.durationMs), error: event.error };
    if (event.outcome === 'dead') this.logger?.error(line, 'task dead-lettered');
    else if (event.outcome === 'retry') this.logger?.warn(line, 'task attempt failed, will retry');
    else this.logger?.info(line, 'task done');
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.logger?.warn({ err }, 'queue observer failed');
      }
    }
  }
}
