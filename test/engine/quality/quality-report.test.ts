import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QualityReport, TableQuality } from '../../../shared/api';
import { standaloneJobContext } from '../../../electron/engine/context';
import { CancelledError } from '../../../electron/engine/errors';
import { qualityReport } from '../../../electron/engine/quality/quality-report';
import { seedCustomers, tempWorkspace, type TempWorkspace } from '../customers/fixture';

const TODAY = '2024-07-01';
const CUSTOMERS = 60;

/**
 * 60 fixture customers (NULL patterns known from fixture.ts) plus planted defects: orphan codes, impossible
 * and future dates, duplicates, an unknown channel and category, negative money.
 */
function plant(ws: TempWorkspace): void {
  seedCustomers(ws.db, CUSTOMERS);
  ws.db.exec(`
    UPDATE customers SET community_id = 'SQ999' WHERE customer_id IN ('C00001', 'C00002');
    UPDATE customers SET manager_id = 'M404' WHERE customer_id = 'C00003';
    UPDATE customers SET open_date = '2024-02-30' WHERE customer_id = 'C00004';
    UPDATE customers SET open_date = '2030-01-01' WHERE customer_id = 'C00005';
    UPDATE customers SET birth_date = '19800101' WHERE customer_id = 'C00006';
    -- Same ID number, two customer numbers.
    UPDATE customers SET id_number = (SELECT id_number FROM customers WHERE customer_id = 'C00010') WHERE customer_id = 'C00020';
    -- Same name, birth date and mobile, different ID numbers.
    UPDATE customers SET name = '张三', birth_date = '1970-05-05', mobile = '13900000000' WHERE customer_id IN ('C00031', 'C00032', 'C00033');
    INSERT INTO products (product_id, name, category, risk_rating, min_amount, active) VALUES
      ('P1', '活期', 'demand_deposit', 'R1', 0, 1), ('P2', '彩票', 'lottery', 'R5', -1, 1), ('P3', '基金', 'fund', NULL, 1000, 2);
    INSERT INTO transactions (txn_id, customer_id, txn_date, channel, type, amount, direction, product_id) VALUES
      ('T1', 'C00001', '2024-06-28', 'mobile', 'consume', 100, 'out', NULL),
      ('T2', 'C00001', '2024-06-29', 'fax', 'consume', 50, 'out', 'P1'),
      ('T3', 'C00002', '2099-12-31', 'counter', 'some_new_type', 70, 'in', 'P404'),
      ('T4', 'C00002', '2024-05-01', NULL, 'fee', -3, 'out', 'P405');
    UPDATE balances SET aum = -5 WHERE customer_id = 'C00002' AND month = '2024-06';
  `);
}

const table = (report: QualityReport, name: string): TableQuality => report.tables.find((t) => t.table === name)!;
const fieldOf = (t: TableQuality, key: string) => t.fields.find((f) => f.field === key)!;

describe('quality report', () => {
  let ws: TempWorkspace;
  let report: QualityReport;
  const progress: [string, number, number][] = [];

  beforeAll(async () => {
    ws = tempWorkspace();
    plant(ws);
    report = await qualityReport(standaloneJobContext(ws.db, { onProgress: (phase, done, total) => progress.push([phase, done, total]) }), { today: TODAY });
  });
  afterAll(() => ws.close());

  it('covers every dictionary table with Chinese labels, in dictionary order', () => {
    expect(report.tables.map((t) => t.table)).toEqual(['communities', 'managers', 'customers', 'products', 'holdings', 'balances', 'transactions', 'interactions', 'campaign_responses']);
    expect(table(report, 'customers').label).toBe('客户');
    expect(fieldOf(table(report, 'customers'), 'open_date').label).toBe('开户日期');
    expect(table(report, 'holdings')).toMatchObject({ rows: 0, duplicates: 0, latestDate: null });
    expect(fieldOf(table(report, 'holdings'), 'balance')).toMatchObject({ completeness: 0, validity: null });
  });

  it('measures completeness from planted NULLs', () => {
    const customers = table(report, 'customers');
    expect(customers.rows).toBe(CUSTOMERS);
    // name is NULL for every 13th customer: 13, 26, 39, 52.
    expect(fieldOf(customers, 'name').completeness).toBeCloseTo(56 / 60, 10);
    // open_date is NULL for every 7th (8 customers); the planted bad dates are present values.
    expect(fieldOf(customers, 'open_date').completeness).toBeCloseTo(52 / 60, 10);
    expect(fieldOf(customers, 'education').completeness).toBe(0);
    expect(fieldOf(customers, 'customer_id')).toMatchObject({ completeness: 1, distinct: 60 });
  });

  it('checks validity: impossible, malformed and future dates, unknown codes, negative money', () => {
    const customers = table(report, 'customers');
    expect(fieldOf(customers, 'open_date').validity).toBeCloseTo(50 / 52, 10);
    const birthPresent = 60 - 5 + 1; // every 11th birth date is NULL, but C00033's was planted
    expect(fieldOf(customers, 'birth_date').validity).toBeCloseTo((birthPresent - 1) / birthPresent, 10);
    expect(fieldOf(customers, 'gender').validity).toBe(1);
    expect(fieldOf(customers, 'name').validity).toBeNull();

    const transactions = table(report, 'transactions');
    expect(fieldOf(transactions, 'channel')).toMatchObject({ completeness: 0.75, validity: 2 / 3, distinct: 3 });
    expect(fieldOf(transactions, 'txn_date').validity).toBe(0.75);
    // Transaction types are an open enum, and amounts may be signed: nothing to flag.
    expect(fieldOf(transactions, 'type').validity).toBeNull();
    expect(fieldOf(transactions, 'amount').validity).toBe(1);

    const products = table(report, 'products');
    expect(fieldOf(products, 'category').validity).toBeCloseTo(2 / 3, 10);
    expect(fieldOf(products, 'min_amount').validity).toBeCloseTo(2 / 3, 10);
    expect(fieldOf(products, 'active').validity).toBeCloseTo(2 / 3, 10);
    expect(fieldOf(products, 'risk_rating')).toMatchObject({ completeness: 2 / 3, validity: 1, distinct: 2 });

    const balances = table(report, 'balances');
    const rows = balances.rows;
    expect(fieldOf(balances, 'aum').validity).toBeCloseTo((rows - 1) / rows, 10);
    expect(fieldOf(balances, 'month')).toMatchObject({ validity: 1, distinct: 3 });
  });

  it('reports orphan codes of soft references', () => {
    expect(table(report, 'customers').orphans).toEqual([
      { field: 'community_id', label: '所属社区', count: 2 },
      { field: 'manager_id', label: '客户经理', count: 1 },
    ]);
    expect(table(report, 'communities').orphans).toEqual([{ field: 'manager_id', label: '社区负责客户经理', count: 1 }]);
    expect(table(report, 'transactions').orphans).toEqual([{ field: 'product_id', label: '产品代码', count: 2 }]);
    expect(table(report, 'balances').orphans).toEqual([]);
  });

  it('counts customers sharing an ID number or name, birth date and mobile', () => {
    expect(table(report, 'customers').duplicates).toBe(5);
    expect(table(report, 'transactions').duplicates).toBe(0);
  });

  it('reports freshness from valid, non-future dates', () => {
    expect(table(report, 'transactions').latestDate).toBe('2024-06-29');
    expect(table(report, 'balances')).toMatchObject({ latestMonth: '2024-06', latestDate: null });
    expect(table(report, 'customers').latestDate! <= TODAY).toBe(true);
    expect(table(report, 'products')).toMatchObject({ latestDate: null, latestMonth: null });
  });

  it('reports progress up to the total', () => {
    const last = progress.at(-1)!;
    expect(last[1]).toBe(last[2]);
    expect(progress.some(([phase]) => phase.startsWith('检查客户'))).toBe(true);
  });

  it('gives the same counts when big tables are read in many chunks', async () => {
    const chunked = await qualityReport(standaloneJobContext(ws.db), { today: TODAY, chunks: { rows: 7, customers: 4 } });
    // Full distinct counts are made only in one chunk; columns with few values keep theirs across chunks.
    const withoutFullDistinct = (r: QualityReport, keep: (t: string, f: string) => boolean) =>
      r.tables.map((t) => ({ ...t, fields: t.fields.map((f) => ({ ...f, distinct: keep(t.table, f.field) ? f.distinct : null })) }));
    const keptInChunks = (t: string, f: string) => fieldOf(table(chunked, t), f).distinct !== null;
    expect(withoutFullDistinct(chunked, () => true)).toEqual(withoutFullDistinct(report, keptInChunks));
    expect(fieldOf(table(chunked, 'balances'), 'month').distinct).toBe(3);
    expect(fieldOf(table(chunked, 'customers'), 'gender').distinct).toBe(2);
    expect(fieldOf(table(chunked, 'customers'), 'customer_id').distinct).toBe(60);
    expect(fieldOf(table(chunked, 'customers'), 'occupation').distinct).toBeNull();
    expect(fieldOf(table(report, 'customers'), 'occupation').distinct).toBe(4);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(qualityReport(standaloneJobContext(ws.db, { signal: controller.signal }), { today: TODAY })).rejects.toBeInstanceOf(CancelledError);
  });
});
