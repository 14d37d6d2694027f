/**
 * The analytics on a generated 2,000-customer demo branch, through the EngineHost like the app: features
 * are plausible, the decay the generator planted shows in the AUM trend, every customer gets one score row,
 * and the migration matrix agrees with the tiers counted independently.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_KEYS, TIER_CODES, VALUE_TIERS, type FeatureKey } from '../../../shared/analytics';
import { DEFAULT_SETTINGS } from '../../../shared/settings';
import { EngineHost } from '../../../electron/engine/host';
import { openWorkspace, type Db } from '../../../electron/engine/db/workspace';
import { computeFeatureResult, computeFeatureResultParallel, computeFeatures, type FeatureTable } from '../../../electron/engine/analytics/features';
import { tierOf } from '../../../electron/engine/analytics/scores';
import { Calendar } from '../../../electron/engine/demo/calendar';
import { generateProfile } from '../../../electron/engine/demo/customers';
import { buildPlan, campaignsFor } from '../../../electron/engine/demo/plan';
import { DEMO_DEFAULTS } from '../../../electron/engine/demo';
import { tempDir } from '../../support/temp';

const CUSTOMERS = 2000;
const MONTHS = 24;
const path = join(tempDir(), 'demo.bpw');
let host: EngineHost;
let db: Db;
let table: FeatureTable;

beforeAll(async () => {
  host = new EngineHost({ log: () => {} });
  await host.runJob('demo.create', { path, customers: CUSTOMERS, txPerYear: 30, analyze: false });
  await host.call('workspace.open', { path });
  db = openWorkspace(path);
  table = computeFeatures(db, '2026-10-31');
});
afterAll(async () => {
  db?.close();
  await host?.close();
});

const values = (key: FeatureKey) => [...table.columns[key]].filter((v) => !Number.isNaN(v));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('features on the demo branch', () => {
  it('has one row per customer opened by the as-of date, with plausible values', () => {
    expect(table.customerIds.length).toBe(CUSTOMERS);
    for (const key of ['deposit_share', 'wealth_share', 'mobile_share', 'counter_share', 'atm_share'] as const) {
      const xs = values(key);
      expect(xs.length, key).toBeGreaterThan(CUSTOMERS * 0.8);
      expect(Math.min(...xs), key).toBeGreaterThanOrEqual(0);
      expect(Math.max(...xs), key).toBeLessThanOrEqual(1);
    }
    const i = table.customerIds.length;
    for (let k = 0; k < i; k++) {
      const mobile = table.columns.mobile_share[k]!;
      if (!Number.isNaN(mobile)) expect(mobile + table.columns.counter_share[k]! + table.columns.atm_share[k]!).toBeLessThanOrEqual(1 + 1e-9);
    }
    for (const key of ['product_count', 'category_count', 'txn_count_30d', 'txn_count_90d', 'txn_count_365d', 'inflow_3m', 'outflow_3m', 'complaints_12m', 'tenure_months', 'days_since_last_active_txn', 'loan_share', 'months_since_risk_assessment'] as const) {
      expect(Math.min(...values(key)), key).toBeGreaterThanOrEqual(0);
    }
    for (let k = 0; k < i; k++) {
      expect(table.columns.txn_count_30d[k]!).toBeLessThanOrEqual(table.columns.txn_count_90d[k]!);
      expect(table.columns.txn_count_90d[k]!).toBeLessThanOrEqual(table.columns.txn_count_365d[k]!);
      expect(table.columns.category_count[k]!).toBeLessThanOrEqual(table.columns.product_count[k]!);
    }
    const ages = values('age');
    expect(ages.length).toBe(CUSTOMERS);
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(16);
    expect(Math.max(...ages)).toBeLessThanOrEqual(105);
    expect(mean(ages)).toBeGreaterThan(30);
    expect(mean(ages)).toBeLessThan(60);
    // Every customer has a balance row in the demo's last 12 months.
    expect(values('aum_avg_12m').length).toBe(CUSTOMERS);
    for (const key of FEATURE_KEYS) expect(values(key).length, key).toBeGreaterThan(0);
  });

  it('computes the same table on three threads as on one', async () => {
    const sequential = computeFeatureResult(db, '2026-07-31');
    const parallel = await computeFeatureResultParallel(db, '2026-07-31', { threads: 3, minCustomersPerThread: 1 });
    expect(parallel.threads).toBe(3);
    expect(parallel.table.customerIds).toEqual(sequential.table.customerIds);
    for (const key of FEATURE_KEYS) expect(parallel.table.columns[key], key).toEqual(sequential.table.columns[key]);
    expect(parallel.inputs).toEqual(sequential.inputs);
  });

  it('shows the planted decay: customers decaying in the last six months lost AUM on average', () => {
    const calendar = new Calendar('2026-10', MONTHS);
    const campaigns = campaignsFor(calendar);
    const index = new Map(table.customerIds.map((id, i) => [id, i]));
    const decaying: number[] = [];
    const stable: number[] = [];
    for (let i = 0; i < CUSTOMERS; i++) {
      const profile = generateProfile(DEMO_DEFAULTS.seed, i, calendar);
      const plan = buildPlan(DEMO_DEFAULTS.seed, profile, calendar, campaigns);
      const change = table.columns.aum_change_pct_6m[index.get(profile.id)!]!;
      if (Number.isNaN(change)) continue;
      // Decays that started within the six months the change spans, with at least a month to show.
      if (plan.decayStart >= MONTHS - 6 && plan.decayStart <= MONTHS - 2) decaying.push(change);
      else if (plan.scenario === 'stable' && plan.firstMonth === 0) stable.push(change);
    }
    expect(decaying.length).toBeGreaterThan(30);
    expect(mean(decaying)).toBeLessThan(-10);
    expect(mean(decaying)).toBeLessThan(mean(stable) - 10);
  });
});

describe('analysis on the demo branch', () => {
  it('scores every customer exactly once and reports it through the query channels', async () => {
    const summary = await host.runJob('analysis.run', {});
    expect(summary.asOf).toBe('2026-10-31');
    expect(summary.customers).toBe(CUSTOMERS);
    const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
    expect(sum(summary.counts.rfmClass)).toBe(CUSTOMERS);
    expect(sum(summary.counts.valueTier)).toBe(CUSTOMERS);
    expect(sum(summary.counts.lifecycle)).toBe(CUSTOMERS);
    for (const [stage, n] of Object.entries(summary.counts.lifecycle)) expect(n, stage).toBeGreaterThan(0);
    for (const [rfmClass, n] of Object.entries(summary.counts.rfmClass)) expect(n, rfmClass).toBeGreaterThan(0);

    const check = new Database(path, { readonly: true });
    try {
      const rows = check.prepare('SELECT count(*) AS n, count(DISTINCT customer_id) AS d, count(rfm_class) AS c, count(value_tier) AS t, count(lifecycle_stage) AS l FROM customer_scores WHERE run_id = ?').get(summary.runId);
      expect(rows).toEqual({ n: CUSTOMERS, d: CUSTOMERS, c: CUSTOMERS, t: CUSTOMERS, l: CUSTOMERS });
    } finally {
      check.close();
    }

    const overview = await host.call('analysis.overview', {});
    expect(overview!.run.runId).toBe(summary.runId);
    expect(overview!.tiers.reduce((s, t) => s + t.customers, 0)).toBe(CUSTOMERS);
    expect(overview!.rfm.heatmap.reduce((s, c) => s + c.customers, 0)).toBe(CUSTOMERS);
    expect((await host.call('analysis.runs', {}))[0]!.status).toBe('succeeded');
    expect(await host.call('analysis.months', {})).toHaveLength(MONTHS);
  });

  it('sums each migration row and column to the tiers of every customer opened by toMonth, 无记录 included', async () => {
    const migration = await host.call('analysis.migration', { fromMonth: '2025-10', toMonth: '2026-10', limit: 50 });
    // Tiers counted independently, from the raw monthly rows of both windows, over the customers opened by 2026-10-31.
    const windows = db
      .prepare(
        `SELECT c.customer_id, avg(CASE WHEN month BETWEEN '2025-08' AND '2025-10' THEN aum END) AS a, avg(CASE WHEN month BETWEEN '2026-08' AND '2026-10' THEN aum END) AS b
         FROM customers c LEFT JOIN balances b ON b.customer_id = c.customer_id WHERE c.open_date IS NULL OR c.open_date <= '2026-10-31' GROUP BY c.customer_id`,
      )
      .all() as { customer_id: string; a: number | null; b: number | null }[];
    expect(windows.length).toBe(CUSTOMERS);
    const fromCounts = TIER_CODES.map((tier) => windows.filter((w) => tierOf(w.a, DEFAULT_SETTINGS.tiers) === tier).length);
    expect(migration.matrix.map((row) => row.reduce((a, b) => a + b, 0))).toEqual(fromCounts);
    const toCounts = TIER_CODES.map((tier) => windows.filter((w) => tierOf(w.b, DEFAULT_SETTINGS.tiers) === tier).length);
    expect(TIER_CODES.map((_, j) => migration.matrix.reduce((s, row) => s + row[j]!, 0))).toEqual(toCounts);
    // Newcomers of the year start in 新增/无记录.
    expect(fromCounts[TIER_CODES.indexOf('no_record')]).toBeGreaterThan(0);

    const rank = (t: string) => VALUE_TIERS.indexOf(t as (typeof VALUE_TIERS)[number]);
    const fallen = windows.filter((w) => {
      const from = rank(tierOf(w.a, DEFAULT_SETTINGS.tiers));
      const to = tierOf(w.b, DEFAULT_SETTINGS.tiers);
      return from >= 1 && (to === 'no_record' || rank(to) < from);
    });
    expect(migration.fallenTotal).toBe(fallen.length);
    expect(migration.fallen.length).toBe(Math.min(50, fallen.length));
    const losses = migration.fallen.map((f) => f.aum_from - (f.aum_to ?? 0));
    expect(losses).toEqual([...losses].sort((x, y) => y - x));
    expect(migration.fallenAumLoss).toBeCloseTo(fallen.reduce((sum, w) => sum + w.a! - (w.b ?? 0), 0), 4);
    for (const f of migration.fallen) {
      expect(f.to_tier === 'no_record' || rank(f.to_tier) < rank(f.from_tier)).toBe(true);
      expect(f.name === null || f.name.includes('*')).toBe(true);
    }
  });
});
