// A small pool of worker threads for review analysis, with a time budget per task
// (ANALYSIS_TIMEOUT_MS). A task over budget has its worker terminated (the only way to stop
// synchronous code) and resolves as timed out; the caller reports that instead of hanging.
// Workers are kept for reuse while idle (unref'd, so they never keep the process alive).
import { Worker } from 'node:worker_threads';
import type { ReviewAnalysisInput, ReviewAnalysisOutput } from './review-analysis.js';

export interface PoolRequest {
  id: number;
  input: ReviewAnalysisInput;
  gate?: SharedArrayBuffer;
}

export type PoolReply =
  | { id: number; started: true }
  | { id: number; value: ReviewAnalysisOutput }
  | { id: number; error: string };

export type PoolResult = { ok: true; value: ReviewAnalysisOutput } | { ok: false; timedOut: true };

export const DEFAULT_ANALYSIS_TIMEOUT_MS = 20_000;

const WORKER_URL = new URL('./analysis-worker.js', import.meta.url);
// A worker inherits the process's Node flags; `--input-type` (node -e) is refused for a file entry.
const workerExecArgv = () => process.execArgv.filter((a) => !a.startsWith('--input-type'));

export class AnalysisPool {
  private readonly idle: Worker[] = [];
  private running = 0;
  private nextId = 1;
  private gate: SharedArrayBuffer | undefined;

  constructor(private readonly maxIdle = 2) {}

  /** Tasks currently in a worker. */
  get busy(): number {
    return this.running;
  }

  /**
   * Tests only: tasks started from now on wait inside their worker until `release()`, so a test
   * can observe the service while an analysis is in progress without relying on timing.
   */
  pause(): { release(): void } {
    const gate = new SharedArrayBuffer(4);
    this.gate = gate;
    return {
      release: () => {
        if (this.gate === gate) this.gate = undefined;
        const flag = new Int32Array(gate);
        Atomics.store(flag, 0, 1);
        Atomics.notify(flag, 0);
      },
    };
  }

  /** The budget counts from when the worker takes the task (worker start-up is not the task's). */
  run(input: ReviewAnalysisInput, timeoutMs: number, signal?: AbortSignal): Promise<PoolResult> {
    signal?.throwIfAborted();
    const worker = this.idle.pop() ?? new Worker(WORKER_URL, { execArgv: workerExecArgv() });
    worker.ref();
    this.running++;
    const id = this.nextId++;
    return new Promise<PoolResult>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let done = false;
      const finish = (reuse: boolean) => {
        done = true;
        if (timer) clearTimeout(timer);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        signal?.removeEventListener('abort', onAbort);
        this.running--;
        if (reuse && this.idle.length < this.maxIdle) {
          worker.unref();
          this.idle.push(worker);
        } else {
          void worker.terminate();
        }
      };
      const onMessage = (m: PoolReply) => {
        if (done || m.id !== id) return;
        if ('started' in m) {
          timer = setTimeout(() => {
            finish(false);
            resolve({ ok: false, timedOut: true });
          }, timeoutMs);
          return;
        }
        finish(true);
        if ('error' in m) reject(new Error(`analysis failed: ${m.error}`));
        else resolve({ ok: true, value: m.value });
      };
      const onError = (err: Error) => {
        if (done) return;
        finish(false);
        reject(err);
      };
      const onExit = (code: number) => {
        if (done) return;
        finish(false);
        reject(new Error(`analysis worker exited with code ${code}`));
      };
      const onAbort = () => {
        if (done) return;
        finish(false);
        reject(signal?.reason ?? new Error('aborted'));
      };
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      signal?.addEventListener('abort', onAbort, { once: true });
      const req: PoolRequest = { id, input, ...(this.gate ? { gate: this.gate } : {}) };
      try {
        worker.postMessage(req);
      } catch (err) {
        // Input that cannot be cloned: a bug, not a reason to lose the worker.
        finish(true);
        reject(err);
      }
    });
  }
}

/** The process's pool: every review shares it. */
export const analysisPool = new AnalysisPool();
