/**
 * Masked names cannot be probed (issue #15 §1.11): with masking on, `姓名 包含 红` used to find every
 * customer whose hidden middle character was 红, without any unmask entry. Now rules (list filters, rule
 * tags, segments, audiences) match the name as the screen shows it (张*丰), the same mask in SQL as in
 * TypeScript. The search box still looks a person up by a fragment of the real name, as the customer list
 * was designed (see docs/security.md).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskedNameSql, maskName } from '../../../shared/masking';
import { customerCount } from '../../../electron/engine/customers/customer-list';
import { refreshCustomerSummary } from '../../../electron/engine/customers/customer-summary';
import { openWorkspace, type Db } from '../../../electron/engine/db/workspace';
import { writeSettings } from '../../../electron/engine/settings-store';
import { tempDir } from '../../support/temp';

const dir = tempDir();
let db: Db;

const NAMES = ['张红丰', '李红', '王小红', '欧阳娜娜', '红', ' 赵红梅 ', 'Zhou Hong', '陈　红　'];

beforeAll(() => {
  db = openWorkspace(join(dir, 'names.bpw'), { create: true });
  const insert = db.prepare('INSERT INTO customers (customer_id, name) VALUES (?, ?)');
  NAMES.forEach((name, i) => insert.run(`C${i + 1}`, name));
  insert.run('C99', null);
  refreshCustomerSummary(db);
});
afterAll(() => db.close());

const count = (filter?: unknown, search?: string) => customerCount(db, { ...(filter ? { filter: filter as never } : {}), ...(search ? { search } : {}) });

describe('the mask in SQL', () => {
  it('is the mask of the screen, name for name', () => {
    const rows = db.prepare(`SELECT name, ${maskedNameSql('name')} AS masked FROM customers ORDER BY customer_id`).all() as { name: string | null; masked: string | null }[];
    for (const row of rows) expect(row.masked, String(row.name)).toBe(row.name === null ? null : maskName(row.name));
  });
});

describe('with masking on', () => {
  it('matches name rules on the masked name only: the hidden middle characters cannot be probed', () => {
    const contains = (value: string) => count({ field: 'name', op: 'contains', value });
    // 张红丰 → 张*丰, 李红 → 李*, 王小红 → 王*红, 陈　红 → 陈*红: 红 shows only where the mask leaves it.
    expect(contains('红')).toBe(3);
    expect(contains('小')).toBe(0);
    expect(contains('阳')).toBe(0);
    expect(count({ field: 'name', op: '=', value: '张红丰' })).toBe(0);
    expect(count({ field: 'name', op: '=', value: '张*丰' })).toBe(1);
  });
});

describe('with masking off', () => {
  it('matches the real name, as before', () => {
    writeSettings(db, { maskPii: false });
    try {
      expect(count({ field: 'name', op: 'contains', value: '小' })).toBe(1);
      expect(count({ field: 'name', op: '=', value: '张红丰' })).toBe(1);
    } finally {
      writeSettings(db, { maskPii: true });
    }
  });
});
