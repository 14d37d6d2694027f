/**
 * The churn label of labels.ts on a hand-built branch, every case worked out by hand.
 *
 * Balances run 2024-01..2024-12, so T = 2024-12-31; with h = 3 the features are as of F = 2024-09-30 and the
 * label window is (2024-09-30, 2024-12-31]. Default settings: dormantDays 180 (F − 180 d = 2024-04-03,
 * T − 180 d = 2024-07-04), churnAumBelow 1,000, churnAumWasAbove 50,000, aumLossPct 50.
 * The 3-month averages compare months 2024-07..09 (at F) with 2024-10..12 (at T).
 *
 *   A  stable: 100k every month, buys every month                         eligible, 0
 *   B  closes its only account on 2024-11-15; 20k, 20k, 20k | 20k, 10k, 0  eligible, 1 (closed + lost 50%)
 *   C  was 80k in March, 60k until November, 500 in December              eligible, 1 (drained; the average
 *      only fell from 60k to 40.2k, 33%)
 *   D  last own transaction 2024-06-20, only salary credits after it      eligible, 1 (went dormant: active
 *      at F, nothing customer-initiated in (2024-07-04, T])
 *   E  last own transaction 2024-03-01                                     dormant at F: excluded
 *   F  100k until September, then 40k                                      eligible, 1 (lost 60%)
 *   G  100k until September, then 60k                                      eligible, 0 (lost 40%)
 *   H  800 until September, then 100                                       eligible, 0 (under 1,000 元 at F)
 *   I  opened 2024-10-10                                                   not present at F
 *   J  closed its only account on 2024-08-01                               churned at F: excluded
 *   K  was 70k in February, 300 in September                               churned at F: excluded
 *   L  opened 2024-08-01, no transactions yet                              eligible (new, not dormant), 0
 *   M  own transactions of unknown type (blank) monthly                    eligible, 0 (a blank type counts
 *      as customer-initiated, so M is not dormant)
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../../shared/settings';
import { churnLabels, LABEL_REASON, type ChurnLabels } from '../../../../electron/engine/analytics/churn/labels';
import { churnPeriod, dataAsOf } from '../../../../electron/engine/analytics/churn/period';
import { openWorkspace, type Db } from '../../../../electron/engine/db/workspace';
import { tempDir } from '../../../support/temp';

const MONTHS = Array.from({ length: 12 }, (_, i) => `2024-${String(i + 1).padStart(2, '0')}`);

let db: Db;
let labels: ChurnLabels;

function customer(id: string, openDate: string): void {
  db.prepare('INSERT INTO customers (customer_id, name, open_date) VALUES (?, ?, ?)').run(id, `客户${id}`, openDate);
}

/** Monthly AUM from `from` on; `path` gives the value of each month (undefined = no row). */
function balances(id: string, path: (month: string, index: number) => number | undefined): void {
  const insert = db.prepare('INSERT INTO balances (customer_id, month, aum) VALUES (?, ?, ?)');
  MONTHS.forEach((month, i) => {
    const aum = path(month, i);
    if (aum !== undefined) insert.run(id, month, aum);
  });
}

function holding(id: string, openedAt: string, closedAt: string | null): void {
  db.prepare('INSERT INTO holdings (customer_id, product_id, opened_at, closed_at, balance) VALUES (?, ?, ?, ?, ?)').run(id, 'P1', openedAt, closedAt, 0);
}

let txn = 0;
function transaction(id: string, date: string, type: string | null): void {
  db.prepare('INSERT INTO transactions (txn_id, customer_id, txn_date, channel, type, amount, direction) VALUES (?, ?, ?, ?, ?, ?, ?)').run(`T${++txn}`, id, date, 'mobile', type, 100, 'out');
}

/** A customer-initiated purchase on the 15th of every month up to and including `lastMonth`. */
function monthlyPurchases(id: string, lastMonth = '2024-12', type: string | null = 'consume'): void {
  for (const month of MONTHS) if (month <= lastMonth) transaction(id, `${month}-15`, type);
}

beforeAll(() => {
  db = openWorkspace(join(tempDir(), 'labels.bpw'), { create: true });
  db.prepare("INSERT INTO products (product_id, name, category) VALUES ('P1', '活期储蓄', 'demand_deposit')").run();
  db.transaction(() => {
    customer('A', '2020-01-01');
    balances('A', () => 100_000);
    holding('A', '2020-01-01', null);
    monthlyPurchases('A');

    customer('B', '2020-01-01');
    balances('B', (m) => (m < '2024-11' ? 20_000 : m === '2024-11' ? 10_000 : 0));
    holding('B', '2020-01-01', '2024-11-15');
    monthlyPurchases('B', '2024-11');

    customer('C', '2020-01-01');
    balances('C', (m) => (m === '2024-03' ? 80_000 : m === '2024-12' ? 500 : 60_000));
    holding('C', '2020-01-01', null);
    monthlyPurchases('C');

    customer('D', '2020-01-01');
    balances('D', () => 30_000);
    holding('D', '2020-01-01', null);
    monthlyPurchases('D', '2024-05');
    transaction('D', '2024-06-20', 'consume');
    for (const month of MONTHS) transaction('D', `${month}-05`, 'salary');

    customer('E', '2020-01-01');
    balances('E', () => 30_000);
    holding('E', '2020-01-01', null);
    monthlyPurchases('E', '2024-02');
    transaction('E', '2024-03-01', 'consume');

    customer('F', '2020-01-01');
    balances('F', (m) => (m <= '2024-09' ? 100_000 : 40_000));
    holding('F', '2020-01-01', null);
    monthlyPurchases('F');

    customer('G', '2020-01-01');
    balances('G', (m) => (m <= '2024-09' ? 100_000 : 60_000));
    holding('G', '2020-01-01', null);
    monthlyPurchases('G');

    customer('H', '2020-01-01');
    balances('H', (m) => (m <= '2024-09' ? 800 : 100));
    holding('H', '2020-01-01', null);
    monthlyPurchases('H');

    customer('I', '2024-10-10');
    balances('I', (m) => (m >= '2024-10' ? 5_000 : undefined));
    holding('I', '2024-10-10', null);
    monthlyPurchases('I');

    customer('J', '2020-01-01');
    balances('J', (m) => (m < '2024-08' ? 20_000 : 0));
    holding('J', '2020-01-01', '2024-08-01');
    monthlyPurchases('J', '2024-07');

    customer('K', '2020-01-01');
    balances('K', (m) => (m === '2024-02' ? 70_000 : m >= '2024-09' ? 300 : 20_000));
    holding('K', '2020-01-01', null);
    monthlyPurchases('K');

    customer('L', '2024-08-01');
    balances('L', (m) => (m >= '2024-08' ? 5_000 : undefined));
    holding('L', '2024-08-01', null);

    customer('M', '2020-01-01');
    balances('M', () => 30_000);
    holding('M', '2020-01-01', null);
    monthlyPurchases('M', '2024-12', null);
  })();
  labels = churnLabels(db, churnPeriod(dataAsOf(db), 3), DEFAULT_SETTINGS);
});

afterAll(() => db.close());

const labelOf = (id: string) => {
  const i = labels.customerIds.indexOf(id);
  return i < 0 ? undefined : { y: labels.y[i], reasons: labels.reasons[i] };
};

describe('churn labels on a hand-built branch', () => {
  it('takes T from the balances and F = T − 3 months', () => {
    expect(labels.period).toEqual({ featuresAsOf: '2024-09-30', labelTo: '2024-12-31', horizonMonths: 3 });
  });

  it('keeps customers present and neither churned nor dormant at F', () => {
    expect(labels.customerIds).toEqual(['A', 'B', 'C', 'D', 'F', 'G', 'H', 'L', 'M']);
    expect(labels.counts).toMatchObject({ customers: 13, eligible: 9, notPresent: 1, churnedAtStart: 2, dormantAtStart: 1 });
  });

  it('labels churn, dormancy and asset loss in (F, T], with the reasons', () => {
    expect(labelOf('A')).toEqual({ y: 0, reasons: 0 });
    expect(labelOf('B')).toEqual({ y: 1, reasons: LABEL_REASON.closed | LABEL_REASON.aumLoss });
    expect(labelOf('C')).toEqual({ y: 1, reasons: LABEL_REASON.drained });
    expect(labelOf('D')).toEqual({ y: 1, reasons: LABEL_REASON.dormant });
    expect(labelOf('F')).toEqual({ y: 1, reasons: LABEL_REASON.aumLoss });
    expect(labelOf('G')).toEqual({ y: 0, reasons: 0 });
    expect(labelOf('H')).toEqual({ y: 0, reasons: 0 });
    expect(labelOf('L')).toEqual({ y: 0, reasons: 0 });
    expect(labelOf('M')).toEqual({ y: 0, reasons: 0 });
    expect(labels.counts.positives).toBe(4);
    expect(labels.counts.byReason).toEqual({ closed: 1, drained: 1, dormant: 1, aumLoss: 2 });
  });

  it('follows the settings', () => {
    // A 60% loss is under a 70% threshold.
    const strict = churnLabels(db, labels.period, { ...DEFAULT_SETTINGS, churn: { ...DEFAULT_SETTINGS.churn, aumLossPct: 70 } });
    expect(strict.y[strict.customerIds.indexOf('F')]).toBe(0);
    // With 90 days, F − 90 d = 2024-07-02: D (last own transaction 2024-06-20) is already dormant at F and
    // leaves the population; L (opened 2024-08-01) is still too new to be dormant.
    const short = churnLabels(db, labels.period, { ...DEFAULT_SETTINGS, lifecycle: { ...DEFAULT_SETTINGS.lifecycle, dormantDays: 90 } });
    expect(short.customerIds).not.toContain('D');
    expect(short.customerIds).toContain('L');
    expect(short.counts.dormantAtStart).toBe(2);
  });

  it('moves back by a horizon for the out-of-time check', () => {
    expect(churnPeriod('2024-12-31', 3, 1)).toEqual({ featuresAsOf: '2024-06-30', labelTo: '2024-09-30', horizonMonths: 3 });
    expect(churnPeriod('2024-02-29', 1)).toEqual({ featuresAsOf: '2024-01-31', labelTo: '2024-02-29', horizonMonths: 1 });
  });
});
