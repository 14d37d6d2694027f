/**
 * Time honesty: nothing after F = T − h reaches the churn model's features.
 *
 * On a demo branch, every customer the label marks as churning gets a loud future-only signal planted in the
 * label window (F, T]: complaints and bank-posted transactions (fees, interest) on the mobile channel. A
 * pipeline that computed features at T, or read past F, would see churners complain and become perfectly
 * separable. The rows are chosen so that the label itself cannot change (labels read balances, holdings and
 * customer-initiated transactions only), which the test checks too.
 *
 * Then: computeFeatures at F is identical with and without the planted rows; training asks for features as
 * of F and T − 2h only; the training matrices, the forest and the model card's metrics are identical; while
 * the same signal measured at T would have separated the churners almost perfectly.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelCard } from '../../../../shared/analytics';
import { churnTrainRequestSchema } from '../../../../shared/api';
import { churnLabels, type ChurnLabels } from '../../../../electron/engine/analytics/churn/labels';
import { churnPeriod, dataAsOf } from '../../../../electron/engine/analytics/churn/period';
import { trainChurnModel } from '../../../../electron/engine/analytics/churn/train';
import type { FeatureSource } from '../../../../electron/engine/analytics/churn/training-set';
import { computeFeatures, type FeatureTable } from '../../../../electron/engine/analytics/features/index';
import { rocAuc } from '../../../../electron/engine/analytics/metrics';
import { standaloneJobContext } from '../../../../electron/engine/context';
import { openWorkspace, type Db } from '../../../../electron/engine/db/workspace';
import { EngineHost } from '../../../../electron/engine/host';
import { readSettings } from '../../../../electron/engine/settings-store';
import { tempDir } from '../../../support/temp';

const dir = tempDir('bpw-churn-leak-');
const cleanPath = join(dir, 'clean.bpw');
const plantedPath = join(dir, 'planted.bpw');
let clean: Db;
let planted: Db;
let labels: ChurnLabels;

beforeAll(async () => {
  const host = new EngineHost({ log: () => {} });
  try {
    await host.runJob('demo.create', { path: cleanPath, customers: 2_000, seed: 7, txPerYear: 60, analyze: false });
  } finally {
    await host.close();
  }
  copyFileSync(cleanPath, plantedPath);
  clean = openWorkspace(cleanPath);
  planted = openWorkspace(plantedPath);
  labels = churnLabels(clean, churnPeriod(dataAsOf(clean), 3), readSettings(clean));
  plantFutureSignal(planted, labels);
});

afterAll(() => {
  clean.close();
  planted.close();
});

/** Three complaints and a string of fees and interest in (F, T] for every churner; nothing before F. */
function plantFutureSignal(db: Db, l: ChurnLabels): void {
  const { featuresAsOf: F } = l.period;
  const days = [5, 20, 40, 60, 80].map((d) => new Date(Date.parse(`${F}T00:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10));
  const complaint = db.prepare("INSERT OR IGNORE INTO interactions (customer_id, date, channel, kind, outcome) VALUES (?, ?, 'phone', 'complaint', '未解决')");
  const txn = db.prepare("INSERT INTO transactions (txn_id, customer_id, txn_date, channel, type, amount, direction) VALUES (?, ?, ?, 'mobile', ?, ?, ?)");
  let n = 0;
  db.transaction(() => {
    l.customerIds.forEach((id, i) => {
      if (l.y[i] !== 1) return;
      for (const day of days.slice(0, 3)) complaint.run(id, day);
      for (const day of days) {
        txn.run(`LEAK${++n}`, id, day, 'fee', 9_999, 'out');
        txn.run(`LEAK${++n}`, id, day, 'interest', 99_999, 'in');
      }
    });
  })();
}

function recordingSource(record: { asOf: string; table: FeatureTable }[]): FeatureSource {
  return (db, asOf, ctx) => {
    const table = computeFeatures(db, asOf, { frequencyMonths: readSettings(db).rfm.frequencyMonths, throwIfCancelled: () => ctx.throwIfCancelled() });
    record.push({ asOf, table });
    return table;
  };
}

async function train(db: Db, record: { asOf: string; table: FeatureTable }[]): Promise<{ card: ModelCard; modelJson: string }> {
  const card = await trainChurnModel(standaloneJobContext(db), churnTrainRequestSchema.parse({ trees: 60 }), { features: recordingSource(record) });
  const modelJson = (db.prepare('SELECT model_json FROM models WHERE model_id = ?').get(card.modelId) as { model_json: string }).model_json;
  return { card, modelJson };
}

describe('a future-only signal planted after T − h', () => {
  it('is really there, and would separate churners if features were taken at T', () => {
    expect(labels.counts.positives).toBeGreaterThan(20);
    const T = labels.period.labelTo;
    const atT = computeFeatures(planted, T);
    const row = new Map(atT.customerIds.map((id, i) => [id, i]));
    const present = labels.customerIds.filter((id) => row.has(id));
    const y = present.map((id) => labels.y[labels.customerIds.indexOf(id)]!);
    const complaintsAtT = present.map((id) => atT.columns.complaints_12m[row.get(id)!]!);
    expect(rocAuc(y, complaintsAtT)).toBeGreaterThan(0.95);
  });

  it('does not change the labels', () => {
    const again = churnLabels(planted, labels.period, readSettings(planted));
    expect(again.customerIds).toEqual(labels.customerIds);
    expect(Array.from(again.y)).toEqual(Array.from(labels.y));
  });

  it('leaves computeFeatures at T − h identical', () => {
    const F = labels.period.featuresAsOf;
    const before = computeFeatures(clean, F);
    const after = computeFeatures(planted, F);
    expect(after.customerIds).toEqual(before.customerIds);
    for (const [key, column] of Object.entries(before.columns)) expect(after.columns[key as keyof typeof after.columns], key).toEqual(column);
  });

  it('leaves the training features, the forest and its AUC unchanged', async () => {
    const cleanRecord: { asOf: string; table: FeatureTable }[] = [];
    const plantedRecord: { asOf: string; table: FeatureTable }[] = [];
    const a = await train(clean, cleanRecord);
    const b = await train(planted, plantedRecord);

    // Features are only ever asked for as of F and T − 2h (the out-of-time check), never later.
    const F = labels.period.featuresAsOf;
    expect(cleanRecord.map((r) => r.asOf)).toEqual([F, churnPeriod(dataAsOf(clean), 3, 1).featuresAsOf]);
    expect(plantedRecord.map((r) => r.asOf)).toEqual(cleanRecord.map((r) => r.asOf));
    plantedRecord.forEach((r, i) => expect(r.table).toEqual(cleanRecord[i]!.table));

    expect(JSON.parse(b.modelJson).forest).toEqual(JSON.parse(a.modelJson).forest);
    expect(b.card.metrics).toEqual(a.card.metrics);
    expect(b.card.laterPeriod).toEqual(a.card.laterPeriod);
    expect(b.card.featureImportance).toEqual(a.card.featureImportance);
    // Honest, but not a perfect separation by a planted signal.
    expect(a.card.metrics.rocAuc).toBeLessThan(0.99);
  });
});
