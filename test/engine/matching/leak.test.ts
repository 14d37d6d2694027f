/**
 * Time honesty of product matching (issue #9 §2, the churn leak test extended): nothing known only after
 * T − h reaches the forests.
 *
 * On a copy of a demo branch, every latest-value field of the customer master is rewritten as if each
 * customer had been re-assessed, changed job, income band, marital status and contact permissions after
 * T − h (a record keeps only its latest value, so on T − h the old one was in force); and every customer
 * who opened a product in the label window gets a loud future-only signal there: complaints, visits and
 * transactions after T − h. A pipeline that read the latest values, or any data past its feature date, would
 * learn from them.
 *
 * Then: training asks for features as of T − h and T − 2h only, the features it reads are identical, and so
 * are the forests, the held-out figures and the cards.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchTrainRequestSchema, type MatchingTrainingSummary } from '../../../shared/matching';
import { computeFeatures, type FeatureTable } from '../../../electron/engine/analytics/features/index';
import { standaloneJobContext } from '../../../electron/engine/context';
import { openWorkspace, type Db } from '../../../electron/engine/db/workspace';
import { CORE_MATCH_FEATURES } from '../../../electron/engine/matching/match-features';
import { matchingAsOf, matchWindow } from '../../../electron/engine/matching/period';
import { trainMatching } from '../../../electron/engine/matching/train';
import type { MatchFeatureSource } from '../../../electron/engine/matching/window-data';
import { readSettings } from '../../../electron/engine/settings-store';
import { tempDir } from '../../support/temp';
import { rawDemo } from './support/matched-demo';

const dir = tempDir('bpw-matching-leak-');
let clean: Db;
let planted: Db;
let F: string;
let T: string;

beforeAll(async () => {
  const path = await rawDemo(dir, 2_000, 'clean.bpw', 11);
  copyFileSync(path, join(dir, 'planted.bpw'));
  clean = openWorkspace(path);
  planted = openWorkspace(join(dir, 'planted.bpw'));
  T = matchingAsOf(clean);
  F = matchWindow(T, 3).featuresAsOf;
  rewriteLatestValues(planted, F);
  plantFutureSignal(planted, F, T);
});

afterAll(() => {
  clean?.close();
  planted?.close();
});

/** Every customer's latest-value fields changed after F: new assessment, job, income, status, permissions. */
function rewriteLatestValues(db: Db, after: string): void {
  const day = new Date(Date.parse(`${after}T00:00:00Z`) + 20 * 86_400_000).toISOString().slice(0, 10);
  db.prepare(
    `UPDATE customers SET
       risk_level = CASE risk_level WHEN 'C1' THEN 'C4' WHEN 'C2' THEN 'C5' WHEN 'C3' THEN 'C1' WHEN 'C4' THEN 'C2' WHEN 'C5' THEN 'C3' ELSE 'C3' END,
       risk_assessed_at = ?,
       occupation = CASE WHEN occupation = '退休人员' THEN '企业职员' ELSE '退休人员' END,
       income_band = '50万以上',
       marital_status = '离异',
       consent_marketing = 1 - coalesce(consent_marketing, 0),
       do_not_contact = 1 - coalesce(do_not_contact, 0),
       customer_type = CASE customer_type WHEN 'sme_owner' THEN 'individual' ELSE 'sme_owner' END`,
  ).run(day);
}

/** Complaints, visits and large transfers in (F, T] for every customer who opened anything in the window. */
function plantFutureSignal(db: Db, from: string, to: string): void {
  const openers = db.prepare('SELECT DISTINCT customer_id AS id FROM holdings WHERE opened_at > ? AND opened_at <= ?').all(from, to) as { id: string }[];
  const days = [10, 30, 50, 70].map((d) => new Date(Date.parse(`${from}T00:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10));
  const interaction = db.prepare("INSERT OR IGNORE INTO interactions (customer_id, date, channel, kind, outcome) VALUES (?, ?, 'branch', ?, '已处理')");
  const txn = db.prepare("INSERT INTO transactions (txn_id, customer_id, txn_date, channel, type, amount, direction) VALUES (?, ?, ?, 'mobile', 'transfer_in', 888888, 'in')");
  let n = 0;
  db.transaction(() => {
    for (const { id } of openers) {
      for (const day of days) {
        interaction.run(id, day, 'complaint');
        interaction.run(id, day, 'visit');
        txn.run(`FUTURE${++n}`, id, day);
      }
    }
  })();
  expect(openers.length).toBeGreaterThan(200);
}

function recordingSource(record: { asOf: string; table: FeatureTable }[]): MatchFeatureSource {
  return async (db, asOf, ctx) => {
    const table = computeFeatures(db, asOf, { frequencyMonths: readSettings(db).rfm.frequencyMonths, throwIfCancelled: () => ctx.throwIfCancelled() });
    record.push({ asOf, table });
    return table;
  };
}

async function train(db: Db, record: { asOf: string; table: FeatureTable }[]): Promise<{ summary: MatchingTrainingSummary; forests: unknown[] }> {
  const summary = await trainMatching(standaloneJobContext(db), matchTrainRequestSchema.parse({ trees: 30 }), { features: recordingSource(record) });
  const rows = db.prepare("SELECT model_json FROM models WHERE kind = 'matching_forest' AND run_id = ? ORDER BY model_id").all(summary.runId) as { model_json: string }[];
  return { summary, forests: rows.map((r) => JSON.parse(r.model_json)) };
}

describe('latest values and a future signal planted after T − h', () => {
  it('are really there: the future signal would tell new holders apart if features were taken at T', () => {
    const atT = computeFeatures(planted, T);
    const openers = new Set((planted.prepare('SELECT DISTINCT customer_id AS id FROM holdings WHERE opened_at > ? AND opened_at <= ?').all(F, T) as { id: string }[]).map((r) => r.id));
    const complaints = atT.columns.complaints_12m;
    let withSignal = 0;
    atT.customerIds.forEach((id, i) => {
      if (openers.has(id) && complaints[i]! >= 4) withSignal++;
    });
    expect(withSignal).toBeGreaterThan(openers.size * 0.9);
  });

  it('leave the features as of T − h, the forests, the held-out figures and the cards unchanged', async () => {
    const cleanRecord: { asOf: string; table: FeatureTable }[] = [];
    const plantedRecord: { asOf: string; table: FeatureTable }[] = [];
    const a = await train(clean, cleanRecord);
    const b = await train(planted, plantedRecord);

    expect(cleanRecord.map((r) => r.asOf)).toEqual([F, matchWindow(T, 3, 1).featuresAsOf]);
    expect(plantedRecord.map((r) => r.asOf)).toEqual(cleanRecord.map((r) => r.asOf));
    // The feature pipeline's own table may carry latest-value columns (the months since the assessment is
    // one): matching reads only CORE_MATCH_FEATURES, and those are identical.
    plantedRecord.forEach((r, i) => {
      const before = cleanRecord[i]!.table;
      expect(r.table.customerIds).toEqual(before.customerIds);
      for (const key of CORE_MATCH_FEATURES) expect(r.table.columns[key], key).toEqual(before.columns[key]);
    });

    expect(a.forests.length).toBeGreaterThan(0);
    expect(b.forests).toEqual(a.forests);
    expect(b.summary.validation).toEqual(a.summary.validation);
    const cards = (s: MatchingTrainingSummary) => s.families.map(({ modelId: _, ...card }) => card);
    expect(cards(b.summary)).toEqual(cards(a.summary));
  });
});
