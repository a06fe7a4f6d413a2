// Group commit for ingest: enqueues that arrive together (in one turn of the event loop, while
// the previous commit was fsyncing) are written in ONE transaction, and each caller's promise
// settles only after that transaction is durable. A batch is flushed at the end of the current
// event-loop turn (setImmediate: sub-millisecond) or as soon as it holds `maxBatch` items.

export interface GroupCommitOptions {
  maxBatch: number;
}

interface Waiter<I, R> {
  item: I;
  resolve: (result: R) => void;
  reject: (err: Error) => void;
}

export class GroupCommit<I, R> {
  private batch: Waiter<I, R>[] = [];
  private scheduled = false;

  /** `write` commits all items at once and returns one result (or Error) per item, in order. */
  constructor(private readonly write: (items: I[]) => Array<R | Error>, private readonly options: GroupCommitOptions) {}

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.batch.push({ item, resolve, reject });
      if (this.batch.length >= this.options.maxBatch) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Write whatever is waiting now (also called on close). */
  flush(): void {
    this.scheduled = false;
    const batch = this.batch;
    if (batch.length === 0) return;
    this.batch = [];
    let results: Array<R | Error>;
    try {
      results = this.write(batch.map((w) => w.item));
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      for (const w of batch) w.reject(e);
      return;
    }
    batch.forEach((w, i) => {
      const r = results[i];
      if (r instanceof Error) w.reject(r);
      else w.resolve(r as R);
    });
  }
}
