import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRANSACTION_TYPE_LABELS } from '../../../shared/dictionary';
import { PRODUCTS } from '../../../electron/engine/demo/reference-data';
import { dayOf, generate, readCsv, removeDir } from './helpers';

/**
 * The demo does not contradict itself (issue #14): what flows in and out of a customer's accounts explains
 * how the customer's assets move, salary does not pile up untouched, and only customers with mobile banking
 * use the app. Measured on the generated export files, the way an analyst's own files would be checked.
 */
const MONTHS = 24;
const LAST = '2026-10';
const START = '2025-10';

const label = (type: string) => TRANSACTION_TYPE_LABELS[type] as string;
/** Moves inside the customer's assets (deposit ↔ wealth, fund): neither in nor out. */
const INTERNAL = new Set(['wealth_buy', 'wealth_redeem', 'fund_buy'].map(label));
const SALARY = label('salary');

interface Flow {
  inflow: number;
  outflow: number;
  salary: number;
}

describe('demo consistency', () => {
  let dir = '';
  const aum = new Map<string, Map<string, number>>();
  const flows = new Map<string, Flow>();
  const mobileSpans = new Map<string, [number, number][]>();
  let mobileTxns = 0;
  let mobileWithoutApp = 0;
  let appSurveys = 0;
  let appSurveysWithoutApp = 0;

  const hasApp = (customer: string, day: number) => (mobileSpans.get(customer) ?? []).some(([from, to]) => from <= day && day < to);

  beforeAll(async () => {
    const run = await generate('consistency', { customers: 1500, txPerYear: 60, months: MONTHS });
    dir = run.dir;
    const app = new Set(PRODUCTS.filter((p) => p.category === 'mobile_banking').map((p) => p.id));
    for (const r of readCsv(join(dir, 'holdings.csv')).rows) {
      if (!app.has(r[1] as string)) continue;
      const spans = mobileSpans.get(r[0] as string) ?? [];
      spans.push([dayOf(r[2] as string), r[3] ? dayOf(r[3] as string) : Number.POSITIVE_INFINITY]);
      mobileSpans.set(r[0] as string, spans);
    }
    for (const r of readCsv(join(dir, 'balances.csv')).rows) {
      const months = aum.get(r[0] as string) ?? new Map<string, number>();
      months.set(r[1] as string, Number(r[2]));
      aum.set(r[0] as string, months);
    }
    const from = dayOf('2025-10-31');
    const to = dayOf('2026-10-31');
    for (const r of readCsv(join(dir, 'transactions.csv')).rows) {
      const [, customer, date, channel, type, amount, direction] = r as [string, string, string, string, string, string, string];
      const day = dayOf(date);
      if (channel === '手机银行') {
        mobileTxns++;
        if (!hasApp(customer, day)) mobileWithoutApp++;
      }
      if (day <= from || day > to || INTERNAL.has(type)) continue;
      const f = flows.get(customer) ?? { inflow: 0, outflow: 0, salary: 0 };
      if (direction === '贷') f.inflow += Number(amount);
      else f.outflow += Number(amount);
      if (type === SALARY) f.salary += Number(amount);
      flows.set(customer, f);
    }
    for (const r of readCsv(join(dir, 'interactions.csv')).rows) {
      if (r[2] !== '手机银行') continue;
      appSurveys++;
      if (!hasApp(r[0] as string, dayOf(r[1] as string))) appSurveysWithoutApp++;
    }
  });
  afterAll(() => removeDir(dir));

  it('books 手机银行 transactions and surveys only for customers who hold mobile banking on that day', () => {
    expect(mobileTxns).toBeGreaterThan(10_000);
    expect(mobileWithoutApp).toBe(0);
    expect(appSurveys).toBeGreaterThan(10);
    expect(appSurveysWithoutApp).toBe(0);
  });

  /** Net flow of the 12 months against the change of the monthly average assets, as 流入与余额不符 checks it. */
  const gaps = () =>
    [...flows.entries()].flatMap(([customer, f]) => {
      const start = aum.get(customer)?.get(START);
      const end = aum.get(customer)?.get(LAST);
      if (start === undefined || end === undefined) return [];
      return [{ customer, f, change: end - start, gap: Math.abs(f.inflow - f.outflow - (end - start)) }];
    });

  it('lets a year of flows explain a year of balances (流入与余额不符 finds almost no one)', () => {
    const rows = gaps();
    expect(rows.length).toBeGreaterThan(1000);
    // The import's data-quality check: a gap above 5 万元 and above half of the money moved.
    const flagged = rows.filter((r) => r.gap > 50_000 && r.gap > 0.5 * (r.f.inflow + r.f.outflow));
    expect(flagged.length / rows.length).toBeLessThan(0.01);
    // And far tighter than the check: for most customers the gap is a small part of the money moved.
    const moved = rows.filter((r) => r.f.inflow + r.f.outflow > 10_000);
    const close = moved.filter((r) => r.gap <= 0.2 * (r.f.inflow + r.f.outflow));
    expect(close.length / moved.length).toBeGreaterThan(0.8);
  });

  it('spends salary: a payroll customer whose assets stay flat sends out about what comes in', () => {
    const flat = gaps().filter((r) => r.f.salary > 30_000 && Math.abs(r.change) < 0.1 * r.f.salary);
    expect(flat.length).toBeGreaterThan(20);
    const spent = flat.map((r) => r.f.outflow / r.f.inflow).sort((a, b) => a - b);
    expect(spent[Math.floor(spent.length / 2)]).toBeGreaterThan(0.85);
    expect(spent[Math.floor(spent.length * 0.1)]).toBeGreaterThan(0.6);
  });
});
