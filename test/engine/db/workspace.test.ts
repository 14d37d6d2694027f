import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { ENTITIES } from '../../../shared/dictionary';
import { openWorkspace, WORKSPACE_APPLICATION_ID } from '../../../electron/engine/db/workspace';
import { LATEST_SCHEMA_VERSION } from '../../../electron/engine/db/migrations';
import { EngineError } from '../../../electron/engine/errors';
import { tempDir } from '../../support/temp';

const dir = tempDir();
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('workspace files', () => {
  it('creates a workspace with WAL, foreign keys and the latest schema', () => {
    const db = openWorkspace(join(dir, 'new.bpw'), { create: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(db.pragma('application_id', { simple: true })).toBe(WORKSPACE_APPLICATION_ID);
    db.close();
  });

  it('holds a table with a column for every dictionary field', () => {
    const db = openWorkspace(join(dir, 'dict.bpw'), { create: true });
    for (const def of ENTITIES) {
      const columns = (db.prepare(`PRAGMA table_info(${def.table})`).all() as { name: string }[]).map((c) => c.name);
      expect(columns, def.table).toEqual(expect.arrayContaining([...def.fields.map((f) => f.key), 'import_batch_id']));
    }
    for (const table of ['import_batches', 'import_errors', 'settings', 'audit_log', 'analysis_runs', 'customer_features', 'customer_scores', 'tags', 'customer_tags', 'segments', 'models', 'recommendations', 'campaigns', 'campaign_members']) {
      expect(db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table' AND name = ?").get(table)).toEqual({ n: 1 });
    }
    db.close();
  });

  it('enforces foreign keys from fact tables to customers', () => {
    const db = openWorkspace(join(dir, 'fk.bpw'), { create: true });
    expect(() => db.prepare("INSERT INTO balances (customer_id, month, aum) VALUES ('nobody', '2024-01', 1)").run()).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('keeps the audit log append-only', () => {
    const db = openWorkspace(join(dir, 'audit.bpw'), { create: true });
    db.prepare("INSERT INTO audit_log (at, action) VALUES ('2024-01-01', 'import')").run();
    expect(() => db.prepare("UPDATE audit_log SET action = 'x'").run()).toThrow(/只能追加/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/只能追加/);
    db.close();
  });

  it('reopens an existing workspace without migrating again', () => {
    const path = join(dir, 'reopen.bpw');
    openWorkspace(path, { create: true }).close();
    const db = openWorkspace(path);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    db.close();
  });

  it('refuses a workspace from a newer version and leaves the file untouched', () => {
    const path = join(dir, 'future.bpw');
    const db = openWorkspace(path, { create: true });
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('journal_mode = DELETE');
    db.close();
    const before = { hash: sha(path), mtime: statSync(path).mtimeMs };
    let error: unknown;
    try {
      openWorkspace(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('schema_too_new');
    expect((error as EngineError).message).toContain('更新版本');
    expect((error as EngineError).message).toContain('未做任何修改');
    expect({ hash: sha(path), mtime: statSync(path).mtimeMs }).toEqual(before);
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('delete');
    raw.close();
  });

  it('refuses files that are not workspaces', () => {
    const text = join(dir, 'notes.bpw');
    writeFileSync(text, 'this is not sqlite');
    expect(() => openWorkspace(text)).toThrow(/不是工作区文件/);
    const other = join(dir, 'other.sqlite');
    const foreign = new Database(other);
    foreign.exec('CREATE TABLE t (x)');
    foreign.close();
    expect(() => openWorkspace(other)).toThrow(/不是客户画像工作台的工作区/);
    expect(() => openWorkspace(join(dir, 'missing.bpw'))).toThrow(/找不到工作区文件/);
  });
});
