import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshCustomerSummary, shiftMonth } from '../../../electron/engine/customers/customer-summary';
import { tempWorkspace, type TempWorkspace } from './fixture';

describe('customer summary', () => {
  let ws: TempWorkspace;
  const summary = (id: string) => ws.db.prepare('SELECT balance_month, aum_latest, aum_avg_3m FROM customer_summary WHERE customer_id = ?').get(id);

  beforeAll(() => {
    ws = tempWorkspace();
    ws.db.exec(`
      INSERT INTO customers (customer_id, name) VALUES ('A', '甲'), ('B', '乙'), ('C', '丙');
      INSERT INTO balances (customer_id, month, aum) VALUES
        ('A', '2023-12', 9000), ('A', '2024-01', 100), ('A', '2024-02', 200), ('A', '2024-03', 600),
        ('B', '2024-01', 50);
    `);
  });
  afterAll(() => ws.close());

  it('computes the latest month and the 3-month average as of the workspace’s latest month', () => {
    expect(summary('C')).toBeUndefined();
    expect(refreshCustomerSummary(ws.db)).toEqual({ changed: 3, renamed: 3, month: '2024-03' });
    expect(summary('A')).toEqual({ balance_month: '2024-03', aum_latest: 600, aum_avg_3m: 300 });
    // No balance in the latest month: no latest AUM, and the average over the months present.
    expect(summary('B')).toEqual({ balance_month: '2024-03', aum_latest: null, aum_avg_3m: 50 });
    expect(summary('C')).toEqual({ balance_month: '2024-03', aum_latest: null, aum_avg_3m: null });
  });

  it('rewrites only what changed, and follows a new month', () => {
    expect(refreshCustomerSummary(ws.db)).toEqual({ changed: 0, renamed: 0, month: '2024-03' });
    ws.db.exec("INSERT INTO balances (customer_id, month, aum) VALUES ('B', '2024-04', 70)");
    expect(refreshCustomerSummary(ws.db)).toEqual({ changed: 3, renamed: 0, month: '2024-04' });
    expect(summary('A')).toEqual({ balance_month: '2024-04', aum_latest: null, aum_avg_3m: 400 });
    expect(summary('B')).toEqual({ balance_month: '2024-04', aum_latest: 70, aum_avg_3m: 70 });
  });

  it('indexes the characters of new and changed names only', () => {
    const chars = (id: string) => (ws.db.prepare('SELECT ch FROM customer_name_chars WHERE customer_id = ? ORDER BY ch').pluck().all(id) as string[]).join('');
    expect(chars('A')).toBe('甲');
    ws.db.exec("UPDATE customers SET name = 'Li Ming' WHERE customer_id = 'A'; UPDATE customers SET name = NULL WHERE customer_id = 'B'");
    ws.db.exec("INSERT INTO customers (customer_id, name) VALUES ('D', '丁丁')");
    expect(refreshCustomerSummary(ws.db)).toMatchObject({ changed: 3, renamed: 3 });
    expect(chars('A')).toBe([...new Set(' liming')].sort().join(''));
    expect(chars('B')).toBe('');
    expect(chars('D')).toBe('丁');
    expect(chars('C')).toBe('丙');
  });

  it('drops the row of a deleted customer', () => {
    ws.db.exec("DELETE FROM customers WHERE customer_id = 'C'");
    expect(summary('C')).toBeUndefined();
  });

  it('moves months across years', () => {
    expect(shiftMonth('2024-02', -2)).toBe('2023-12');
    expect(shiftMonth('2023-11', 3)).toBe('2024-02');
    expect(shiftMonth('2024-06', -24)).toBe('2022-06');
  });
});
