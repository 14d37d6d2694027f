/**
 * The EngineHost with its two real worker threads: requests are validated, queries are answered while a
 * long import runs, a cancelled import leaves the workspace exactly as it was, and a process killed in
 * mid-import leaves a sound workspace with the earlier data intact.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobFinished } from '../../shared/api';
import { EngineHost } from '../../electron/engine/host';
import { tempDir } from '../support/temp';
import { writeCustomers, writeTransactions } from '../support/workspace';

const dir = tempDir();
const MILLION = 1_000_000;
let host: EngineHost;
let bigFile: string;

beforeAll(async () => {
  host = new EngineHost({ log: () => {} });
  bigFile = await writeTransactions(join(dir, 'transactions-1m.csv'), MILLION, 2_000);
  await host.call('workspace.create', { path: join(dir, 'host.bpw') });
  const customers = await host.runJob('import.run', { file: writeCustomers(join(dir, 'customers.csv'), 2_000), entity: 'customers', policy: 'reject' });
  expect(customers.rowsLoaded).toBe(2_000);
});

afterAll(async () => {
  await host.close();
});

const counts = async () => Object.fromEntries((await host.call('workspace.info', {})).tables.map((t) => [t.table, t.rows]));

function finished(jobId: string): Promise<JobFinished> {
  return new Promise((resolve) => {
    const stop = host.onEvent((event, payload) => {
      if (event === 'job.finished' && (payload as JobFinished).jobId === jobId) {
        stop();
        resolve(payload as JobFinished);
      }
    });
  });
}

function firstProgress(jobId: string): Promise<void> {
  return new Promise((resolve) => {
    const stop = host.onEvent((event, payload) => {
      if (event === 'job.progress' && (payload as { jobId: string; done: number }).jobId === jobId && (payload as { done: number }).done > 0) {
        stop();
        resolve();
      }
    });
  });
}

describe('the request contract', () => {
  it('rejects unknown channels and invalid payloads with Chinese messages', async () => {
    expect(await host.invoke('no.such.channel', {})).toMatchObject({ ok: false, error: { code: 'invalid_request', message: '未知的请求类型' } });
    const bad = await host.invoke('import.run', { file: '', entity: 'customers' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(!bad.ok && bad.error.message).toContain('请选择文件');
    const wrongEntity = await host.invoke('import.run', { file: 'x.csv', entity: 'accounts; DROP TABLE customers' });
    expect(wrongEntity.ok).toBe(false);
  });
});

describe('a long import', () => {
  it('does not block queries: a query returns while a one-million-row import is under way', async () => {
    const { jobId } = await host.call('import.run', { file: bigFile, entity: 'transactions', policy: 'reject' });
    const done = finished(jobId);
    let jobFinished = false;
    void done.then(() => {
      jobFinished = true;
    });
    await firstProgress(jobId);
    const started = performance.now();
    const during = await counts();
    const queryMs = performance.now() - started;
    // The reader sees the last committed state: none of the import's rows yet.
    expect(during.transactions).toBe(0);
    expect(during.customers).toBe(2_000);
    expect(jobFinished, `query took ${queryMs.toFixed(0)} ms and must return before the import ends`).toBe(false);
    const result = await done;
    expect(result.status).toBe('succeeded');
    expect((result.result as { rowsLoaded: number }).rowsLoaded).toBe(MILLION);
    expect((await counts()).transactions).toBe(MILLION);
  });

  it('leaves the workspace exactly as before when cancelled', async () => {
    const before = await counts();
    const auditBefore = (await host.call('audit.list', { offset: 0, limit: 1 })).total;
    const second = await writeTransactions(join(dir, 'transactions-again.csv'), 300_000, 2_000);
    const { jobId } = await host.call('import.run', { file: second, entity: 'transactions', policy: 'reject' });
    const done = finished(jobId);
    await firstProgress(jobId);
    expect(await host.call('job.cancel', { jobId })).toEqual({ cancelled: true });
    const result = await done;
    expect(result.status).toBe('cancelled');
    expect(result.error?.message).toContain('已取消');
    expect(await counts()).toEqual(before);
    expect((await host.call('audit.list', { offset: 0, limit: 1 })).total).toBe(auditBefore);
  });

  it('refuses to switch workspace while a job runs', async () => {
    const { jobId } = await host.call('import.run', { file: bigFile, entity: 'transactions', policy: 'reject' });
    const done = finished(jobId);
    const switched = await host.invoke('workspace.open', { path: join(dir, 'host.bpw') });
    expect(switched).toMatchObject({ ok: false, error: { code: 'busy' } });
    host.cancel(jobId);
    await done;
  });
});

describe('a process killed in mid-import', () => {
  it('leaves a sound workspace with the earlier data intact', async () => {
    const workspace = join(dir, 'killed.bpw');
    const killHost = new EngineHost({ log: () => {} });
    await killHost.call('workspace.create', { path: workspace });
    await killHost.runJob('import.run', { file: writeCustomers(join(dir, 'customers-kill.csv'), 2_000), entity: 'customers', policy: 'reject' });
    await killHost.close();

    const cli = fileURLToPath(new URL('../../electron/cli.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'import', '--workspace', workspace, '--entity', 'transactions', '--file', bigFile], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        // Wait until rows are being written, then kill without warning.
        if (/导入交易流水 [1-9]\d*%/.test(chunk.toString())) resolve();
      });
      child.on('exit', () => reject(new Error('the import finished before it could be killed')));
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));

    const db = new Database(workspace);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT count(*) AS n FROM customers').get()).toEqual({ n: 2_000 });
    expect(db.prepare('SELECT count(*) AS n FROM transactions').get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT count(*) AS n FROM import_batches WHERE entity = 'transactions'").get()).toEqual({ n: 0 });
    db.close();
  });
});
