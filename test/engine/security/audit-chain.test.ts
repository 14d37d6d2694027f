/**
 * The audit log is append-only and tamper-evident (issue #15 §1.4): REPLACE no longer overwrites a row,
 * every row is chained by SHA-256 to the one before, and an edit or deletion made behind the app's back
 * (triggers dropped first) is reported at the first broken link. Entries are written in words with the
 * operating system's user and the machine (issue #14).
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { appendAudit, auditActions, listAudit } from '../../../electron/engine/audit';
import { MIGRATIONS } from '../../../electron/engine/db/migrations';
import { openWorkspace, WORKSPACE_APPLICATION_ID, type Db } from '../../../electron/engine/db/workspace';
import { registerAuditFunctions, verifyAuditChain } from '../../../electron/engine/security/audit-chain';
import { tempDir } from '../../support/temp';

const dir = tempDir();
let n = 0;
const fresh = (): Db => openWorkspace(join(dir, `audit-${n++}.bpw`), { create: true });

function seed(db: Db): void {
  appendAudit(db, { action: 'import', params: { entity: 'customers', file: '/data/客户.csv', status: 'committed', rowsRejected: 0 }, rowCount: 2000 });
  appendAudit(db, { action: 'unmask', params: { customerId: 'C000001' }, reason: '客户来电核实身份', rowCount: 1 });
  appendAudit(db, { action: 'export', params: { kind: 'customers', file: '/data/女性客户.xlsx', filter: '性别 等于 女', masked: true }, rowCount: 1050, outputSha256: 'ab'.repeat(32) });
}

describe('append-only', () => {
  it('refuses REPLACE and INSERT OR REPLACE over an existing row, which used to overwrite an unmask entry', () => {
    const db = fresh();
    seed(db);
    const unmask = db.prepare("SELECT id FROM audit_log WHERE action = 'unmask'").get() as { id: number };
    for (const verb of ['REPLACE', 'INSERT OR REPLACE']) {
      expect(() => db.prepare(`${verb} INTO audit_log (id, at, action) VALUES (?, '2024-01-01', 'noop')`).run(unmask.id)).toThrow(/不能覆盖/);
    }
    expect(() => db.prepare("INSERT INTO audit_log (id, at, action) VALUES (?, 'x', 'y') ON CONFLICT (id) DO UPDATE SET action = 'y'").run(unmask.id)).toThrow(/只能追加/);
    expect((db.prepare('SELECT action, reason FROM audit_log WHERE id = ?').get(unmask.id) as { action: string }).action).toBe('unmask');
    expect(verifyAuditChain(db).ok).toBe(true);
    db.close();
  });
});

describe('hash chain', () => {
  it('verifies an untouched log and names its head', () => {
    const db = fresh();
    seed(db);
    const result = verifyAuditChain(db);
    expect(result).toMatchObject({ ok: true, rows: 3, firstBreak: null, missingTriggers: [] });
    expect(result.headHash).toMatch(/^[0-9a-f]{64}$/);
    db.close();
  });

  it('reports the first broken link when a row is edited after the triggers are dropped', () => {
    const db = fresh();
    seed(db);
    appendAudit(db, { action: 'settings.change', params: { maskPii: { from: true, to: false } } });
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET reason = '例行检查' WHERE action = 'unmask'").run();
    const result = verifyAuditChain(db);
    expect(result.ok).toBe(false);
    expect(result.firstBreak).toMatchObject({ action: 'unmask', kind: 'edited' });
    expect(result.missingTriggers).toEqual(['audit_log_no_update']);
    db.close();
  });

  it('reports a deleted row at the row after it, even with the triggers put back', () => {
    const db = fresh();
    seed(db);
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.prepare("DELETE FROM audit_log WHERE action = 'unmask'").run();
    db.exec("CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'x'); END");
    const result = verifyAuditChain(db);
    expect(result.missingTriggers).toEqual([]);
    expect(result.firstBreak).toMatchObject({ action: 'export', kind: 'edited' });
    db.close();
  });

  it('reports a row inserted without going through the app', () => {
    const db = fresh();
    seed(db);
    db.prepare("INSERT INTO audit_log (at, action) VALUES ('2024-01-01T00:00:00.000Z', 'import')").run();
    expect(verifyAuditChain(db).firstBreak).toMatchObject({ action: 'import', kind: 'missing_hash' });
    db.close();
  });

  it('seals the entries of a workspace written before the chain existed when it is upgraded', () => {
    const path = join(dir, 'legacy.bpw');
    const raw = new Database(path);
    registerAuditFunctions(raw);
    for (const m of MIGRATIONS.filter((x) => x.version <= 8)) raw.exec(m.up);
    raw.pragma('user_version = 8');
    raw.pragma(`application_id = ${WORKSPACE_APPLICATION_ID}`);
    for (let i = 0; i < 50; i++) raw.prepare('INSERT INTO audit_log (at, action, params_json, row_count) VALUES (?, ?, ?, ?)').run(`2024-01-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`, i % 2 ? 'import' : 'export', '{}', i);
    raw.close();
    const db = openWorkspace(path);
    expect(verifyAuditChain(db)).toMatchObject({ ok: true, rows: 50 });
    appendAudit(db, { action: 'unmask', params: { customerId: 'C1' }, reason: '核实身份信息' });
    expect(verifyAuditChain(db)).toMatchObject({ ok: true, rows: 51 });
    db.close();
  });
});

describe('entries in words', () => {
  it('writes each entry as a sentence with the operating system user and the machine', () => {
    const db = fresh();
    seed(db);
    const { entries, total } = listAudit(db, { offset: 0, limit: 10 });
    expect(total).toBe(3);
    expect(entries.map((e) => e.summary)).toEqual([
      '导出客户清单 1,050 行，筛选：性别 等于 女，已脱敏，文件 女性客户.xlsx',
      '查看客户 C000001 的完整个人信息，原因：客户来电核实身份',
      '导入客户 2,000 行（客户.csv）',
    ]);
    expect(entries[0]!.machine).toBe(hostname());
    expect(entries[0]!.osUser).toBeTruthy();
    db.close();
  });

  it('filters by action and by local calendar day', () => {
    const db = fresh();
    seed(db);
    expect(listAudit(db, { offset: 0, limit: 10, action: 'export' }).entries.map((e) => e.action)).toEqual(['export']);
    expect(auditActions(db)).toEqual(['export', 'import', 'unmask']);
    const today = new Date();
    const day = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
    expect(listAudit(db, { offset: 0, limit: 10, from: day, to: day }).total).toBe(3);
    expect(listAudit(db, { offset: 0, limit: 10, to: '2020-01-01' }).total).toBe(0);
    db.close();
  });
});
