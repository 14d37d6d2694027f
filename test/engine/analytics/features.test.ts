/**
 * Features as of a date on the hand-built branch (fixture.ts): the definitions hold on known rows, and no
 * feature reads anything dated after the as-of date.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FEATURE_KEYS } from '../../../shared/analytics';
import type { Db } from '../../../electron/engine/db/workspace';
import { computeFeatureResult, computeFeatureResultParallel, computeFeatures, type FeatureTable } from '../../../electron/engine/analytics/features';
import { lastCompleteMonth } from '../../../electron/engine/analytics/dates';
import { tempDir } from '../../support/temp';
import { addFutureRows, AS_OF, buildFixture } from './fixture';

const dir = tempDir();
let open: Db[] = [];
const fixture = (name: string) => {
  const { db } = buildFixture(dir, name);
  open.push(db);
  return db;
};
afterEach(() => {
  for (const db of open) db.close();
  open = [];
});

const row = (table: FeatureTable, id: string) => {
  const i = table.customerIds.indexOf(id);
  expect(i).toBeGreaterThanOrEqual(0);
  return Object.fromEntries(FEATURE_KEYS.map((key) => [key, table.columns[key][i]]));
};

describe('features as of a date', () => {
  it('computes each documented feature on known rows', () => {
    const db = fixture('definitions.bpw');
    const table = computeFeatures(db, AS_OF);
    // C11 opened on 2026-07-05, after the as-of date.
    expect(table.customerIds).not.toContain('C11');
    expect(table.asOf).toBe(AS_OF);

    const c01 = row(table, 'C01');
    expect(c01.age).toBe(66); // born 1960-03-15
    expect(c01.tenure_months).toBe(137); // 2015-01-10 → 2026-06-10 is 137 months; the 138th ends on 2026-07-10
    expect(c01.months_since_risk_assessment).toBe(5); // 2026-01-10 → 2026-06-30
    expect(c01.aum_latest).toBe(8_000_000);
    expect(c01.aum_avg_12m).toBe(8_000_000);
    expect(c01.aum_trend_slope_6m).toBe(0);
    expect(c01.aum_change_pct_6m).toBe(0);
    expect(c01.deposit_share).toBe(0.375);
    expect(c01.wealth_share).toBe(0.625);
    expect(c01.loan_share).toBe(0);
    expect(c01.product_count).toBe(3);
    expect(c01.category_count).toBe(3);
    // Purchases every 9 days from day 0, plus the cash deposit on day 41.
    expect(c01.txn_count_30d).toBe(4); // days 0, 9, 18, 27
    expect(c01.txn_count_90d).toBe(11); // days 0..81 and 41
    expect(c01.txn_count_365d).toBe(41);
    expect(c01.days_since_last_active_txn).toBe(0);
    // Channels cycle mobile/counter/atm/pos over the 40 purchases; the deposit was at the counter.
    expect(c01.mobile_share).toBeCloseTo(10 / 41, 12);
    expect(c01.counter_share).toBeCloseTo(11 / 41, 12);
    expect(c01.atm_share).toBeCloseTo(10 / 41, 12);
    expect(c01.inflow_3m).toBe(30_000);
    // Purchases of 100 + k dated after 2026-03-31, i.e. on days 9k ≤ 90: k = 0..10.
    expect(c01.outflow_3m).toBe(11 * 100 + (10 * 11) / 2);
    expect(c01.complaints_12m).toBe(0);

    const c02 = row(table, 'C02');
    // 2026-01..06: 600k, 620k, 650k, 680k, 700k, 760k against x = −5..0: OLS slope 535,000 / 17.5 per month.
    expect(c02.aum_trend_slope_6m).toBeCloseTo(535_000 / 17.5, 6);
    expect(c02.aum_change_pct_6m).toBeCloseTo((160 / 600) * 100, 10);
    expect(c02.aum_avg_12m).toBeCloseTo((600_000 * 7 + 620_000 + 650_000 + 680_000 + 700_000 + 760_000) / 12, 6);
    expect(c02.product_count).toBe(1); // the mortgage matured on 2026-01-01
    expect(c02.months_since_risk_assessment).toBe(12);

    const c05 = row(table, 'C05');
    // Salary (day 5) and the incoming transfer (day 1) are not the customer's doing: no activity counted.
    expect(c05.txn_count_30d).toBe(0);
    expect(c05.days_since_last_active_txn).toBe(227);
    expect(c05.inflow_3m).toBe(3 * 8_000 + 2_000); // salaries on days 5, 35, 65: money in, whoever sent it
    // Channel shares are over his own 6 purchases (mobile, counter, atm, pos, mobile, counter), not the
    // transfer he received on the phone.
    expect(c05.mobile_share).toBeCloseTo(2 / 6, 12);

    const c06 = row(table, 'C06');
    expect(c06.product_count).toBe(0);
    expect(c06.category_count).toBe(0);
    expect(c06.aum_latest).toBe(0);
    expect(c06.deposit_share).toBeNaN(); // a share of nothing

    const c08 = row(table, 'C08');
    expect(c08.tenure_months).toBe(3);
    expect(c08.aum_avg_12m).toBe(47_500); // four months of rows
    expect(c08.aum_change_pct_6m).toBe(600); // 10,000 → 70,000 over the rows it has
    expect(c08.age).toBe(26); // born 2000-02-29

    const c09 = row(table, 'C09');
    expect(c09.txn_count_365d).toBe(0);
    expect(c09.days_since_last_active_txn).toBeNaN();
    expect(c09.mobile_share).toBeNaN();
    expect(c09.months_since_risk_assessment).toBeNaN();

    expect(row(table, 'C10').complaints_12m).toBe(2); // 2025-05-01 is more than 12 months back
    expect(row(table, 'C03').tenure_months).toBe(124); // 2016-02-29 → 2026-06-30
  });

  it('finds the last active transaction beyond the 12-month window', () => {
    const db = fixture('old-activity.bpw');
    db.prepare("INSERT INTO transactions (txn_id, customer_id, txn_date, channel, type, amount, direction) VALUES ('OLD1', 'C09', '2024-01-15', 'counter', 'withdraw', 100, 'out')").run();
    db.prepare("INSERT INTO transactions (txn_id, customer_id, txn_date, channel, type, amount, direction) VALUES ('OLD2', 'C09', '2024-03-15', NULL, 'interest', 1, 'in')").run();
    const c09 = row(computeFeatures(db, AS_OF), 'C09');
    expect(c09.days_since_last_active_txn).toBe(897); // 2024-01-15 → 2026-06-30; the later interest is passive
    expect(c09.txn_count_365d).toBe(0);
  });

  it('leaves a source’s features missing when the source has no data up to the as-of date', () => {
    const db = fixture('sources.bpw');
    const { table, inputs } = computeFeatureResult(db, '2025-06-30');
    // Balances start in 2025-07 and transactions in 2025-07-14: both are the future on 2025-06-30.
    expect(inputs.available).toEqual({ transactions: false, balances: false, holdings: true, interactions: true });
    const c01 = row(table, 'C01');
    expect(c01.txn_count_365d).toBeNaN();
    expect(c01.aum_avg_3m).toBeNaN();
    expect(c01.product_count).toBe(3);
    expect(row(table, 'C10').complaints_12m).toBe(1);
    expect(table.customerIds).not.toContain('C08'); // opened 2026-03-15
  });
});

describe('the parallel computation', () => {
  it('returns the sequential table value for value, block boundaries included', async () => {
    const db = fixture('parallel.bpw');
    addFutureRows(db);
    for (const asOf of [AS_OF, '2026-05-15']) {
      const sequential = computeFeatureResult(db, asOf);
      for (const threads of [2, 3, 4]) {
        const parallel = await computeFeatureResultParallel(db, asOf, { threads, minCustomersPerThread: 1 });
        expect(parallel.threads).toBe(threads);
        expect(parallel.table.customerIds).toEqual(sequential.table.customerIds);
        for (const key of FEATURE_KEYS) expect([...parallel.table.columns[key]], `${key} with ${threads} threads`).toEqual([...sequential.table.columns[key]]);
        expect(parallel.inputs).toEqual(sequential.inputs);
      }
    }
  });

  it('stays on the calling thread for small branches', async () => {
    const db = fixture('small.bpw');
    expect((await computeFeatureResultParallel(db, AS_OF, { threads: 4 })).threads).toBe(1);
  });

  it('stops every thread when cancelled', async () => {
    const db = fixture('parallel-cancel.bpw');
    let calls = 0;
    const cancelled = new Error('cancelled');
    const run = computeFeatureResultParallel(db, AS_OF, {
      threads: 3,
      minCustomersPerThread: 1,
      throwIfCancelled: () => {
        if (++calls > 2) throw cancelled;
      },
    });
    await expect(run).rejects.toBe(cancelled);
    // The connection is free for the next computation.
    expect(db.inTransaction).toBe(false);
    expect(computeFeatures(db, AS_OF).customerIds).toHaveLength(10);
  });
});

describe('no feature reads data after the as-of date', () => {
  const same = (a: FeatureTable, b: FeatureTable) => {
    expect(b.customerIds).toEqual(a.customerIds);
    for (const key of FEATURE_KEYS) expect([...b.columns[key]], key).toEqual([...a.columns[key]]);
  };

  it('is unchanged by transactions, balances, complaints, holdings and customers dated after it', () => {
    const db = fixture('future.bpw');
    const before = computeFeatureResult(db, AS_OF);
    addFutureRows(db);
    const after = computeFeatureResult(db, AS_OF);
    same(before.table, after.table);
    expect(after.inputs).toEqual(before.inputs);
  });

  it.each(['2026-05-15', '2026-03-31', '2025-12-31'])('as of %s equals the features of the data cut at that date', (asOf) => {
    const full = fixture(`full-${asOf}.bpw`);
    addFutureRows(full);
    const cut = fixture(`cut-${asOf}.bpw`);
    addFutureRows(cut);
    truncate(cut, asOf);
    same(computeFeatures(full, asOf), computeFeatures(cut, asOf));
  });
});

/** Deletes or blanks everything the workspace could not have known on `asOf`. */
function truncate(db: Db, asOf: string): void {
  db.transaction(() => {
    db.prepare('DELETE FROM customers WHERE open_date > ?').run(asOf);
    db.prepare('DELETE FROM transactions WHERE txn_date > ?').run(asOf);
    db.prepare('DELETE FROM balances WHERE month > ?').run(lastCompleteMonth(asOf));
    db.prepare('DELETE FROM interactions WHERE date > ?').run(asOf);
    db.prepare('DELETE FROM holdings WHERE opened_at > ?').run(asOf);
    db.prepare('UPDATE holdings SET closed_at = NULL WHERE closed_at > ?').run(asOf);
    db.prepare('UPDATE customers SET risk_assessed_at = NULL WHERE risk_assessed_at > ?').run(asOf);
  })();
}
