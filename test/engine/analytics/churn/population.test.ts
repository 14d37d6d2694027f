/**
 * The population the churn warning scores is the population the model was trained for (issue #13 §1).
 *
 * The audit: on a 2,000-customer demo the top 20 rows of the risk list were mostly customers already 流失
 * or 沉睡, and a third of the 流失风险 tag was customers already 流失. Training leaves out customers already
 * churned or dormant at the feature date, so scoring must leave them out at the scoring date too; they are
 * listed apart (已流失 / 可挽回) for win-back. The analysis run's stored tag counts follow the scoring.
 */
import { join } from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChurnScoreSummary } from '../../../../shared/analytics';
import { churnLabels } from '../../../../electron/engine/analytics/churn/labels';
import { churnPeriod, dataAsOf } from '../../../../electron/engine/analytics/churn/period';
import { computeFeatureResult } from '../../../../electron/engine/analytics/features/index';
import { computeLifecycle } from '../../../../electron/engine/analytics/scores/lifecycle';
import { openWorkspace } from '../../../../electron/engine/db/workspace';
import { EngineHost } from '../../../../electron/engine/host';
import { readSettings } from '../../../../electron/engine/settings-store';
import { tempDir } from '../../../support/temp';
import { readDb as readFromFile } from './read-db';

const dir = tempDir('bpw-churn-population-');
const path = join(dir, 'population.bpw');
let host: EngineHost;
let summary: ChurnScoreSummary;

beforeAll(async () => {
  host = new EngineHost({ log: () => {} });
  // Analysed like every demo: customer analysis, churn training, churn scoring.
  await host.runJob('demo.create', { path, customers: 2_000, seed: 11 });
  await host.call('workspace.open', { path });
  summary = await host.runJob('churn.score', {});
});

afterAll(async () => {
  await host.close();
});

const readDb = <T>(read: (db: Database.Database) => T): T => readFromFile(path, read);

const analysisRun = () => readDb((db) => db.prepare("SELECT max(run_id) FROM analysis_runs WHERE kind = 'customer_analysis' AND status = 'succeeded'").pluck().get() as number);

/** Lifecycle stage of each customer in the scored analysis run. */
const stages = () =>
  readDb((db) => new Map((db.prepare('SELECT customer_id, lifecycle_stage FROM customer_scores WHERE run_id = ?').all(analysisRun()) as { customer_id: string; lifecycle_stage: string }[]).map((r) => [r.customer_id, r.lifecycle_stage])));

const LOST = ['churned', 'dormant'];

describe('the warning list', () => {
  it('is not led by customers already lost: no 流失 or 沉睡 customer anywhere in it', async () => {
    const stage = stages();
    const top = await host.call('churn.riskList', { limit: 20 });
    expect(top.rows).toHaveLength(20);
    expect(top.rows.filter((r) => LOST.includes(stage.get(r.customer_id)!)).map((r) => `${r.customer_id} ${stage.get(r.customer_id)}`)).toEqual([]);
    const all = await host.call('churn.riskList', { limit: 1000 });
    const rest = await host.call('churn.riskList', { limit: 1000, after: all.next! });
    const listed = [...all.rows, ...rest.rows];
    expect(listed.filter((r) => LOST.includes(stage.get(r.customer_id)!))).toHaveLength(0);
    const lost = [...stage.values()].filter((s) => LOST.includes(s)).length;
    expect(lost).toBeGreaterThan(50);
    expect(all.total).toBe(stage.size - lost);
  });

  it('counts scored and excluded customers, which add up to the analysed ones', () => {
    const stage = [...stages().values()];
    const churned = stage.filter((s) => s === 'churned').length;
    const dormant = stage.filter((s) => s === 'dormant').length;
    expect(summary.excluded).toEqual({ churned, dormant });
    expect(summary.scored).toBe(summary.counts.high + summary.counts.medium + summary.counts.low);
    expect(summary.scored + churned + dormant).toBe(stage.length);
  });

  it('writes no probability for a lost customer', () => {
    const probs = readDb((db) => db.prepare("SELECT count(*) FROM customer_scores WHERE run_id = ? AND lifecycle_stage IN ('churned', 'dormant') AND churn_prob IS NOT NULL").pluck().get(analysisRun()));
    expect(probs).toBe(0);
  });
});

describe('one definition of "already lost" for training and scoring', () => {
  it('leaves out of training exactly the customers the lifecycle finds 流失 or 沉睡 at the feature date', () => {
    const db = openWorkspace(path);
    try {
      const settings = readSettings(db);
      const period = churnPeriod(dataAsOf(db), settings.churn.horizonMonths);
      const labels = churnLabels(db, period, settings);
      const { table, inputs } = computeFeatureResult(db, period.featuresAsOf);
      const stages = computeLifecycle(table, inputs, settings.lifecycle);
      const trained = new Set(labels.customerIds);
      const mismatched = table.customerIds.filter((id, i) => LOST.includes(stages[i]!) === trained.has(id));
      expect(labels.counts.churnedAtStart + labels.counts.dormantAtStart).toBeGreaterThan(50);
      expect(mismatched).toEqual([]);
    } finally {
      db.close();
    }
  });
});

describe('the 流失风险 tag', () => {
  it('holds the high-risk customers of the warning list and no lost customer', async () => {
    const stage = stages();
    const members = readDb((db) => db.prepare("SELECT customer_id FROM customer_tags WHERE run_id = ? AND tag_id = 'sys.churn_risk'").pluck().all(analysisRun()) as string[]);
    expect(members.filter((id) => LOST.includes(stage.get(id)!))).toEqual([]);
    expect(members).toHaveLength(summary.counts.high);
    const tag = (await host.call('tags.list', {})).find((t) => t.tagId === 'sys.churn_risk');
    expect(tag?.customers).toBe(summary.counts.high);
  });

  it('is counted in the analysis run’s stored tag metrics after scoring', () => {
    const metrics = readDb((db) => JSON.parse(db.prepare('SELECT metrics_json FROM analysis_runs WHERE run_id = ?').pluck().get(analysisRun()) as string) as { counts: { tags: Record<string, number> } });
    expect(metrics.counts.tags['sys.churn_risk']).toBe(summary.counts.high);
  });

  it('leaves out lost customers when a later analysis reads an earlier scoring', async () => {
    await host.runJob('analysis.run', {});
    const stage = stages();
    const members = readDb((db) => db.prepare("SELECT customer_id FROM customer_tags WHERE run_id = ? AND tag_id = 'sys.churn_risk'").pluck().all(analysisRun()) as string[]);
    expect(members.length).toBeGreaterThan(0);
    expect(members.filter((id) => LOST.includes(stage.get(id)!))).toEqual([]);
    // Scored again, so that the tests below read the latest analysis.
    summary = await host.runJob('churn.score', {});
  });
});

describe('customers already lost, listed apart', () => {
  it('splits them into 已流失 (lifecycle 流失) and 可挽回 (lifecycle 沉睡), with a reason and an action each', async () => {
    const overview = (await host.call('churn.summary', {}))!;
    expect(overview.lost).toEqual({ gone: summary.excluded.churned, recoverable: summary.excluded.dormant });
    const stage = stages();
    const gone = await host.call('churn.lostList', { group: 'gone', limit: 1000 });
    expect(gone.total).toBe(summary.excluded.churned);
    expect(gone.rows.every((r) => r.group === 'gone' && stage.get(r.customer_id) === 'churned')).toBe(true);
    const recoverable = await host.call('churn.lostList', { group: 'recoverable', limit: 1000 });
    expect(recoverable.total).toBe(summary.excluded.dormant);
    expect(recoverable.rows.every((r) => r.group === 'recoverable' && stage.get(r.customer_id) === 'dormant')).toBe(true);
    for (const r of [...gone.rows, ...recoverable.rows]) {
      expect(r.reason).toMatch(/[\u4e00-\u9fa5]/);
      expect(r.action).toMatch(/[\u4e00-\u9fa5]/);
      expect(r.name).toMatch(/\*/);
    }
    // The win-back value first: the assets they held over the last 12 months.
    const held = recoverable.rows.map((r) => r.aum_avg_12m ?? -1);
    expect(held).toEqual([...held].sort((a, b) => b - a));
  });

  it('pages both groups together by key', async () => {
    const first = await host.call('churn.lostList', { limit: 40 });
    const second = await host.call('churn.lostList', { limit: 40, after: first.next! });
    expect(first.total).toBe(summary.excluded.churned + summary.excluded.dormant);
    const ids = [...first.rows, ...second.rows].map((r) => r.customer_id);
    expect(new Set(ids).size).toBe(80);
  });

  it('tells the portrait that a lost customer is not in the warning', async () => {
    const { rows } = await host.call('churn.lostList', { group: 'gone', limit: 1 });
    const note = await host.call('churn.explain', { customerId: rows[0]!.customer_id });
    expect(note).toMatchObject({ lost: true, stage: 'churned', group: 'gone' });
  });
});
