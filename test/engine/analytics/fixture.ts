/**
 * A hand-built branch of ten customers (C01..C10) plus one opened after the as-of date (C11), written with
 * SQL into a real workspace. As of 2026-06-30 (balance months 2025-07..2026-06) each customer tells one
 * story; the expected RFM scores, classes, tiers and lifecycle stages are worked out in analytics-core.test.ts.
 *
 * Transactions are given as days before the as-of date (0 = 2026-06-30). "Active" rows are customer-
 * initiated (type consume); passive rows are salary or transfer_in (shared/dictionary.ts).
 *
 *      story                                   AUM by month (元, 2025-07 → 2026-06)           active txns (days before)
 * C01  private, steady, very active            8,000,000 ×12                                  40: 0, 9, 18, …, 351
 * C02  wealth, AUM growing, few txns           600k ×7, 620k, 650k, 680k, 700k, 760k          4: 2, 46, 107, 135
 * C03  fell from wealth to affluent            600k ×9, 150k ×3                               20: 40, 55, …, 325
 * C04  mass, activity fell away                20k ×12                                        12: 10, 40, 95, 100, …, 140
 * C05  affluent, dormant (salary keeps coming) 300k ×12                                       6: 227, 240, 260, 280, 300, 320
 * C06  every account closed on 2026-03-15      40k ×8, 20k, 0, 0, 0                           8: 112, 130, 150, 170, 200, 230, 260, 290
 * C07  drained after being over 50,000         80k ×6, 500 ×6                                 8: 20, 60, 100, …, 300
 * C08  new (opened 2026-03-15)                 — ×8, 10k, 50k, 60k, 70k                       3: 5, 30, 60
 * C09  never transacts                         5k ×12                                         none
 * C10  affluent on the boundary, steady        50k ×12                                        15: 30, 52, 74, …, 338
 * C11  opened 2026-07-05, after the as-of date (excluded)
 */
import { join } from 'node:path';
import { openWorkspace, type Db } from '../../../electron/engine/db/workspace';
import { addDays } from '../../../electron/engine/analytics/dates';

export const AS_OF = '2026-06-30';
export const MONTHS = ['2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06'];

const rep = (value: number, times: number) => Array.from({ length: times }, () => value);
const every = (first: number, step: number, count: number) => Array.from({ length: count }, (_, k) => first + step * k);

interface FixtureCustomer {
  id: string;
  name: string;
  birth: string;
  open: string;
  risk: string | null;
  manager: string;
  /** AUM per month of MONTHS; null where there is no row. */
  aum: (number | null)[];
  active: number[];
}

export const CUSTOMERS: readonly FixtureCustomer[] = [
  { id: 'C01', name: '王大明', birth: '1960-03-15', open: '2015-01-10', risk: '2026-01-10', manager: 'M1', aum: rep(8_000_000, 12), active: every(0, 9, 40) },
  { id: 'C02', name: '李小红', birth: '1975-07-01', open: '2012-05-20', risk: '2025-06-30', manager: 'M1', aum: [...rep(600_000, 7), 620_000, 650_000, 680_000, 700_000, 760_000], active: [2, 46, 107, 135] },
  { id: 'C03', name: '张伟', birth: '1980-12-31', open: '2016-02-29', risk: null, manager: 'M2', aum: [...rep(600_000, 9), ...rep(150_000, 3)], active: every(40, 15, 20) },
  { id: 'C04', name: '刘芳', birth: '1990-06-30', open: '2019-09-09', risk: '2026-06-30', manager: 'M2', aum: rep(20_000, 12), active: [10, 40, ...every(95, 5, 10)] },
  { id: 'C05', name: '陈静', birth: '1955-01-01', open: '2018-05-01', risk: '2024-12-31', manager: 'M1', aum: rep(300_000, 12), active: [227, 240, 260, 280, 300, 320] },
  { id: 'C06', name: '杨洋', birth: '1985-05-05', open: '2019-03-01', risk: '2025-01-31', manager: 'M2', aum: [...rep(40_000, 8), 20_000, 0, 0, 0], active: [112, 130, 150, 170, 200, 230, 260, 290] },
  { id: 'C07', name: '赵磊', birth: '1970-10-10', open: '2014-08-08', risk: '2025-08-08', manager: 'M1', aum: [...rep(80_000, 6), ...rep(500, 6)], active: every(20, 40, 8) },
  { id: 'C08', name: '周杰', birth: '2000-02-29', open: '2026-03-15', risk: '2026-03-15', manager: 'M2', aum: [...rep(Number.NaN, 8), 10_000, 50_000, 60_000, 70_000].map((v) => (v === v ? v : null)), active: [5, 30, 60] },
  { id: 'C09', name: '吴敏', birth: '1948-11-11', open: '2010-01-01', risk: null, manager: 'M1', aum: rep(5_000, 12), active: [] },
  { id: 'C10', name: '郑欧阳娜', birth: '1982-04-04', open: '2011-11-11', risk: '2023-12-15', manager: 'M2', aum: rep(50_000, 12), active: every(30, 22, 15) },
];

const CHANNELS = ['mobile', 'counter', 'atm', 'pos'] as const;

export interface Fixture {
  db: Db;
  path: string;
}

/** Creates the fixture workspace in `dir`. */
export function buildFixture(dir: string, fileName = 'fixture.bpw'): Fixture {
  const path = join(dir, fileName);
  const db = openWorkspace(path, { create: true });
  db.transaction(() => {
    db.prepare("INSERT INTO managers (manager_id, name) VALUES ('M1', '孙经理'), ('M2', '钱经理')").run();
    db.prepare(
      `INSERT INTO products (product_id, name, category, risk_rating) VALUES
       ('P_DEP', '活期储蓄', 'demand_deposit', 'R1'), ('P_WLT', '稳健理财', 'wealth', 'R2'),
       ('P_FUND', '指数基金', 'fund', 'R3'), ('P_LOAN', '住房贷款', 'mortgage', 'R1')`,
    ).run();
    const customer = db.prepare('INSERT INTO customers (customer_id, name, birth_date, open_date, risk_level, risk_assessed_at, manager_id) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const balance = db.prepare('INSERT INTO balances (customer_id, month, aum, deposit, wealth, loan) VALUES (?, ?, ?, ?, ?, ?)');
    const holding = db.prepare('INSERT INTO holdings (customer_id, product_id, opened_at, closed_at, balance) VALUES (?, ?, ?, ?, ?)');
    const txn = db.prepare('INSERT INTO transactions (txn_id, customer_id, txn_date, channel, type, amount, direction) VALUES (?, ?, ?, ?, ?, ?, ?)');
    let txnNo = 0;
    const addTxn = (customerId: string, date: string, channel: string | null, type: string, amount: number, direction: 'in' | 'out') =>
      txn.run(`T${String(++txnNo).padStart(6, '0')}`, customerId, date, channel, type, amount, direction);

    for (const c of CUSTOMERS) {
      customer.run(c.id, c.name, c.birth, c.open, c.risk === null ? null : 'C3', c.risk, c.manager);
      c.aum.forEach((aum, m) => {
        if (aum === null) return;
        // C01 holds most of its assets in wealth products; everybody else in deposits.
        const wealth = c.id === 'C01' ? 5_000_000 : 0;
        balance.run(c.id, MONTHS[m], aum, aum - wealth, wealth, 0);
      });
      c.active.forEach((days, k) => addTxn(c.id, addDays(AS_OF, -days), CHANNELS[k % 4], 'consume', 100 + k, 'out'));
      holding.run(c.id, 'P_DEP', c.open, c.id === 'C06' ? '2026-03-15' : null, null);
    }
    // C01 also holds wealth and a fund: 3 products in 3 categories.
    holding.run('C01', 'P_WLT', '2020-01-01', null, 5_000_000);
    holding.run('C01', 'P_FUND', '2021-06-01', null, 100_000);
    // C06's fund was closed with the rest: every holding closed by 2026-03-15.
    holding.run('C06', 'P_FUND', '2019-06-01', '2026-03-15', 0);
    // C02 took a mortgage that matured before the as-of date.
    holding.run('C02', 'P_LOAN', '2006-01-01', '2026-01-01', 0);

    // Passive postings to C05: a salary on day 5, 35, …, 335 and an incoming transfer yesterday; they make
    // C05 look busy but are no sign of life (R and dormancy ignore them).
    for (const days of every(5, 30, 12)) addTxn('C05', addDays(AS_OF, -days), null, 'salary', 8_000, 'in');
    addTxn('C05', addDays(AS_OF, -1), 'mobile', 'transfer_in', 2_000, 'in');
    // C01 receives money within the last 3 months: inflow_3m = 30,000.
    addTxn('C01', '2026-05-20', 'counter', 'cash_deposit', 30_000, 'in');

    const interaction = db.prepare('INSERT INTO interactions (customer_id, date, channel, kind, outcome) VALUES (?, ?, ?, ?, ?)');
    interaction.run('C10', '2025-05-01', 'phone', 'complaint', '超过12个月');
    interaction.run('C10', '2025-08-01', 'phone', 'complaint', '排队时间长');
    interaction.run('C10', '2026-02-01', 'counter', 'complaint', '收费不合理');
    interaction.run('C03', '2026-04-01', 'phone', 'call', '已接通');

    // C11 opens after the as-of date and is in no feature table as of 2026-06-30.
    customer.run('C11', '林新', '1995-05-05', '2026-07-05', 'C2', '2026-07-05', 'M1');
  })();
  return { db, path };
}

/**
 * Rows dated after `AS_OF` for every source: none of them may change a feature as of AS_OF.
 */
export function addFutureRows(db: Db): void {
  db.transaction(() => {
    const txn = db.prepare('INSERT INTO transactions (txn_id, customer_id, txn_date, channel, type, amount, direction) VALUES (?, ?, ?, ?, ?, ?, ?)');
    let no = 0;
    for (const c of CUSTOMERS) {
      for (const date of ['2026-07-01', '2026-07-15', '2026-09-30']) {
        txn.run(`F${String(++no).padStart(6, '0')}`, c.id, date, 'mobile', 'consume', 999, 'out');
        txn.run(`F${String(++no).padStart(6, '0')}`, c.id, date, null, 'salary', 5_000, 'in');
      }
      db.prepare('INSERT INTO balances (customer_id, month, aum, deposit, wealth, loan) VALUES (?, ?, ?, ?, ?, ?)').run(c.id, '2026-07', 9_999_999, 1, 1, 1);
      db.prepare("INSERT INTO interactions (customer_id, date, channel, kind, outcome) VALUES (?, '2026-07-02', 'phone', 'complaint', '未来的投诉')").run(c.id);
      db.prepare("INSERT INTO holdings (customer_id, product_id, opened_at, closed_at, balance) VALUES (?, 'P_WLT', '2026-07-03', NULL, 1)").run(c.id);
    }
    // A holding open on the as-of date and closed after it still counts as held on the as-of date.
    db.prepare("UPDATE holdings SET closed_at = '2026-07-10' WHERE customer_id = 'C01' AND product_id = 'P_FUND'").run();
    // The customer opened after the as-of date gets a full history too.
    db.prepare("INSERT INTO balances (customer_id, month, aum) VALUES ('C11', '2026-07', 1000000)").run();
    txn.run('F999999', 'C11', '2026-07-06', 'counter', 'consume', 10, 'out');
  })();
}
