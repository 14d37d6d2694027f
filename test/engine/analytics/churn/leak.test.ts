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
 *
 * Latest-value fields (issue #13 §1): a customer row holds only the latest risk assessment, risk level,
 * occupation, manager, … The audit moved the assessment date of 60% of non-churners into the label window
 * and PR AUC rose from 0.636 to 0.745, through a feature that read "assessed after F" as missing. Changing
 * every latest-value field after F must leave the training features and the trained model unchanged.
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
import { LATEST_VALUE_CUSTOMER_COLUMNS, LATEST_VALUE_FEATURES, TRAINING_FEATURE_KEYS } from '../../../../electron/engine/analytics/features/latest-value';
import { rocAuc } from '../../../../electron/engine/analytics/metrics';
import { standaloneJobContext } from '../../../../electron/engine/context';
import { openWorkspace, type Db } from '../../../../electron/engine/db/workspace';
import { EngineHost } from '../../../../electron/engine/host';
import { readSettings } from '../../../../electron/engine/settings-store';
import { tempDir } from '../../../support/temp';

const dir = tempDir('bpw-churn-leak-');
const cleanPath = join(dir, 'clean.bpw');
const plantedPath = join(dir, 'planted.bpw');
const reassessedPath = join(dir, 'reassessed.bpw');
let clean: Db;
let planted: Db;
let reassessed: Db;
let labels: ChurnLabels;

beforeAll(async () => {
  const host = new EngineHost({ log: () => {} });
  try {
    await host.runJob('demo.create', { path: cleanPath, customers: 2_000, seed: 7, txPerYear: 60, analyze: false });
  } finally {
    await host.close();
  }
  copyFileSync(cleanPath, plantedPath);
  copyFileSync(cleanPath, reassessedPath);
  clean = openWorkspace(cleanPath);
  planted = openWorkspace(plantedPath);
  reassessed = openWorkspace(reassessedPath);
  labels = churnLabels(clean, churnPeriod(dataAsOf(clean), 3), readSettings(clean));
  plantFutureSignal(planted, labels);
  rewriteLatestValues(reassessed, labels);
});

afterAll(() => {
  clean.close();
  planted.close();
  reassessed.close();
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

/**
 * What a branch's next export would show for fields that keep only their latest value: 60% of the customers
 * who did not churn were re-assessed inside the label window (a new date and level), and every customer's
 * other latest-value fields changed. Churners keep theirs, so the change carries the label, as in the audit.
 */
function rewriteLatestValues(db: Db, l: ChurnLabels): void {
  const { featuresAsOf: F } = l.period;
  const inWindow = (i: number) => new Date(Date.parse(`${F}T00:00:00Z`) + (10 + (i % 70)) * 86_400_000).toISOString().slice(0, 10);
  const reassess = db.prepare("UPDATE customers SET risk_assessed_at = ?, risk_level = 'C3' WHERE customer_id = ?");
  db.transaction(() => {
    let stayed = 0;
    l.customerIds.forEach((id, i) => {
      if (l.y[i] === 0 && stayed++ % 5 < 3) reassess.run(inWindow(i), id);
    });
    db.prepare(
      `UPDATE customers SET occupation = '变更后职业', education = '变更后学历', marital_status = '变更后婚姻', income_band = '变更后收入',
         customer_type = CASE customer_type WHEN 'individual' THEN 'sme_owner' ELSE 'individual' END,
         community_id = NULL, manager_id = NULL, consent_marketing = 1 - coalesce(consent_marketing, 0), do_not_contact = 1 - coalesce(do_not_contact, 0)`,
    ).run();
  })();
}

function recordingSource(record: { asOf: string; table: FeatureTable }[]): FeatureSource {
  return (db, asOf, ctx) => {
    const table = computeFeatures(db, asOf, { frequencyMonths: readSettings(db).rfm.frequencyMonths, throwIfCancelled: () => ctx.throwIfCancelled() });
    record.push({ asOf, table });
    return table;
  };
}

let cleanTraining: Promise<{ card: ModelCard; modelJson: string; record: { asOf: string; table: FeatureTable }[] }> | undefined;
/** The model trained on the untouched workspace, trained once for both comparisons. */
function trainClean() {
  cleanTraining ??= (async () => {
    const record: { asOf: string; table: FeatureTable }[] = [];
    return { ...(await train(clean, record)), record };
  })();
  return cleanTraining;
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
    const plantedRecord: { asOf: string; table: FeatureTable }[] = [];
    const { record: cleanRecord, ...a } = await trainClean();
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

describe('latest-value fields changed after T − h', () => {
  it('lists every latest-value customer column and keeps their features out of training', () => {
    const columns = (clean.prepare("SELECT name FROM pragma_table_info('customers')").pluck().all() as string[]).filter((c) => !['customer_id', 'name', 'gender', 'birth_date', 'id_number', 'mobile', 'open_date', 'import_batch_id'].includes(c));
    // A new customer column is either a fact that never changes (add it to the list above) or latest-value.
    expect([...columns].sort()).toEqual([...LATEST_VALUE_CUSTOMER_COLUMNS].sort());
    expect(TRAINING_FEATURE_KEYS).not.toContain('months_since_risk_assessment');
    for (const key of LATEST_VALUE_FEATURES) expect(TRAINING_FEATURE_KEYS).not.toContain(key);
  });

  it('really moves the assessment dates the old feature read, and leaves the labels alone', () => {
    const F = labels.period.featuresAsOf;
    const before = computeFeatures(clean, F).columns.months_since_risk_assessment;
    const after = computeFeatures(reassessed, F).columns.months_since_risk_assessment;
    const changed = before.filter((v, i) => !Object.is(v, after[i])).length;
    expect(changed).toBeGreaterThan(500);
    const again = churnLabels(reassessed, labels.period, readSettings(reassessed));
    expect(Array.from(again.y)).toEqual(Array.from(labels.y));
  });

  it('leaves the training features at T − h, the forest and its metrics unchanged', async () => {
    const record: { asOf: string; table: FeatureTable }[] = [];
    const a = await trainClean();
    const b = await train(reassessed, record);
    record.forEach((r, i) => {
      for (const key of TRAINING_FEATURE_KEYS) expect(r.table.columns[key], key).toEqual(a.record[i]!.table.columns[key]);
    });
    expect(b.card.metrics).toEqual(a.card.metrics);
    expect(JSON.parse(b.modelJson).forest).toEqual(JSON.parse(a.modelJson).forest);
    expect(JSON.parse(b.modelJson).featureKeys).toEqual([...TRAINING_FEATURE_KEYS]);
    expect(b.card.featureImportance.map((f) => f.feature)).not.toContain('months_since_risk_assessment');
  });
});
