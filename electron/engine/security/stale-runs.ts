/**
 * Runs left `running` (issue #15 §1.7). An analysis records its run when it starts and its outcome when it
 * ends; a process killed in between, or an outcome that could not be written because another process held
 * the workspace's write lock, left the run `running` forever, and the screens waited for it.
 *
 * Every run is stamped with its owner (machine, process id and a token of the connection) by a trigger of
 * migration 009, through SQL functions every engine connection registers, so that every capability's runs
 * are stamped without knowing it. (A TEMP trigger would not do: a connection that changes temp_store, as
 * the importer does, loses its TEMP objects.)
 * Then:
 * - after each job, the job worker fails the runs of its own connection still `running`: jobs run one at a
 *   time, so none of them is still working (the outcome that met a busy workspace is written now the lock
 *   is free);
 * - when a workspace is opened for writing, runs of a process of this machine that no longer exists are
 *   failed, and so are unstamped runs (written before this version) older than a day.
 * Runs of another live process, or of another machine sharing the file, are left alone.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/workspace';
import { currentOperator } from './operator';

const tokens = new WeakMap<Db, string>();

const STALE_UNSTAMPED_MS = 24 * 60 * 60 * 1000;

/** Registers bpw_owner_host(), bpw_owner_pid() and bpw_owner_token() for the stamping trigger. */
export function registerOwnerFunctions(db: Db): void {
  const token = randomUUID();
  tokens.set(db, token);
  db.function('bpw_owner_host', () => currentOperator().machine);
  db.function('bpw_owner_pid', () => process.pid);
  db.function('bpw_owner_token', () => token);
}

function fail(db: Db, runIds: number[], message: string): number {
  if (runIds.length === 0) return 0;
  const update = db.prepare("UPDATE analysis_runs SET status = 'failed', finished_at = ?, metrics_json = ? WHERE run_id = ? AND status = 'running'");
  const now = new Date().toISOString();
  const metrics = JSON.stringify({ error: message });
  return db.transaction(() => runIds.reduce((n, id) => n + update.run(now, metrics, id).changes, 0)).immediate();
}

/** After a job: this connection's runs still `running` did not finish. Returns how many were failed. */
export function failOwnUnfinishedRuns(db: Db): number {
  const token = tokens.get(db);
  if (!token) return 0;
  const ids = (db.prepare("SELECT run_id FROM analysis_runs WHERE status = 'running' AND owner_token = ?").all(token) as { run_id: number }[]).map((r) => r.run_id);
  return fail(db, ids, '任务未能完成（工作区当时正被其他任务写入），请重新运行');
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface RunningRow {
  run_id: number;
  owner_host: string | null;
  owner_pid: number | null;
  started_at: string;
}

/** On open: runs whose process has ended. Returns how many were failed. */
export function failStaleRuns(db: Db, now = Date.now()): number {
  const rows = db.prepare("SELECT run_id, owner_host, owner_pid, started_at FROM analysis_runs WHERE status = 'running'").all() as RunningRow[];
  if (rows.length === 0) return 0;
  const machine = currentOperator().machine;
  const stale = rows.filter((r) => {
    if (r.owner_pid === null) return now - Date.parse(r.started_at) > STALE_UNSTAMPED_MS;
    return r.owner_host === machine && r.owner_pid !== process.pid && !processAlive(r.owner_pid);
  });
  return fail(db, stale.map((r) => r.run_id), '运行该任务的程序已意外结束，本次结果未保存，请重新运行');
}
