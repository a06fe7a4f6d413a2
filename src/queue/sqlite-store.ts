// The SQLite tables behind the default queue engine, and the transactions that keep its
// invariants: at most one waiting (pending/failed) and one running entry per task key.
import Database from 'better-sqlite3';
import type { Task } from '../events/types.js';
import { mergeTasks } from '../events/merge.js';
import type { EnqueueResult, QueueStats, TaskFilter, TaskRecord, TaskState } from './types.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS tasks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT NOT NULL,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  next_run_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS tasks_one_waiting ON tasks(key) WHERE state IN ('pending', 'failed');
CREATE UNIQUE INDEX IF NOT EXISTS tasks_one_running ON tasks(key) WHERE state = 'running';
CREATE INDEX IF NOT EXISTS tasks_due ON tasks(state, next_run_at);
CREATE INDEX IF NOT EXISTS tasks_history ON tasks(state, updated_at);
CREATE TABLE IF NOT EXISTS deliveries (id TEXT PRIMARY KEY, key TEXT NOT NULL, received_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS deliveries_age ON deliveries(received_at);
CREATE TABLE IF NOT EXISTS results (
  key TEXT NOT NULL, ref TEXT NOT NULL, outcome TEXT NOT NULL, recorded_at INTEGER NOT NULL,
  PRIMARY KEY (key, ref)
);
CREATE INDEX IF NOT EXISTS results_age ON results(recorded_at);
CREATE TABLE IF NOT EXISTS leases (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS memory (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS task_counts (state TEXT PRIMARY KEY, n INTEGER NOT NULL);
`;

/** Entries per state, kept by triggers so stats() never counts the history. */
const COUNT_TRIGGERS = `
CREATE TRIGGER IF NOT EXISTS task_counts_insert AFTER INSERT ON tasks BEGIN
  INSERT INTO task_counts (state, n) VALUES (NEW.state, 1) ON CONFLICT (state) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS task_counts_delete AFTER DELETE ON tasks BEGIN
  UPDATE task_counts SET n = n - 1 WHERE state = OLD.state;
END;
CREATE TRIGGER IF NOT EXISTS task_counts_update AFTER UPDATE OF state ON tasks WHEN OLD.state <> NEW.state BEGIN
  UPDATE task_counts SET n = n - 1 WHERE state = OLD.state;
  INSERT INTO task_counts (state, n) VALUES (NEW.state, 1) ON CONFLICT (state) DO UPDATE SET n = n + 1;
END;
`;

/** Columns added after the first release: added in place when an older file is opened. */
const ADDED_COLUMNS: Array<[string, string]> = [
  ['failing_since', 'INTEGER'],
  ['crashes', 'INTEGER NOT NULL DEFAULT 0'],
];

interface Row {
  id: number;
  key: string;
  kind: string;
  payload: string;
  state: TaskState;
  attempts: number;
  last_error: string | null;
  next_run_at: number;
  created_at: number;
  updated_at: number;
  failing_since: number | null;
  crashes: number;
}

export interface ClaimedRow {
  id: number;
  task: Task;
  attempts: number;
  /** Epoch ms of the first failure of the current run of failures, if failing. */
  failingSince?: number;
}

export interface EnqueueItem {
  task: Task;
  deliveryId?: string;
  /** The task as stored (JSON), serialised once by the caller. */
  json?: string;
}

/** How a running entry goes back to wait. */
export interface Requeue {
  runAt: number;
  state: 'pending' | 'failed';
  lastError: string | null;
  /** -1: the attempt did not count (shutdown). */
  attemptsDelta: number;
  /** 'failure': a handler failure (start or keep the failing clock, reset crashes); 'crash': one more crash; 'shutdown': neither. */
  cause: 'failure' | 'crash' | 'shutdown';
}

export type Synchronous = 'FULL' | 'NORMAL' | 'EXTRA';

function toRecord(row: Row): TaskRecord {
  const record: TaskRecord = {
    id: String(row.id),
    key: row.key,
    kind: row.kind as Task['kind'],
    state: row.state,
    attempts: row.attempts,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    task: JSON.parse(row.payload) as Task,
  };
  if (row.last_error !== null) record.lastError = row.last_error;
  if (row.state === 'pending' || row.state === 'failed') record.nextRunAt = row.next_run_at;
  return record;
}

const minDefined = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));

export class SqliteStore {
  readonly db: Database.Database;

  /**
   * `synchronous = FULL` (default): a 202 means the task is in the WAL and fsynced, so it
   * survives power loss. NORMAL survives a process crash but may lose the last commits on
   * power loss (SQLITE_SYNCHRONOUS).
   */
  constructor(file: string, synchronous: Synchronous = 'FULL') {
    this.db = new Database(file);
    // First: the writer thread and `ci-medic tasks` open the same file while the service uses it.
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${synchronous}`);
    this.db.transaction(() => {
      this.db.exec(SCHEMA);
      const columns = new Set((this.db.prepare('PRAGMA table_info(tasks)').all() as { name: string }[]).map((c) => c.name));
      for (const [name, type] of ADDED_COLUMNS) if (!columns.has(name)) this.db.exec(`ALTER TABLE tasks ADD COLUMN ${name} ${type}`);
      const hasTriggers = this.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'task_counts_insert'`).get();
      if (!hasTriggers) {
        // First open with counters: start them from what the table holds (once; triggers keep them).
        this.db.exec('DELETE FROM task_counts; INSERT INTO task_counts (state, n) SELECT state, COUNT(*) FROM tasks GROUP BY state;');
        this.db.exec(COUNT_TRIGGERS);
      }
    }).immediate();
  }

  close(): void {
    this.db.close();
  }

  // Statements are compiled once: preparing on every webhook was a fifth of the ingress time.
  private readonly statements = new Map<string, Database.Statement>();

  private sql(source: string): Database.Statement {
    let statement = this.statements.get(source);
    if (!statement) {
      statement = this.db.prepare(source);
      this.statements.set(source, statement);
    }
    return statement;
  }

  private waiting(key: string): Row | undefined {
    return this.sql(`SELECT * FROM tasks WHERE key = ? AND state IN ('pending', 'failed')`).get(key) as Row | undefined;
  }

  private enqueueOne(item: EnqueueItem, now: number): EnqueueResult {
    const { task, deliveryId } = item;
    if (deliveryId !== undefined) {
      const inserted = this.sql('INSERT OR IGNORE INTO deliveries (id, key, received_at) VALUES (?, ?, ?)').run(deliveryId, task.key, now);
      if (inserted.changes === 0) return { status: 'duplicate', key: task.key };
    }
    const waiting = this.waiting(task.key);
    if (waiting) {
      const merged = mergeTasks(JSON.parse(waiting.payload) as Task, task);
      this.sql('UPDATE tasks SET payload = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(merged), now, waiting.id);
      return { status: 'replaced', key: task.key };
    }
    this.sql(`INSERT INTO tasks (key, kind, payload, state, attempts, next_run_at, created_at, updated_at)
      VALUES (?, ?, ?, 'pending', 0, ?, ?, ?)`).run(task.key, task.kind, item.json ?? JSON.stringify(task), now, now, now);
    return { status: 'queued', key: task.key };
  }

  enqueue(task: Task, deliveryId: string | undefined, now: number): EnqueueResult {
    return this.db.transaction(() => this.enqueueOne({ task, deliveryId }, now)).immediate();
  }

  /**
   * Group commit: every item in one transaction (one fsync). When the batch fails as a whole,
   * each item is retried alone so one bad item cannot fail the others.
   */
  enqueueMany(items: readonly EnqueueItem[], now: number): Array<EnqueueResult | Error> {
    try {
      return this.db.transaction(() => items.map((item) => this.enqueueOne(item, now))).immediate();
    } catch {
      return items.map((item) => {
        try {
          return this.db.transaction(() => this.enqueueOne(item, now)).immediate();
        } catch (err) {
          return err instanceof Error ? err : new Error(String(err));
        }
      });
    }
  }

  /** Take the next due entry whose key is not running; marks it running and counts the attempt before it runs. */
  claim(now: number): ClaimedRow | undefined {
    return this.db.transaction((): ClaimedRow | undefined => {
      const row = this.sql(`SELECT * FROM tasks t WHERE t.state IN ('pending', 'failed') AND t.next_run_at <= ?
        AND NOT EXISTS (SELECT 1 FROM tasks r WHERE r.key = t.key AND r.state = 'running')
        ORDER BY t.next_run_at, t.id LIMIT 1`).get(now) as Row | undefined;
      if (!row) return undefined;
      this.sql(`UPDATE tasks SET state = 'running', attempts = attempts + 1, updated_at = ? WHERE id = ?`).run(now, row.id);
      const claimed: ClaimedRow = { id: row.id, task: JSON.parse(row.payload) as Task, attempts: row.attempts + 1 };
      if (row.failing_since !== null) claimed.failingSince = row.failing_since;
      return claimed;
    }).immediate();
  }

  /** Epoch ms of the earliest entry that could be claimed, if any. */
  nextDue(): number | undefined {
    const row = this.sql(`SELECT MIN(t.next_run_at) AS due FROM tasks t WHERE t.state IN ('pending', 'failed')
      AND NOT EXISTS (SELECT 1 FROM tasks r WHERE r.key = t.key AND r.state = 'running')`).get() as { due: number | null };
    return row.due ?? undefined;
  }

  markDone(id: number, now: number): void {
    this.sql(`UPDATE tasks SET state = 'done', last_error = NULL, next_run_at = ?, updated_at = ?, failing_since = NULL, crashes = 0
      WHERE id = ? AND state = 'running'`).run(now, now, id);
  }

  markDead(id: number, reason: string, now: number): void {
    this.sql(`UPDATE tasks SET state = 'dead', last_error = ?, updated_at = ? WHERE id = ? AND state = 'running'`).run(reason, now, id);
  }

  /**
   * Put a running entry back to wait. When a newer event for the key is already waiting, the two
   * merge into that entry (the newer payload wins) and the running row goes away.
   */
  requeue(id: number, how: Requeue, now: number): void {
    this.db.transaction(() => {
      const running = this.sql(`SELECT * FROM tasks WHERE id = ? AND state = 'running'`).get(id) as Row | undefined;
      if (!running) return;
      const attempts = Math.max(0, running.attempts + how.attemptsDelta);
      const failingSince = how.cause === 'failure' ? (running.failing_since ?? now) : running.failing_since;
      const crashes = how.cause === 'crash' ? running.crashes + 1 : how.cause === 'failure' ? 0 : running.crashes;
      const waiting = this.waiting(running.key);
      if (waiting) {
        const merged = mergeTasks(JSON.parse(running.payload) as Task, JSON.parse(waiting.payload) as Task);
        this.sql('DELETE FROM tasks WHERE id = ?').run(id);
        this.sql(`UPDATE tasks SET payload = ?, state = ?, attempts = ?, last_error = ?, next_run_at = MAX(next_run_at, ?), updated_at = ?,
          failing_since = ?, crashes = ? WHERE id = ?`)
          .run(JSON.stringify(merged), how.state === 'failed' ? 'failed' : waiting.state, Math.max(attempts, waiting.attempts), how.lastError ?? waiting.last_error,
            how.runAt, now, minDefined(failingSince, waiting.failing_since), Math.max(crashes, waiting.crashes), waiting.id);
      } else {
        this.sql(`UPDATE tasks SET state = ?, attempts = ?, last_error = ?, next_run_at = ?, updated_at = ?, failing_since = ?, crashes = ? WHERE id = ?`)
          .run(how.state, attempts, how.lastError, how.runAt, now, failingSince, crashes, id);
      }
    }).immediate();
  }

  /**
   * Entries left running by a dead process: each counts one more crash; at `crashLimit` crashes
   * in a row it is dead-lettered with `reason(crashes)`, otherwise it waits to run again.
   */
  recoverInterrupted(now: number, crashLimit: number, reason: (crashes: number) => string): { requeued: number; dead: Array<{ key: string; kind: Task['kind']; attempts: number; reason: string }> } {
    return this.db.transaction(() => {
      const rows = this.sql(`SELECT * FROM tasks WHERE state = 'running'`).all() as Row[];
      const dead: Array<{ key: string; kind: Task['kind']; attempts: number; reason: string }> = [];
      let requeued = 0;
      for (const row of rows) {
        if (row.crashes + 1 >= crashLimit) {
          const why = reason(row.crashes + 1);
          this.sql(`UPDATE tasks SET crashes = crashes + 1 WHERE id = ?`).run(row.id);
          this.markDead(row.id, why, now);
          dead.push({ key: row.key, kind: row.kind as Task['kind'], attempts: row.attempts, reason: why });
        } else {
          this.requeue(row.id, { runAt: now, state: 'pending', lastError: row.last_error, attemptsDelta: 0, cause: 'crash' }, now);
          requeued++;
        }
      }
      return { requeued, dead };
    }).immediate();
  }

  /** Dead letters of `key` (or of every key) wait to run again, merged into one entry per key. */
  retryDead(key: string | undefined, now: number): number {
    return this.db.transaction(() => {
      const rows = (key === undefined
        ? this.sql(`SELECT * FROM tasks WHERE state = 'dead' ORDER BY id`).all()
        : this.sql(`SELECT * FROM tasks WHERE state = 'dead' AND key = ? ORDER BY id`).all(key)) as Row[];
      const byKey = new Map<string, Row[]>();
      for (const row of rows) byKey.set(row.key, [...(byKey.get(row.key) ?? []), row]);
      for (const [k, dead] of byKey) {
        let task = dead.map((r) => JSON.parse(r.payload) as Task).reduce((a, b) => mergeTasks(a, b));
        for (const r of dead) this.sql('DELETE FROM tasks WHERE id = ?').run(r.id);
        const waiting = this.waiting(k);
        if (waiting) {
          task = mergeTasks(task, JSON.parse(waiting.payload) as Task);
          this.sql(`UPDATE tasks SET payload = ?, next_run_at = MIN(next_run_at, ?), updated_at = ? WHERE id = ?`).run(JSON.stringify(task), now, now, waiting.id);
        } else {
          this.sql(`INSERT INTO tasks (key, kind, payload, state, attempts, next_run_at, created_at, updated_at)
            VALUES (?, ?, ?, 'pending', 0, ?, ?, ?)`).run(k, task.kind, JSON.stringify(task), now, now, now);
        }
      }
      return byKey.size;
    }).immediate();
  }

  /** Bounded history: done and dead entries, results and delivery ids older than `before`, and beyond `maxEntries` each. */
  prune(before: number, maxEntries: number): void {
    this.db.transaction(() => {
      for (const state of ['done', 'dead']) {
        this.sql(`DELETE FROM tasks WHERE state = ? AND updated_at < ?`).run(state, before);
        const cutoff = this.sql(`SELECT updated_at, id FROM tasks WHERE state = ? ORDER BY updated_at DESC, id DESC LIMIT 1 OFFSET ?`)
          .get(state, maxEntries) as { updated_at: number; id: number } | undefined;
        if (cutoff) {
          this.sql(`DELETE FROM tasks WHERE state = ? AND (updated_at < ? OR (updated_at = ? AND id <= ?))`).run(state, cutoff.updated_at, cutoff.updated_at, cutoff.id);
        }
      }
      this.sql('DELETE FROM results WHERE recorded_at < ?').run(before);
      const resultCut = this.sql('SELECT recorded_at FROM results ORDER BY recorded_at DESC LIMIT 1 OFFSET ?').get(maxEntries) as { recorded_at: number } | undefined;
      if (resultCut) this.sql('DELETE FROM results WHERE recorded_at <= ?').run(resultCut.recorded_at);
      // Delivery ids only by age: GitLab may resend a delivery within that window.
      this.sql('DELETE FROM deliveries WHERE received_at < ?').run(before);
      this.sql('DELETE FROM leases WHERE expires_at < ?').run(Date.now());
    }).immediate();
  }

  list(filter: TaskFilter = {}): TaskRecord[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.state) { where.push('state = ?'); args.push(filter.state); }
    if (filter.key) { where.push('key = ?'); args.push(filter.key); }
    const sql = `SELECT * FROM tasks ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY updated_at DESC, id DESC LIMIT ?`;
    return (this.sql(sql).all(...args, filter.limit ?? 100) as Row[]).map(toRecord);
  }

  stats(): QueueStats {
    const stats: QueueStats = { pending: 0, running: 0, failed: 0, dead: 0, done: 0 };
    for (const row of this.sql('SELECT state, n FROM task_counts').all() as { state: TaskState; n: number }[]) {
      if (row.state in stats) stats[row.state] = row.n;
    }
    return stats;
  }

  recordResult(key: string, ref: string, outcome: string, now: number): void {
    this.sql(`INSERT INTO results (key, ref, outcome, recorded_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (key, ref) DO UPDATE SET outcome = excluded.outcome, recorded_at = excluded.recorded_at`).run(key, ref, outcome, now);
  }

  getResult(key: string, ref: string): string | undefined {
    const row = this.sql('SELECT outcome FROM results WHERE key = ? AND ref = ?').get(key, ref) as { outcome: string } | undefined;
    return row?.outcome;
  }

  // Leases: a row per name; taken when absent or expired, released only by its owner.
  tryAcquire(name: string, owner: string, ttlMs: number, now: number): boolean {
    return this.sql(`INSERT INTO leases (name, owner, expires_at) VALUES (?, ?, ?)
      ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at WHERE leases.expires_at <= ? OR leases.owner = excluded.owner`)
      .run(name, owner, now + ttlMs, now).changes === 1;
  }

  renew(name: string, owner: string, ttlMs: number, now: number): boolean {
    return this.sql('UPDATE leases SET expires_at = ? WHERE name = ? AND owner = ? AND expires_at > ?').run(now + ttlMs, name, owner, now).changes === 1;
  }

  release(name: string, owner: string): void {
    this.sql('DELETE FROM leases WHERE name = ? AND owner = ?').run(name, owner);
  }

  /** Leases of a previous run of this (single-instance) engine cannot be held any more. */
  clearLeases(): void {
    this.sql('DELETE FROM leases').run();
  }

  getMemory(key: string): string | undefined {
    return (this.sql('SELECT value FROM memory WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  updateMemory(key: string, change: (current: string | undefined) => string | undefined, now: number): string | undefined {
    return this.db.transaction(() => {
      const current = this.getMemory(key);
      const next = change(current);
      if (next === undefined) return current;
      this.sql(`INSERT INTO memory (key, value, updated_at) VALUES (?, ?, ?)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`).run(key, next, now);
      return next;
    }).immediate();
  }
}
