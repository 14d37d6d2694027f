/**
 * The data-quality report as an analyst reads it (issue #14): fields that may legitimately be empty are not
 * defects, every judged share has a red/amber/green light from settings, a high share of customers without
 * 风险承受等级 is raised as the business problem it is (with the customer-list filter of exactly those
 * customers), and 流入与余额不符 finds customers whose transactions do not explain their balances.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QualityReport } from '../../../shared/api';
import { standaloneJobContext } from '../../../electron/engine/context';
import { qualityReport } from '../../../electron/engine/quality/quality-report';
import { customerCount } from '../../../electron/engine/customers/customer-list';
import { writeSettings } from '../../../electron/engine/settings-store';
import { seedCustomers, tempWorkspace, type TempWorkspace } from '../customers/fixture';

const TODAY = '2024-07-01';
const CUSTOMERS = 60;
let ws: TempWorkspace;
let report: QualityReport;

const run = () => qualityReport(standaloneJobContext(ws.db), { today: TODAY });

beforeAll(async () => {
  ws = tempWorkspace();
  seedCustomers(ws.db, CUSTOMERS);
  const months = (ws.db.prepare('SELECT DISTINCT month FROM balances ORDER BY month').pluck().all() as string[]);
  ws.db.exec(`
    UPDATE customers SET risk_level = NULL WHERE customer_id = 'C00001';
    INSERT INTO products (product_id, name, category, risk_rating) VALUES ('P1', '活期', 'demand_deposit', 'R1');
    INSERT INTO holdings (customer_id, product_id, opened_at, closed_at, balance) VALUES
      ('C00001', 'P1', '2020-01-01', NULL, 100), ('C00002', 'P1', '2020-01-01', NULL, 100), ('C00003', 'P1', '2020-01-01', '2023-01-01', 0);
  `);
  // Twelve months of balances for two customers: one whose salary leaves the account as it arrives, one
  // whose 9,000 元 a month of salary never shows in a balance that stays flat.
  const insertBalance = ws.db.prepare('INSERT OR REPLACE INTO balances (customer_id, month, aum) VALUES (?, ?, ?)');
  const insertTxn = ws.db.prepare('INSERT INTO transactions (txn_id, customer_id, txn_date, type, amount, direction) VALUES (?, ?, ?, ?, ?, ?)');
  const last = months.at(-1)!;
  for (let k = 0; k <= 12; k++) {
    const [y, m] = last.split('-').map(Number) as [number, number];
    const date = new Date(Date.UTC(y, m - 1 - k, 15));
    const month = date.toISOString().slice(0, 7);
    insertBalance.run('C00010', month, 80_000);
    insertBalance.run('C00011', month, 80_000);
    if (k < 12) {
      insertTxn.run(`S10-${k}`, 'C00010', `${month}-15`, 'salary', 9_000, 'in');
      insertTxn.run(`O10-${k}`, 'C00010', `${month}-20`, 'consume', 9_000, 'out');
      insertTxn.run(`S11-${k}`, 'C00011', `${month}-15`, 'salary', 9_000, 'in');
    }
  }
  report = await run();
});
afterAll(() => ws.close());

const table = (name: string) => report.tables.find((t) => t.table === name)!;
const field = (t: string, key: string) => table(t).fields.find((f) => f.field === key)!;

describe('data quality as the analyst reads it', () => {
  it('shows fields that may be empty with the reason and does not judge their completeness', () => {
    expect(field('holdings', 'closed_at')).toMatchObject({ mayBeEmpty: '未结清的持有没有结清日期', completenessLevel: null });
    expect(field('holdings', 'closed_at').completeness).toBeCloseTo(1 / 3);
    // The table's mean completeness leaves it out: every other holdings field is full.
    expect(table('holdings').completeness).toBe(1);
    expect(table('holdings').level).toBe('green');
  });

  it('gives every judged share a light from the thresholds of settings', async () => {
    expect(report.thresholds).toEqual({ green: 0.98, amber: 0.9 });
    const risk = field('customers', 'risk_level');
    expect(risk.completeness).toBeCloseTo(56 / 60);
    expect(risk.validityLevel).toBe('green');
    expect(risk.completenessLevel).toBe('amber');
    writeSettings(ws.db, { quality: { green: 0.99, amber: 0.95 } });
    try {
      const strict = await run();
      expect(strict.tables.find((t) => t.table === 'customers')!.fields.find((f) => f.field === 'risk_level')!.completenessLevel).toBe('red');
      expect(strict.thresholds).toEqual({ green: 0.99, amber: 0.95 });
    } finally {
      writeSettings(ws.db, { quality: {} });
    }
    expect(table('products').level).toBe('green');
    expect(table('interactions').level).toBeNull();
  });

  it('raises missing risk levels above the threshold as a business problem, linked to exactly those customers', () => {
    const finding = report.findings.find((f) => f.id === 'risk_level_missing')!;
    expect(finding).toMatchObject({ level: 'red', title: '风险承受等级缺失', customers: 4 });
    expect(finding.share).toBeCloseTo(4 / 60);
    expect(finding.detail).toContain('只能购买 R1 产品');
    expect(customerCount(ws.db, { filter: finding.link!.rule })).toBe(4);
  });

  it('stays quiet about missing risk levels below the threshold', async () => {
    writeSettings(ws.db, { quality: { riskLevelMissingMax: 0.1 } });
    try {
      expect((await run()).findings.some((f) => f.id === 'risk_level_missing')).toBe(false);
    } finally {
      writeSettings(ws.db, { quality: {} });
    }
  });

  it('finds the customer whose inflows never reach the balance (流入与余额不符), not the one whose flows net out', () => {
    const finding = report.findings.find((f) => f.id === 'flow_balance_mismatch')!;
    expect(finding.title).toBe('流入与余额不符');
    expect(finding.customers).toBe(1);
    expect(finding.examples).toEqual([{ customerId: 'C00011', inflow: 108_000, outflow: 0, balanceChange: 0 }]);
  });
});
