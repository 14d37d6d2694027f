/**
 * The customer analysis on the real Berka data (PKDD'99, ../shared/datasets/berka-pkdd99) imported by its
 * recipe. Berka has clients, accounts, loans, cards and standing orders but no monthly balances and no
 * transactions in this import, so:
 * - the as-of date falls back to the month of the latest dated record (account openings, loans, cards:
 *   1998-12), see analytics/as-of.ts;
 * - balance and transaction features are missing (NaN), not zero; every customer is 无记录 (no AUM known:
 *   not 大众), RFM scores tie (R = 1 for all: no transactions) and every class is 一般挽留, and the
 *   lifecycle rules that need activity or balances do not fire.
 * Every Berka client still gets exactly one RFM class, one tier and one stage.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisSummary } from '../../../shared/analytics';
import { EngineHost } from '../../../electron/engine/host';
import { DATASETS, tempDir } from '../../support/temp';

const berka = fileURLToPath(new URL('berka-pkdd99/', DATASETS));
const path = join(tempDir(), 'berka.bpw');
let host: EngineHost;
let summary: AnalysisSummary;
let clients: number;

describe.runIf(existsSync(join(berka, 'client.asc')))('customer analysis on Berka', () => {
  beforeAll(async () => {
    host = new EngineHost({ log: () => {} });
    await host.call('workspace.create', { path });
    const imports = await host.runJob('import.recipe', { recipe: 'berka', dir: berka });
    expect(imports.every((r) => r.status === 'committed')).toBe(true);
    clients = imports.find((r) => r.entity === 'customers')!.rowsLoaded;
    summary = await host.runJob('analysis.run', {});
  });
  afterAll(async () => {
    await host?.close();
  });

  it('falls back to the latest dated record for the as-of date and analyses every client', () => {
    expect(clients).toBe(5369);
    expect(summary.asOf).toBe('1998-12-31');
    expect(summary.customers).toBe(clients);
    const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
    expect(sum(summary.counts.rfmClass)).toBe(clients);
    expect(sum(summary.counts.valueTier)).toBe(clients);
    expect(summary.counts.valueTier.no_record).toBe(clients);
    expect(summary.counts.rfmClass.general_winback).toBe(clients);
    expect(summary.rfmCuts).toMatchObject({ r: { value: null, high: 0 }, f: { high: 0 }, m: { value: null, high: 0 } });
    expect(sum(summary.counts.lifecycle)).toBe(clients);
    expect(summary.counts.lifecycle.dormant).toBe(0);
  });

  it('stores exactly one class and one tier per client, with missing features as NULL', () => {
    const db = new Database(path, { readonly: true });
    try {
      const perCustomer = db
        .prepare(
          `SELECT count(*) AS customers, count(s.customer_id) AS scored,
             sum(CASE WHEN s.rfm_class IS NOT NULL AND s.value_tier IS NOT NULL AND s.lifecycle_stage IS NOT NULL THEN 1 ELSE 0 END) AS complete
           FROM customers c LEFT JOIN customer_scores s ON s.customer_id = c.customer_id AND s.run_id = ?`,
        )
        .get(summary.runId);
      expect(perCustomer).toEqual({ customers: clients, scored: clients, complete: clients });
      const features = db
        .prepare('SELECT count(*) AS n, count(aum_avg_3m) AS aum, count(txn_count_365d) AS txn, count(product_count) AS products, count(age) AS age FROM customer_features WHERE run_id = ?')
        .get(summary.runId);
      expect(features).toEqual({ n: clients, aum: 0, txn: 0, products: clients, age: clients });
      const run = db.prepare('SELECT params_json, metrics_json FROM analysis_runs WHERE run_id = ?').get(summary.runId) as { params_json: string; metrics_json: string };
      expect(JSON.parse(run.params_json)).toMatchObject({ asOf: '1998-12-31', asOfSource: 'records' });
      expect(JSON.parse(run.metrics_json).sources).toEqual({ transactions: false, balances: false, holdings: true, interactions: false });
    } finally {
      db.close();
    }
  });
});
