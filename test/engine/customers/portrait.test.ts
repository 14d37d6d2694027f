import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerPortrait } from '../../../electron/engine/customers/portrait';
import { EngineError } from '../../../electron/engine/errors';
import { writeSettings } from '../../../electron/engine/settings-store';
import { seedCustomers, seedScores, tempWorkspace, type FixtureCustomer, type TempWorkspace } from './fixture';

describe('customer portrait', () => {
  let ws: TempWorkspace;
  let customers: FixtureCustomer[];

  beforeAll(() => {
    ws = tempWorkspace();
    customers = seedCustomers(ws.db, 40);
    const db = ws.db;
    db.exec(`
      INSERT INTO products (product_id, name, category, risk_rating, min_amount) VALUES
        ('LC001', '稳利理财', 'wealth', 'R2', 10000), ('DQ001', '三年定期', 'time_deposit', 'R1', 50);
      INSERT INTO holdings (customer_id, product_id, opened_at, closed_at, balance) VALUES
        ('C00002', 'LC001', '2023-05-01', NULL, 50000),
        ('C00002', 'DQ001', '2021-01-10', '2024-01-10', 0),
        ('C00002', 'DQ001', '2024-02-01', NULL, 80000);
    `);
    // Older balance months, beyond the 24 shown.
    const balance = db.prepare('INSERT INTO balances (customer_id, month, aum) VALUES (?, ?, ?)');
    for (let m = 1; m <= 12; m++) balance.run('C00002', `2022-${String(m).padStart(2, '0')}`, m * 100);
    const txn = db.prepare('INSERT INTO transactions (txn_id, customer_id, txn_date, channel, type, amount, direction) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (let k = 0; k < 30; k++) txn.run(`T${k}`, 'C00002', `2024-06-${String((k % 28) + 1).padStart(2, '0')}`, k % 3 === 0 ? 'counter' : 'mobile', 'consume', 100 + k, 'out');
    txn.run('T-old', 'C00002', '2023-01-15', 'atm', 'withdraw', 999, 'out');
    txn.run('T-null', 'C00002', '2024-03-01', null, 'fee', 5, 'out');
    // Postings the customer did not make: salary and interest carry no channel of his choosing.
    txn.run('T-salary', 'C00002', '2024-05-10', null, 'salary', 8000, 'in');
    txn.run('T-interest', 'C00002', '2024-03-21', null, 'interest', 3, 'in');
    // A purchase of his own whose channel the source left blank.
    txn.run('T-nochan', 'C00002', '2024-03-02', null, 'consume', 7, 'out');
    const contact = db.prepare('INSERT INTO interactions (customer_id, date, channel, kind, outcome, score) VALUES (?, ?, ?, ?, ?, ?)');
    for (let k = 1; k <= 25; k++) contact.run('C00002', `2024-0${(k % 6) + 1}-${String(k).padStart(2, '0')}`, 'phone', 'call', '已接通', k % 5);
    const runId = seedScores(db, 40);
    db.exec(`
      INSERT INTO tags (tag_id, name, category, kind, created_at) VALUES ('T_WEALTH', '理财客户', '产品', 'system', '2024-07-01'), ('T_AGE', '银发客户', '人口', 'system', '2024-07-01');
      INSERT INTO analysis_runs (run_id, kind, status, started_at) VALUES (90, 'tags', 'succeeded', '2024-07-01'), (91, 'tags', 'failed', '2024-07-02');
      INSERT INTO customer_tags (run_id, tag_id, customer_id) VALUES (90, 'T_WEALTH', 'C00002'), (90, 'T_AGE', 'C00002'), (91, 'T_AGE', 'C00003');
    `);
    expect(runId).toBeGreaterThan(0);
  });
  afterAll(() => ws.close());

  it('shows the masked customer with community, manager and AUM', () => {
    const p = customerPortrait(ws.db, 'C00002', { today: '2024-07-01' });
    const raw = customers[1]!;
    expect(p.customer.customer_id).toBe('C00002');
    expect(p.customer.name).not.toBe(raw.name);
    expect(p.customer.name).toContain('*');
    expect(p.customer.mobile).toBe('138****0002');
    expect(p.customer.id_number).toMatch(/^110101\*{8}\d{4}$/);
    expect(p.customer).toMatchObject({ community_id: 'SQ003', aum_avg_3m: 3_000, balance_month: '2024-06' });
    expect(typeof p.customer.age).toBe('number');
    expect(p.customer).not.toHaveProperty('import_batch_id');
    expect(p.community).toMatchObject({ community_id: 'SQ003', name: '第3社区', households: 3000 });
    expect(p.manager).toMatchObject({ manager_id: 'M003', name: '经理3' });
  });

  it('returns raw PII when masking is off', () => {
    writeSettings(ws.db, { maskPii: false });
    try {
      expect(customerPortrait(ws.db, 'C00002').customer.mobile).toBe('13800000002');
    } finally {
      writeSettings(ws.db, { maskPii: true });
    }
  });

  it('lists 24 months of balances ascending, holdings with products, and recent activity', () => {
    const p = customerPortrait(ws.db, 'C00002');
    // 2022-07..2022-12 and 2024-04..06 fall in the 24 months up to 2024-06; 2022-01..06 do not.
    expect(p.balances.map((b) => b.month)).toEqual(['2022-07', '2022-08', '2022-09', '2022-10', '2022-11', '2022-12', '2024-04', '2024-05', '2024-06']);
    expect(p.holdings.map((h) => [h.product_id, h.category, h.closed_at])).toEqual([
      ['DQ001', 'time_deposit', null],
      ['LC001', 'wealth', null],
      ['DQ001', 'time_deposit', '2024-01-10'],
    ]);
    expect(p.holdings[1]).toMatchObject({ name: '稳利理财', risk_rating: 'R2', balance: 50000 });
    // The customer's own transactions of the 12 months up to 2024-06-30: the 2023-01 ATM withdrawal is out,
    // and so are the fee, the salary and the interest (not "未注明"); his own purchase without a channel is in.
    expect(p.channelMix).toEqual([
      { channel: 'mobile', count: 20, amount: expect.any(Number) },
      { channel: 'counter', count: 10, amount: expect.any(Number) },
      { channel: 'unknown', count: 1, amount: 7 },
    ]);
    expect(p.recentTransactions).toHaveLength(20);
    expect(p.recentTransactions[0]!.txn_date >= p.recentTransactions[19]!.txn_date).toBe(true);
    expect(p.interactions).toHaveLength(20);
    expect(p.interactions[0]!.date).toBe('2024-06-23');
  });

  it('adds the latest scores and the tags of the latest succeeded tag run', () => {
    const p = customerPortrait(ws.db, 'C00002');
    expect(p.scores).toMatchObject({ value_tier: 'wealth', churn_prob: 0.1, as_of: '2024-06-30' });
    expect(p.tags.map((t) => t.tag_id).sort()).toEqual(['T_AGE', 'T_WEALTH']);
    expect(customerPortrait(ws.db, 'C00003').tags).toEqual([]);
  });

  it('reports an unknown customer as not_found in Chinese', () => {
    try {
      customerPortrait(ws.db, 'X999');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).code).toBe('not_found');
      expect((error as EngineError).message).toContain('找不到客户“X999”');
    }
  });
});
