/**
 * RFM, value tiers and lifecycle on the hand-built branch of fixture.ts, as of 2026-06-30, default settings.
 *
 * RFM measures (R = days since the last customer-initiated transaction, F = customer-initiated transactions
 * in the 12 months, M = 3-month average AUM over 2026-04..06):
 *
 *        R (days)  F    M (元)
 *   C01    0       41   8,000,000     (40 purchases + a cash deposit)
 *   C02    2        4     713,333.33  ((680k + 700k + 760k) / 3)
 *   C03   40       20     150,000
 *   C04   10       12      20,000
 *   C05  227        6     300,000     (salary and incoming transfers are passive: R stays 227)
 *   C06  112        8           0
 *   C07   20        8         500
 *   C08    5        3      60,000
 *   C09   none      0       5,000
 *   C10   30       15      50,000
 *
 * Quintile score = 1 + floor(5 × L / n), L = customers with a strictly lower value, n = 10: L 0–1 → 1,
 * 2–3 → 2, 4–5 → 3, 6–7 → 4, 8–9 → 5. R ranks −days (recent is high) and C09, who never transacted, has 1.
 *   R ascending −days: C09, C05, C06, C03, C10, C07, C04, C08, C02, C01 → 1 1 2 2 3 3 4 4 5 5
 *   F ascending: C09 0, C08 3, C02 4, C05 6, C06 8, C07 8, C04 12, C10 15, C03 20, C01 41
 *     → L = 0 1 2 3 4 4 6 7 8 9 → 1 1 2 2 3 3 4 4 5 5: the tie C06/C07 (L = 4) shares score 3
 *   M ascending: C06 0, C07 500, C09 5k, C04 20k, C10 50k, C08 60k, C03 150k, C05 300k, C02 713k, C01 8M
 *     → 1 1 2 2 3 3 4 4 5 5
 * Score means: R, F and M scores each sum to 30, mean 3.0.
 *
 * Classes by the default split, each measure against its own mean of the raw values (DESIGN.md §4):
 *   R: mean days over the nine who transacted = 446 / 9 = 49.56; recent (high) below it: every one but C05
 *      (227), C06 (112) and C09 (never).
 *   F: mean 117 / 10 = 11.7; high: C01 41, C03 20, C04 12, C10 15.
 *   M: mean 9,298,833.33 / 10 = 929,883.33; high: C01 alone (the mean of a skewed measure is high).
 *   → C01 important_value; C03, C04, C10 general_value; C02, C07, C08 general_develop; C05, C06, C09
 *     general_winback.
 *
 * By the median: R median of the nine 20 days (C01, C02, C04, C08 below); F median (8 + 8) / 2 = 8 (C01,
 * C03, C04, C10 above); M median (50,000 + 60,000) / 2 = 55,000 (C01, C02, C03, C05, C08 above):
 *   C01 important_value, C02 and C08 important_develop, C03 important_retain, C04 general_value,
 *   C05 important_winback, C10 general_retain, C06, C07 and C09 general_winback.
 *
 * By the mean score ("high" is a score above 3, i.e. 4 or 5):
 *
 *        R F M   high?    class
 *   C01  5 5 5   ↑ ↑ ↑    important_value    重要价值
 *   C02  5 2 5   ↑ ↓ ↑    important_develop  重要发展
 *   C03  2 5 4   ↓ ↑ ↑    important_retain   重要保持
 *   C04  4 4 2   ↑ ↑ ↓    general_value      一般价值
 *   C05  1 2 4   ↓ ↓ ↑    important_winback  重要挽留
 *   C06  2 3 1   ↓ ↓ ↓    general_winback    一般挽留
 *   C07  3 3 1   ↓ ↓ ↓    general_winback
 *   C08  4 1 3   ↑ ↓ ↓    general_develop    一般发展
 *   C09  1 1 2   ↓ ↓ ↓    general_winback
 *   C10  3 4 3   ↓ ↑ ↓    general_retain     一般保持
 *
 * Tiers on M (lower bounds inclusive: 金卡 50,000, 财富 500,000, 私行 6,000,000):
 *   C01 private; C02 wealth; C03, C05, C08, C10 (exactly 50,000) affluent; C04, C06, C07, C09 mass.
 *
 * Lifecycle (precedence 流失 > 沉睡 > 新客 > 衰退 > 成长 > 成熟):
 *   C06 churned  — both holdings closed on 2026-03-15 (its AUM never passed 50,000, so only this rule fires)
 *   C07 churned  — AUM 500 < 1,000 in 2026-06 after 80,000 > 50,000 in 2025
 *   C05 dormant  — last customer-initiated transaction 227 days ago ≥ 180
 *   C09 dormant  — never transacted, account opened in 2010
 *   C08 new      — opened 2026-03-15: 3 completed months < 6 (also up 600%, but new comes first)
 *   C03 declining — 3-month AUM 150,000 ≤ 600,000 (peak of 2025-10..2026-03) × 0.7
 *   C04 declining — 2 transactions in the last 90 days ≤ 10 in the 90 before × 0.5
 *   C02 growing  — 2026-01 600,000 → 2026-06 760,000: +26.7% ≥ 20%; 3-month AUM 713,333 > 650,000 × 0.7,
 *                  and 2 transactions in each 90-day window
 *   C01, C10 mature
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, settingsSchema } from '../../../shared/settings';
import type { Db } from '../../../electron/engine/db/workspace';
import { computeFeatureResult, type FeatureResult } from '../../../electron/engine/analytics/features';
import { computeLifecycle, computeRfm, computeTiers, quintileScores, RFM_CLASS_DEFS } from '../../../electron/engine/analytics/scores';
import { RFM_CLASS_LABELS } from '../../../shared/rule-fields';
import { RFM_CLASSES } from '../../../shared/analytics';
import { tempDir } from '../../support/temp';
import { AS_OF, buildFixture } from './fixture';

let db: Db;
let result: FeatureResult;
const ids = ['C01', 'C02', 'C03', 'C04', 'C05', 'C06', 'C07', 'C08', 'C09', 'C10'];

beforeAll(() => {
  db = buildFixture(tempDir()).db;
  result = computeFeatureResult(db, AS_OF);
});
afterAll(() => db.close());

const byCustomer = <T>(values: ArrayLike<T>) => Object.fromEntries(result.table.customerIds.map((id, i) => [id, values[i]]));

describe('RFM on the hand-built branch', () => {
  it('reads the measures the comments work from', () => {
    expect(result.table.customerIds).toEqual(ids);
    expect(byCustomer(result.table.columns.days_since_last_active_txn)).toEqual({ C01: 0, C02: 2, C03: 40, C04: 10, C05: 227, C06: 112, C07: 20, C08: 5, C09: Number.NaN, C10: 30 });
    expect(byCustomer(result.inputs.activeTxnFrequency)).toEqual({ C01: 41, C02: 4, C03: 20, C04: 12, C05: 6, C06: 8, C07: 8, C08: 3, C09: 0, C10: 15 });
    const m = byCustomer(result.table.columns.aum_avg_3m);
    expect(m.C02).toBeCloseTo(713_333.333, 2);
    expect({ ...m, C02: 0 }).toEqual({ C01: 8_000_000, C02: 0, C03: 150_000, C04: 20_000, C05: 300_000, C06: 0, C07: 500, C08: 60_000, C09: 5_000, C10: 50_000 });
  });

  it('scores quintiles with recency reversed, the tie shared, and no transactions at R = 1', () => {
    const rfm = computeRfm(result.table, result.inputs, DEFAULT_SETTINGS);
    expect(byCustomer(rfm.r)).toEqual({ C01: 5, C02: 5, C03: 2, C04: 4, C05: 1, C06: 2, C07: 3, C08: 4, C09: 1, C10: 3 });
    expect(byCustomer(rfm.f)).toEqual({ C01: 5, C02: 2, C03: 5, C04: 4, C05: 2, C06: 3, C07: 3, C08: 1, C09: 1, C10: 4 });
    expect(byCustomer(rfm.m)).toEqual({ C01: 5, C02: 5, C03: 4, C04: 2, C05: 4, C06: 1, C07: 1, C08: 3, C09: 2, C10: 3 });
    expect(rfm.means).toEqual({ r: 3, f: 3, m: 3 });
  });

  it('splits each measure at its own mean by default and records the cut points', () => {
    const rfm = computeRfm(result.table, result.inputs, DEFAULT_SETTINGS);
    expect(byCustomer(rfm.classes)).toEqual({
      C01: 'important_value',
      C02: 'general_develop',
      C03: 'general_value',
      C04: 'general_value',
      C05: 'general_winback',
      C06: 'general_winback',
      C07: 'general_develop',
      C08: 'general_develop',
      C09: 'general_winback',
      C10: 'general_value',
    });
    expect(rfm.cuts.split).toBe('raw_mean');
    expect(rfm.cuts.r.value).toBeCloseTo(446 / 9, 10);
    expect(rfm.cuts.r).toMatchObject({ boundary: 40, high: 7 });
    expect(rfm.cuts.f).toEqual({ value: 11.7, boundary: 12, high: 4 });
    expect(rfm.cuts.m.value).toBeCloseTo(929_883.333, 2);
    expect(rfm.cuts.m).toMatchObject({ boundary: 8_000_000, high: 1 });
  });

  it('splits at the median when the settings say so', () => {
    const rfm = computeRfm(result.table, result.inputs, settingsSchema.parse({ ...DEFAULT_SETTINGS, rfm: { ...DEFAULT_SETTINGS.rfm, split: 'median' } }));
    expect(byCustomer(rfm.classes)).toEqual({
      C01: 'important_value',
      C02: 'important_develop',
      C03: 'important_retain',
      C04: 'general_value',
      C05: 'important_winback',
      C06: 'general_winback',
      C07: 'general_winback',
      C08: 'important_develop',
      C09: 'general_winback',
      C10: 'general_retain',
    });
    expect(rfm.cuts).toMatchObject({ split: 'median', r: { value: 20, boundary: 10, high: 4 }, f: { value: 8, boundary: 12, high: 4 }, m: { value: 55_000, boundary: 60_000, high: 5 } });
  });

  it('puts every customer in exactly one of the 8 classes, split at the mean score when chosen', () => {
    const rfm = computeRfm(result.table, result.inputs, settingsSchema.parse({ ...DEFAULT_SETTINGS, rfm: { ...DEFAULT_SETTINGS.rfm, split: 'score_mean' } }));
    expect(rfm.cuts).toMatchObject({ split: 'score_mean', r: { value: 3 }, f: { value: 3 }, m: { value: 3 } });
    expect(byCustomer(rfm.classes)).toEqual({
      C01: 'important_value',
      C02: 'important_develop',
      C03: 'important_retain',
      C04: 'general_value',
      C05: 'important_winback',
      C06: 'general_winback',
      C07: 'general_winback',
      C08: 'general_develop',
      C09: 'general_winback',
      C10: 'general_retain',
    });
  });

  it('switches M to the 12-month inflow when the settings say so', () => {
    const settings = settingsSchema.parse({ ...DEFAULT_SETTINGS, rfm: { ...DEFAULT_SETTINGS.rfm, monetary: 'inflow_12m' } });
    const rfm = computeRfm(result.table, result.inputs, settings);
    // Inflows: C05 receives 12 salaries of 8,000 and a 2,000 transfer; C01 a 30,000 cash deposit; nobody else
    // anything. Eight customers tie at 0 (L = 0, score 1); C01 has L = 8 → 5; C05 has L = 9 → 5.
    expect(byCustomer(rfm.m)).toEqual({ C01: 5, C02: 1, C03: 1, C04: 1, C05: 5, C06: 1, C07: 1, C08: 1, C09: 1, C10: 1 });
  });

  it('defines one seed strategy per class, in natural Chinese', () => {
    expect(RFM_CLASS_DEFS.map((d) => d.code).sort()).toEqual([...RFM_CLASSES].sort());
    const patterns = new Set(RFM_CLASS_DEFS.map((d) => `${d.r}${d.f}${d.m}`));
    expect(patterns.size).toBe(8);
    for (const d of RFM_CLASS_DEFS) {
      expect(RFM_CLASS_LABELS[d.code]).toBeTruthy();
      expect(d.action).toMatch(/[\u4e00-\u9fff]{6,}/);
    }
  });
});

describe('quintile scores', () => {
  it('gives exact quintiles for distinct values and one score per tie', () => {
    expect([...quintileScores(Float64Array.from([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]))]).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
    expect([...quintileScores(Float64Array.from([0, 0, 0, 0, 0, 0, 0, 1, 2, 3]))]).toEqual([1, 1, 1, 1, 1, 1, 1, 4, 5, 5]);
    expect([...quintileScores(Float64Array.from([Number.NaN, 1, Number.NaN, 2, 3]))]).toEqual([1, 3, 1, 4, 5]);
    expect([...quintileScores(new Float64Array(0))]).toEqual([]);
  });
});

describe('value tiers and lifecycle on the hand-built branch', () => {
  it('tiers on 3-month average AUM with inclusive lower bounds', () => {
    expect(byCustomer(computeTiers(result.table.columns.aum_avg_3m, DEFAULT_SETTINGS.tiers))).toEqual({
      C01: 'private',
      C02: 'wealth',
      C03: 'affluent',
      C04: 'mass',
      C05: 'affluent',
      C06: 'mass',
      C07: 'mass',
      C08: 'affluent',
      C09: 'mass',
      C10: 'affluent',
    });
  });

  it('stages every customer by the documented precedence', () => {
    expect(byCustomer(computeLifecycle(result.table, result.inputs, DEFAULT_SETTINGS.lifecycle))).toEqual({
      C01: 'mature',
      C02: 'growing',
      C03: 'declining',
      C04: 'declining',
      C05: 'dormant',
      C06: 'churned',
      C07: 'churned',
      C08: 'new',
      C09: 'dormant',
      C10: 'mature',
    });
  });

  it('follows the thresholds in the settings', () => {
    // Growth at 30% leaves C02 (+26.7%) mature; dormancy at 240 days wakes C05 (227 days), whose activity
    // fell from 0 to 0 (no rule) and whose AUM is flat, so mature too.
    const rules = { ...DEFAULT_SETTINGS.lifecycle, growthPct: 30, dormantDays: 240 };
    const stages = byCustomer(computeLifecycle(result.table, result.inputs, rules));
    expect(stages.C02).toBe('mature');
    expect(stages.C05).toBe('mature');
    expect(stages.C09).toBe('dormant');
  });
});
