/**
 * Runs left `running` (issue #15 §1.7): an analysis that met a workspace locked by another process used to
 * leave its run `running` forever. Now the failure is recorded as soon as the lock frees (after the job
 * worker's next job), and on open, runs of processes that no longer exist are marked failed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobProgress } from '../../../shared/api';
import { openWorkspace } from '../../../electron/engine/db/workspace';
import { EngineHost } from '../../../electron/engine/host';
import { registerOwnerFunctions } from '../../../electron/engine/security/stale-runs';
import { tempDir } from '../../support/temp';
import { writeCustomers, writeTransactions } from '../../support/workspace';

const dir = tempDir();

const status = (path: string, runId: number) => {
  const db = new Database(path, { readonly: true });
  registerOwnerFunctions(db);
  try {
    return db.prepare('SELECT status, metrics_json FROM analysis_runs WHERE run_id = ?').get(runId) as { status: string; metrics_json: string | null };
  } finally {
    db.close();
  }
};

describe('an analysis that meets a busy workspace', () => {
  let host: EngineHost;
  const path = join(dir, 'busy.bpw');

  beforeAll(async () => {
    host = new EngineHost({ log: () => {} });
    await host.call('workspace.create', { path });
    await host.runJob('import.run', { file: writeCustomers(join(dir, 'customers.csv'), 300), entity: 'customers', policy: 'reject' });
    await host.runJob('import.run', { file: await writeTransactions(join(dir, 'transactions.csv'), 3_000, 300), entity: 'transactions', policy: 'reject' });
  });
  afterAll(async () => {
    await host.close();
  });

  it('records its failure once the lock is free, instead of staying running', async () => {
    // Another process takes the write lock while the analysis computes, before it writes.
    const other = new Database(path);
    registerOwnerFunctions(other);
    let locked = false;
    const stop = host.onEvent((event, payload) => {
      if (event === 'job.progress' && !locked && (payload as JobProgress).channel === 'analysis.run') {
        other.exec('BEGIN IMMEDIATE');
        locked = true;
      }
    });
    await expect(host.runJob('analysis.run', {})).rejects.toMatchObject({ code: 'busy' });
    stop();
    expect(locked).toBe(true);
    const runId = (other.prepare("SELECT max(run_id) AS id FROM analysis_runs WHERE kind = 'customer_analysis'").get() as { id: number }).id;
    expect(status(path, runId).status).toBe("running");
    other.exec('COMMIT');
    other.close();
    // The next job of the same worker records it.
    await host.runJob('quality.run', {});
    const after = status(path, runId);
    expect(after.status).toBe('failed');
    expect(JSON.parse(after.metrics_json!).error).toContain('请重新运行');
    const runs = await host.call('analysis.runs', {});
    expect(runs.some((r) => r.status === 'running')).toBe(false);
  });
});

describe('opening a workspace', () => {
  it('fails the runs of processes that ended, and leaves live ones alone', () => {
    const path = join(dir, 'stale.bpw');
    openWorkspace(path, { create: true }).close();
    const ended = spawnSync(process.execPath, ['-e', '0']).pid!;
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      const raw = new Database(path);
      registerOwnerFunctions(raw);
      const insert = raw.prepare("INSERT INTO analysis_runs (kind, status, started_at, owner_host, owner_pid, owner_token) VALUES ('customer_analysis', 'running', ?, ?, ?, 't')");
      const now = new Date().toISOString();
      const dead = Number(insert.run(now, hostname(), ended).lastInsertRowid);
      const live = Number(insert.run(now, hostname(), sleeper.pid!).lastInsertRowid);
      const elsewhere = Number(insert.run(now, 'another-machine', ended).lastInsertRowid);
      // Runs written before owners were recorded (a token without an owner keeps the trigger out of it).
      const unstamped = raw.prepare("INSERT INTO analysis_runs (kind, status, started_at, owner_token) VALUES ('customer_analysis', 'running', ?, '')");
      const unstampedOld = Number(unstamped.run('2020-01-01T00:00:00.000Z').lastInsertRowid);
      const unstampedNew = Number(unstamped.run(now).lastInsertRowid);
      raw.close();

      openWorkspace(path).close();
      expect(status(path, dead).status).toBe('failed');
      expect(JSON.parse(status(path, dead).metrics_json!).error).toContain('意外结束');
      expect(status(path, unstampedOld).status).toBe('failed');
      expect(status(path, live).status).toBe('running');
      expect(status(path, elsewhere).status).toBe('running');
      expect(status(path, unstampedNew).status).toBe('running');
    } finally {
      sleeper.kill();
    }
  });

  it('stamps the runs a connection starts with its owner', () => {
    const db = openWorkspace(join(dir, 'stamp.bpw'), { create: true });
    const id = Number(db.prepare("INSERT INTO analysis_runs (kind, status, started_at) VALUES ('k', 'running', ?)").run(new Date().toISOString()).lastInsertRowid);
    expect(db.prepare('SELECT owner_host, owner_pid, owner_token IS NOT NULL AS token FROM analysis_runs WHERE run_id = ?').get(id)).toEqual({ owner_host: hostname(), owner_pid: process.pid, token: 1 });
    db.close();
  });
});
