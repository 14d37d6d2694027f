/**
 * Encrypted workspaces (issue #15 §2): created encrypted with a passphrase, opened with it, refused clearly
 * without it or with a wrong one, re-keyed, encrypted in place, and decrypted to a plain copy. The file on
 * disk has no SQLite header and no customer name or number in its bytes, and the analysis threads that open
 * the workspace by path get the key too.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeFeatureResult, computeFeatureResultParallel } from '../../../electron/engine/analytics/features';
import { openWorkspace } from '../../../electron/engine/db/workspace';
import { EngineHost } from '../../../electron/engine/host';
import { tempDir } from '../../support/temp';
import { writeCustomers } from '../../support/workspace';

const dir = tempDir();
const PASS = '支行口令-2024 Spring!';
let host: EngineHost;

/** Every byte of the workspace on disk: the file and, while open, its WAL. */
function bytesOnDisk(path: string): Buffer {
  return Buffer.concat([path, `${path}-wal`].filter((p) => existsSync(p)).map((p) => readFileSync(p)));
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\u0000', 'latin1');

beforeAll(() => {
  host = new EngineHost({ log: () => {} });
});

afterAll(async () => {
  await host.close();
});

describe('a workspace created encrypted', () => {
  const path = join(dir, 'encrypted.bpw');

  beforeAll(async () => {
    const summary = await host.call('workspace.create', { path, passphrase: PASS });
    expect(summary.encrypted).toBe(true);
    const result = await host.runJob('import.run', { file: writeCustomers(join(dir, 'customers.csv'), 500), entity: 'customers', policy: 'reject' });
    expect(result.rowsLoaded).toBe(500);
  });

  it('keeps no SQLite header and no customer name or number on disk, in the file or its WAL', async () => {
    const open = bytesOnDisk(path);
    expect(open.subarray(0, 16).equals(SQLITE_HEADER)).toBe(false);
    for (const needle of ['C000123', '客户123', '客户号']) expect(open.includes(Buffer.from(needle, 'utf8')), needle).toBe(false);
    await host.call('workspace.close', {});
    const closed = readFileSync(path);
    expect(closed.subarray(0, 16).equals(SQLITE_HEADER)).toBe(false);
    for (const needle of ['C000123', 'C000499', '客户123', '客户499']) expect(closed.includes(Buffer.from(needle, 'utf8')), needle).toBe(false);
  });

  it('asks for the passphrase, refuses a wrong one clearly, and opens with the right one', async () => {
    await expect(host.call('workspace.open', { path })).rejects.toMatchObject({ code: 'passphrase_required', message: expect.stringContaining('已加密') });
    await expect(host.call('workspace.open', { path, passphrase: 'wrong passphrase' })).rejects.toMatchObject({ code: 'wrong_passphrase', message: expect.stringContaining('口令不正确') });
    const opened = await host.call('workspace.open', { path, passphrase: PASS });
    expect(opened).toMatchObject({ customers: 500, encrypted: true });
    expect(await host.call('customers.count', {})).toBe(500);
  });

  it('changes its passphrase only when the current one is given', async () => {
    await host.call('workspace.open', { path, passphrase: PASS });
    await expect(host.call('security.rekey', { passphrase: 'not the passphrase', newPassphrase: 'another passphrase' })).rejects.toMatchObject({ code: 'wrong_passphrase' });
    expect(await host.call('customers.count', {})).toBe(500);
    await host.call('security.rekey', { passphrase: PASS, newPassphrase: 'another passphrase' });
    expect(await host.call('customers.count', {})).toBe(500);
    await host.call('workspace.close', {});
    await expect(host.call('workspace.open', { path, passphrase: PASS })).rejects.toMatchObject({ code: 'wrong_passphrase' });
    await host.call('workspace.open', { path, passphrase: 'another passphrase' });
    await host.call('security.rekey', { passphrase: 'another passphrase', newPassphrase: PASS });
  });

  it('decrypts to a plain copy, for a stated purpose, and stays encrypted itself', async () => {
    await host.call('workspace.open', { path, passphrase: PASS });
    const copy = join(dir, 'plain-copy.bpw');
    const result = await host.runJob('security.decryptCopy', { path: copy, purpose: '交给总行数据组核对' });
    expect(readFileSync(copy).subarray(0, 16).equals(SQLITE_HEADER)).toBe(true);
    expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
    const plain = openWorkspace(copy);
    expect((plain.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n).toBe(500);
    plain.close();
    const audit = await host.call('audit.list', { offset: 0, limit: 5, action: 'workspace.decryptCopy' });
    expect(audit.entries[0]).toMatchObject({ reason: '交给总行数据组核对', summary: expect.stringContaining('未加密副本') });
    expect(readFileSync(path).subarray(0, 16).equals(SQLITE_HEADER)).toBe(false);
    await host.call('workspace.close', {});
  });

  it('gives its key to the analysis threads that open it by path', async () => {
    const db = openWorkspace(path, { passphrase: PASS });
    try {
      const sequential = computeFeatureResult(db, '2024-12-31');
      const parallel = await computeFeatureResultParallel(db, '2024-12-31', { threads: 2, minCustomersPerThread: 1 });
      expect(parallel.threads).toBe(2);
      expect(parallel.table.customerIds).toEqual(sequential.table.customerIds);
      expect(parallel.table.columns.age).toEqual(sequential.table.columns.age);
    } finally {
      db.close();
    }
  });

  it('never writes the passphrase into the workspace, its audit log or an error', async () => {
    await host.call('workspace.open', { path, passphrase: PASS });
    const entries = (await host.call('audit.list', { offset: 0, limit: 500 })).entries;
    expect(JSON.stringify(entries)).not.toContain(PASS);
    const refused = await host.invoke('workspace.open', { path, passphrase: `${PASS}x` });
    expect(JSON.stringify(refused)).not.toContain(PASS);
    await host.call('workspace.close', {});
  });
});

describe('a plain workspace', () => {
  it('is encrypted in place with a new passphrase, and opens only with it afterwards', async () => {
    const path = join(dir, 'plain.bpw');
    await host.call('workspace.create', { path });
    await host.runJob('import.run', { file: writeCustomers(join(dir, 'customers-2.csv'), 300), entity: 'customers', policy: 'reject' });
    await expect(host.call('security.encrypt', { passphrase: 'short' })).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringContaining('至少 8 个字符') });
    const summary = await host.call('security.encrypt', { passphrase: PASS });
    expect(summary).toMatchObject({ encrypted: true, customers: 300 });
    expect(await host.call('customers.count', {})).toBe(300);
    await host.call('workspace.close', {});
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 16).equals(SQLITE_HEADER)).toBe(false);
    expect(bytes.includes(Buffer.from('C000123', 'utf8'))).toBe(false);
    await expect(host.call('workspace.open', { path })).rejects.toMatchObject({ code: 'passphrase_required' });
    await host.call('workspace.open', { path, passphrase: PASS });
    const audit = await host.call('audit.list', { offset: 0, limit: 5 });
    expect(audit.entries[0]!.action).toBe('workspace.encrypt');
    await host.call('workspace.close', {});
  });

  it('can be required by policy for every new workspace', async () => {
    host.setPolicy({ requireEncryption: true });
    try {
      await expect(host.call('workspace.create', { path: join(dir, 'policy.bpw') })).rejects.toMatchObject({ code: 'bad_input', message: expect.stringContaining('必须加密') });
      await expect(host.call('demo.create', { path: join(dir, 'policy-demo.bpw'), customers: 1000 })).rejects.toMatchObject({ code: 'bad_input' });
      expect(existsSync(join(dir, 'policy.bpw'))).toBe(false);
      await expect(host.call('workspace.create', { path: join(dir, 'policy.bpw'), passphrase: PASS })).resolves.toMatchObject({ encrypted: true });
      await host.call('workspace.close', {});
    } finally {
      host.setPolicy({ requireEncryption: false });
    }
  });
});
