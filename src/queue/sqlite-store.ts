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
CREATE TABLE IF NOT EXISTS deliveries (id TEXT PRIMARY KEY, key TEXT NOT NULL, received_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS results (
  key TEXT NOT NULL, ref TEXT NOT NULL, outcome TEXT NOT NULL, recorded_at INTEGER NOT NULL,
  PRIMARY KEY (key, ref)
);
`;

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
}

export interface ClaimedRow {
  id: number;
  task: Task;
  attempts: number;
}

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

export class SqliteStore {
  readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
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

  enqueue(task: Task, deliveryId: string | undefined, now: number): EnqueueResult {
    return this.db.transaction((): EnqueueResult => {
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
        VALUES (?, ?, ?, 'pending', 0, ?, ?, ?)`).run(task.key, task.kind, JSON.stringify(task), now, now, now);
      return { status: 'queued', key: task.key };
    }).immediate();
  }

  /** Take the next due entry whose key is not running; marks it running and counts the attempt. */
  claim(now: number): ClaimedRow | undefined {
    return this.db.transaction((): ClaimedRow | undefined => {
      const row = this.sql(`SELECT * FROM tasks t WHERE t.state IN ('pending', 'failed') AND t.next_run_at <= ?
        AND NOT EXISTS (SELECT 1 FROM tasks r WHERE r.key = t.key AND r.state = 'running')
        ORDER BY t.next_run_at, t.id LIMIT 1`).get(now) as Row | undefined;
      if (!row) return undefined;
      this.sql(`UPDATE tasks SET state = 'running', attempts = attempts + 1, updated_at = ? WHERE id = ?`).run(now, row.id);
      return { id: row.id, task: JSON.parse(row.payload) as Task, attempts: row.attempts + 1 };
    }).immediate();
  }

  /** Epoch ms of the earliest entry that could be claimed, if any. */
  nextDue(): number | undefined {
    const row = this.sql(`SELECT MIN(t.next_run_at) AS due FROM tasks t WHERE t.state IN ('pending', 'failed')
      AND NOT EXISTS (SELECT 1 FROM tasks r WHERE r.key = t.key AND r.state = 'running')`).get() as { due: number | null };
    return row.due ?? undefined;
  }

  markDone(id: number, now: number): void {
    this.sql(`UPDATE tasks SET state = 'done', last_error = NULL, next_run_at = ?, updated_at = ? WHERE id = ? AND state = 'running'`).run(now, now, id);
  }

  markDead(id: number, reason: string, now: number): void {
    this.sql(`UPDATE tasks SET state = 'dead', last_error = ?, updated_at = ? WHERE id = ? AND state = 'running'`).run(reason, now, id);
  }

  /**
   * Put a running entry back to wait. When a newer event for the key is already waiting, the two
   * merge into that entry (the newer payload wins) and the running row goes away.
   */
  requeue(id: number, runAt: number, state: 'pending' | 'failed', lastError: string | null, attemptsDelta: number, now: number): void {
    this.db.transaction(() => {
      const running = this.sql(`SELECT * FROM tasks WHERE id = ? AND state = 'running'`).get(id) as Row | undefined;
      if (!running) return;
      const attempts = Math.max(0, running.attempts + attemptsDelta);
      const waiting = this.waiting(running.key);
      if (waiting) {
        const merged = mergeTasks(JSON.parse(running.payload) as Task, JSON.parse(waiting.payload) as Task);
        this.sql('DELETE FROM tasks WHERE id = ?').run(id);
        this.sql(`UPDATE tasks SET payload = ?, state = ?, attempts = ?, last_error = ?, next_run_at = MAX(next_run_at, ?), updated_at = ? WHERE id = ?`)
          .run(JSON.stringify(merged), state === 'failed' ? 'failed' : waiting.state, Math.max(attempts, waiting.attempts), lastError ?? waiting.last_error, runAt, now, waiting.id);
      } else {
        this.sql(`UPDATE tasks SET state = ?, attempts = ?, last_error = ?, next_run_at = ?, updated_at = ? WHERE id = ?`)
          .run(state, attempts, lastError, runAt, now, id);
      }
    }).immediate();
  }

  runningIds(): number[] {
    return (this.sql(`SELECT id FROM tasks WHERE state = 'running'`).all() as { id: number }[]).map((r) => r.id);
  }

  prune(before: number): void {
    this.sql(`DELETE FROM tasks WHERE state = 'done' AND updated_at < ?`).run(before);
    this.sql('DELETE FROM deliveries WHERE received_at < ?').run(before);
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
    for (const row of this.sql('SELECT state, COUNT(*) AS n FROM tasks GROUP BY state').all() as { state: TaskState; n: number }[]) {
      stats[row.state] = row.n;
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
}
