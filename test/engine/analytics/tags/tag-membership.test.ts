/**
 * Hand-checked membership of system tags on a branch of eight customers as of 2024-06-30, each planted on
 * a boundary: a birthday on the as-of date, a holding closed on it, a transaction one day outside a window,
 * and records dated after the as-of date, which no tag may read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeTags, evaluateTags } from '../../../../electron/engine/analytics/tags/compute-tags';
import { standaloneJobContext } from '../../../../electron/engine/context';
import type { Db } from '../../../../electron/engine/db/workspace';
import { CancelledError } from '../../../../electron/engine/errors';
import { tempWorkspace, type TempWorkspace } from '../../customers/fixture';
import { insertAnalysisRun } from '../support/analysis-fixture';

const AS_OF = '2024-06-30';

interface Planted {
  id: string;
  birth: string;
  open?: string;
  holdings?: [product: string, opened: string, closed: string | null][];
  /** [date, channel, type] */
  txns?: [string, string, string][];
  /** AUM in 2024-03 and 2024-06. */
  aum?: [number, number];
}

const CUSTOMERS: Planted[] = [
  {
    // Everything on: 64 years old, mortgage and payroll held, mobile use 10 days ago, AUM −30% in 3 months.
    id: 'K01', birth: '1960-01-15',
    holdings: [['FD001', '2020-01-01', null], ['DF001', '2019-05-01', null]],
    txns: [['2024-06-20', 'mobile', 'consume']],
    aum: [100_000, 70_000],
  },
  {
    // 60 tomorrow; mortgage opened after the as-of date, another closed on it; salary without a payroll
    // product; mobile use 36 days before and 2 days after; AUM −15%.
    id: 'K02', birth: '1964-07-01',
    holdings: [['FD001', '2024-07-15', null], ['FD002', '2010-01-01', '2024-06-30']],
    txns: [['2024-05-10', 'counter', 'salary'], ['2024-05-25', 'mobile', 'consume'], ['2024-07-02', 'mobile', 'consume']],
    aum: [100_000, 85_000],
  },
  {
    // 60 on the as-of date; mortgage closed only after it (still held); salary just outside the 3 months
    // and after the as-of date; mobile use 29 days before; wealth closed 46 days before, not bought again.
    id: 'K03', birth: '1964-06-30',
    holdings: [['FD001', '2019-01-01', '2024-08-01'], ['LC001', '2023-06-01', '2024-05-15']],
    txns: [['2024-03-31', '', 'salary'], ['2024-07-05', '', 'salary'], ['2024-06-01', 'mobile', 'transfer_out']],
    aum: [500, 0],
  },
  {
    // Wealth closed and bought again since; AUM exactly −20%.
    id: 'K04', birth: '1990-03-03',
    holdings: [['LC001', '2023-05-01', '2024-05-01'], ['LC002', '2024-05-20', null]],
    aum: [200_000, 160_000],
  },
  {
    // Wealth closed 20 days before the as-of date, bought again only after it.
    id: 'K05', birth: '1985-01-01',
    holdings: [['LC001', '2023-06-10', '2024-06-10'], ['LC002', '2024-07-10', null]],
  },
  {
    // Wealth closed 107 days before the as-of date: outside the 90 days.
    id: 'K06', birth: '1980-01-01',
    holdings: [['LC001', '2023-03-15', '2024-03-15']],
  },
  {
    // Opened after the as-of date: not a customer yet, whatever he holds.
    id: 'K07', birth: '1950-01-01', open: '2024-07-10',
    holdings: [['FD001', '2024-07-10', null], ['DF001', '2024-07-10', null]],
    txns: [['2024-07-11', 'mobile', 'salary']],
  },
  {
    // Payroll product closed before, another opened after the as-of date.
    id: 'K08', birth: '1975-01-01',
    holdings: [['DF001', '2018-01-01', '2024-01-01'], ['DF001', '2024-07-01', null]],
  },
];

function seed(db: Db): void {
  db.transaction(() => {
    const product = db.prepare('INSERT INTO products (product_id, name, category, risk_rating) VALUES (?, ?, ?, ?)');
    product.run('FD001', '住房按揭贷款', 'mortgage', 'R1');
    product.run('FD002', '二手房按揭贷款', 'mortgage', 'R1');
    product.run('DF001', '代发工资服务', 'payroll', 'R1');
    product.run('LC001', '稳利180天理财', 'wealth', 'R2');
    product.run('LC002', '安盈一年理财', 'wealth', 'R2');
    const customer = db.prepare('INSERT INTO customers (customer_id, name, birth_date, open_date) VALUES (?, ?, ?, ?)');
    const holding = db.prepare('INSERT INTO holdings (customer_id, product_id, opened_at, closed_at) VALUES (?, ?, ?, ?)');
    const txn = db.prepare('INSERT INTO transactions (txn_id, customer_id, txn_date, channel, type, amount, direction) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const balance = db.prepare('INSERT INTO balances (customer_id, month, aum) VALUES (?, ?, ?)');
    let t = 0;
    for (const c of CUSTOMERS) {
      customer.run(c.id, `客户${c.id}`, c.birth, c.open ?? '2015-01-01');
      for (const [product, opened, closed] of c.holdings ?? []) holding.run(c.id, product, opened, closed);
      for (const [date, channel, type] of c.txns ?? []) txn.run(`T${++t}`, c.id, date, channel || null, type, 1000, type === 'salary' ? 'in' : 'out');
      if (c.aum) {
        balance.run(c.id, '2024-03', c.aum[0]);
        balance.run(c.id, '2024-06', c.aum[1]);
      }
    }
  })();
}

describe('system tag membership on planted boundaries', () => {
  let ws: TempWorkspace;
  let members: (tagId: string) => string[];
  let runId: number;

  beforeAll(() => {
    ws = tempWorkspace();
    seed(ws.db);
    runId = insertAnalysisRun(ws.db, AS_OF).runId;
    const result = evaluateTags(ws.db, runId, AS_OF);
    expect(result.skipped).toEqual([]);
    expect(result.population).toBe(7);
    members = (tagId) => ws.db.prepare('SELECT customer_id FROM customer_tags WHERE run_id = ? AND tag_id = ? ORDER BY customer_id').pluck().all(runId, tagId) as string[];
  });
  afterAll(() => ws.close());

  it('老年客户: 60 or older on the as-of date, birthdays counted to the day', () => {
    expect(members('sys.senior')).toEqual(['K01', 'K03']);
  });

  it('有房贷: a mortgage held on the as-of date (closed later counts, closed on it or opened after does not)', () => {
    expect(members('sys.mortgage')).toEqual(['K01', 'K03']);
  });

  it('代发工资客户: a payroll product held, or a salary credit in the last 3 months', () => {
    expect(members('sys.payroll')).toEqual(['K01', 'K02']);
  });

  it('理财到期未续: wealth closed in the last 90 days and not bought again by the as-of date', () => {
    expect(members('sys.wealth_matured')).toEqual(['K03', 'K05']);
  });

  it('近三月资产下降: AUM down at least 20% on three months before, from at least 1,000', () => {
    expect(members('sys.aum_down_3m')).toEqual(['K01', 'K04']);
  });

  it('手机银行活跃: a mobile transaction in the 30 days up to the as-of date', () => {
    expect(members('sys.mobile_active')).toEqual(['K01', 'K03']);
  });

  it('a customer opened after the as-of date carries no tag', () => {
    const tagged = ws.db.prepare("SELECT count(*) FROM customer_tags WHERE customer_id = 'K07'").pluck().get();
    expect(tagged).toBe(0);
  });

  it('reports progress and, when cancelled, leaves the run’s tags as they were, inside the caller’s transaction', () => {
    const before = ws.db.prepare('SELECT count(*) FROM customer_tags WHERE run_id = ?').pluck().get(runId);
    const controller = new AbortController();
    const seen: string[] = [];
    const ctx = standaloneJobContext(ws.db, {
      signal: controller.signal,
      onProgress: (phase, done, total) => {
        seen.push(`${phase} ${done}/${total}`);
        if (done > 0) controller.abort();
      },
    });
    // runAnalysis calls computeTags inside its own write transaction.
    ws.db.exec('BEGIN IMMEDIATE');
    try {
      expect(() => computeTags(ws.db, runId, AS_OF, ctx)).toThrow(CancelledError);
      expect(ws.db.inTransaction).toBe(true);
      expect(ws.db.prepare('SELECT count(*) FROM customer_tags WHERE run_id = ?').pluck().get(runId)).toBe(before);
    } finally {
      ws.db.exec('ROLLBACK');
    }
    expect(seen[0]).toMatch(/^计算标签 0\/\d+$/);
    expect(seen).toHaveLength(2);
  });
});
