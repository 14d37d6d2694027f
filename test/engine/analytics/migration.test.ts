/**
 * Tier migration between two balance months on the hand-built branch (fixture.ts), straight from balances.
 *
 * 3-month average AUM in 2025-10..12 → 2026-04..06, and the tiers they give:
 *   C01 8,000,000 → 8,000,000     private → private
 *   C02   600,000 →   713,333     wealth → wealth
 *   C03   600,000 →   150,000     wealth → affluent    fell: −450,000
 *   C04    20,000 →    20,000     mass → mass
 *   C05   300,000 →   300,000     affluent → affluent
 *   C06    40,000 →         0     mass → mass          (lost everything, but was never 金卡 or above)
 *   C07    80,000 →       500     affluent → mass      fell: −79,500
 *   C08         — →    60,000     无记录 → affluent    (opened 2026-03-15: 新增)
 *   C09     5,000 →     5,000     mass → mass
 *   C10    50,000 →    50,000     affluent → affluent
 *   C11 opened 2026-07-05, after 2026-06: not in the population, like an analysis as of 2026-06.
 * Matrix rows (from) × columns (to), order mass, affluent, wealth, private, 无记录:
 *   mass      [3, 0, 0, 0, 0]   C04, C06, C09
 *   affluent  [1, 2, 0, 0, 0]   C07 → mass; C05, C10 stay
 *   wealth    [0, 1, 1, 0, 0]   C03 → affluent; C02 stays
 *   private   [0, 0, 0, 1, 0]   C01
 *   no_record [0, 1, 0, 0, 0]   C08
 * The columns sum to the tiers of the analysis as of 2026-06: 4 mass, 4 affluent, 1 wealth, 1 private.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../electron/engine/db/workspace';
import { balanceMonths, tierMigration } from '../../../electron/engine/analytics/overview';
import { writeSettings } from '../../../electron/engine/settings-store';
import { tempDir } from '../../support/temp';
import { buildFixture, MONTHS } from './fixture';

let db: Db;
beforeAll(() => {
  db = buildFixture(tempDir()).db;
});
afterAll(() => db.close());

describe('tier migration', () => {
  it('lists the balance months', () => {
    expect(balanceMonths(db)).toEqual(MONTHS);
  });

  it('builds the matrix and lists the high-value customers who fell, biggest loss first, masked', () => {
    const m = tierMigration(db, { fromMonth: '2025-12', toMonth: '2026-06', limit: 200 });
    expect(m.tiers).toEqual(['mass', 'affluent', 'wealth', 'private', 'no_record']);
    expect(m.matrix).toEqual([
      [3, 0, 0, 0, 0],
      [1, 2, 0, 0, 0],
      [0, 1, 1, 0, 0],
      [0, 0, 0, 1, 0],
      [0, 1, 0, 0, 0],
    ]);
    expect(m.tiers.map((_, j) => m.matrix.reduce((sum, row) => sum + row[j]!, 0))).toEqual([4, 4, 1, 1, 0]);
    expect(m.fallenTotal).toBe(2);
    expect(m.fallenAumLoss).toBe(450_000 + 79_500);
    expect(m.fallen).toEqual([
      { customer_id: 'C03', name: '张*', manager_name: '钱经理', from_tier: 'wealth', to_tier: 'affluent', aum_from: 600_000, aum_to: 150_000 },
      { customer_id: 'C07', name: '赵*', manager_name: '孙经理', from_tier: 'affluent', to_tier: 'mass', aum_from: 80_000, aum_to: 500 },
    ]);
  });

  it('caps the list but counts every fallen customer, and shows names when masking is off', () => {
    writeSettings(db, { maskPii: false });
    try {
      const m = tierMigration(db, { fromMonth: '2025-12', toMonth: '2026-06', limit: 1 });
      expect(m.fallenTotal).toBe(2);
      expect(m.fallen.map((f) => [f.customer_id, f.name])).toEqual([['C03', '张伟']]);
    } finally {
      writeSettings(db, { maskPii: true });
    }
  });

  it('sums each row to the tier counts at fromMonth of every customer opened by toMonth', () => {
    const m = tierMigration(db, { fromMonth: '2026-03', toMonth: '2026-05', limit: 10 });
    // 2026-01..03 → 2026-03..05: C08 has one row in the first window (10,000, mass).
    // At 2026-03: mass C04, C06 (33,333), C07, C08, C09; affluent C05, C10; wealth C02 (623,333), C03; private C01.
    expect(m.matrix.map((r) => r.reduce((a, b) => a + b, 0))).toEqual([5, 2, 2, 1, 0]);
    expect(m.matrix.flat().reduce((a, b) => a + b, 0)).toBe(10);
  });

  it('ends a high-value customer who left the balance file in 无记录 and lists him as fallen', () => {
    const own = buildFixture(tempDir(), 'gone.bpw').db;
    try {
      own.prepare("DELETE FROM balances WHERE customer_id = 'C05' AND month >= '2026-04'").run();
      const m = tierMigration(own, { fromMonth: '2025-12', toMonth: '2026-06', limit: 10 });
      const affluent = m.tiers.indexOf('affluent');
      expect(m.matrix[affluent]![m.tiers.indexOf('no_record')]).toBe(1);
      expect(m.fallen.map((f) => [f.customer_id, f.to_tier, f.aum_to])).toEqual([
        ['C03', 'affluent', 150_000],
        ['C05', 'no_record', null],
        ['C07', 'mass', 500],
      ]);
      expect(m.fallenAumLoss).toBe(450_000 + 300_000 + 79_500);
    } finally {
      own.close();
    }
  });

  it('rejects months in the wrong order or without balances, saying what to choose', () => {
    expect(() => tierMigration(db, { fromMonth: '2026-06', toMonth: '2026-06', limit: 10 })).toThrow(/起始月份（2026-06）应早于结束月份（2026-06）/);
    expect(() => tierMigration(db, { fromMonth: '2026-06', toMonth: '2026-01', limit: 10 })).toThrow(/应早于/);
    expect(() => tierMigration(db, { fromMonth: '2024-01', toMonth: '2026-06', limit: 10 })).toThrow(/2024-01 没有月日均资产数据，请在 2025-07 至 2026-06 之间选择月份/);
  });
});
