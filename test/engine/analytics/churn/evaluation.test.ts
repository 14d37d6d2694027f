/** The model card's evaluation tables against the metrics they summarise. */
import { describe, expect, it } from 'vitest';
import { bestF1OnGrid, downsampleRoc, evaluateScores, thresholdTable } from '../../../../electron/engine/analytics/churn/evaluation';
import { confusionMatrix, rocCurve } from '../../../../electron/engine/analytics/metrics';
import { Random } from '../../../../shared/random';

function sample(n: number, seed: number): { y: Float64Array; scores: Float64Array } {
  const random = new Random(seed);
  const y = new Float64Array(n);
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = random.bernoulli(0.1) ? 1 : 0;
    // Scores on the grid too, so that ties at exactly a threshold are exercised.
    const raw = Math.min(1, Math.max(0, random.normal(y[i] ? 0.6 : 0.3, 0.2)));
    scores[i] = i % 5 === 0 ? Math.round(raw * 100) / 100 : raw;
  }
  return { y, scores };
}

describe('threshold table', () => {
  const { y, scores } = sample(3_000, 3);
  const table = thresholdTable(y, scores);

  it('has thresholds 0.00..1.00 with the confusion counts of score ≥ threshold', () => {
    expect(table).toHaveLength(101);
    expect(table.map((r) => r.threshold)).toEqual(Array.from({ length: 101 }, (_, k) => Math.round(k) / 100));
    for (const row of table) {
      const m = confusionMatrix(y, scores, row.threshold);
      expect([row.tp, row.fp, row.tn, row.fn]).toEqual([m.truePositives, m.falsePositives, m.trueNegatives, m.falseNegatives]);
      expect(row.f1).toBeCloseTo(m.f1, 5);
    }
  });

  it('is monotone: raising the threshold never adds a predicted churner', () => {
    for (let k = 1; k < table.length; k++) {
      expect(table[k]!.tp).toBeLessThanOrEqual(table[k - 1]!.tp);
      expect(table[k]!.fp).toBeLessThanOrEqual(table[k - 1]!.fp);
      expect(table[k]!.recall).toBeLessThanOrEqual(table[k - 1]!.recall);
    }
  });

  it('defaults to the grid threshold with the best F1', () => {
    const best = bestF1OnGrid(table);
    expect(Math.max(...table.map((r) => r.f1))).toBe(table.find((r) => r.threshold === best)!.f1);
  });
});

describe('model card evaluation', () => {
  it('keeps at most 200 ROC points with both ends', () => {
    const { y, scores } = sample(20_000, 4);
    const full = rocCurve(y, scores);
    expect(full.fpr.length).toBeGreaterThan(200);
    const points = downsampleRoc(full.fpr, full.tpr);
    expect(points).toHaveLength(200);
    expect(points[0]).toEqual({ fpr: 0, tpr: 0 });
    expect(points[points.length - 1]).toEqual({ fpr: 1, tpr: 1 });
  });

  it('reports lift and capture by decile and a 10-bin calibration', () => {
    const { y, scores } = sample(5_000, 5);
    const card = evaluateScores(y, scores);
    expect(card.lift).toHaveLength(10);
    expect(card.lift[9]!.captureRate).toBe(1);
    expect(card.metrics.liftTopDecile).toBe(card.lift[0]!.lift);
    expect(card.metrics.liftTopDecile).toBeGreaterThan(1);
    expect(card.calibration.length).toBeLessThanOrEqual(10);
    expect(card.calibration.reduce((s, c) => s + c.count, 0)).toBe(5_000);
    expect(card.metrics.rocAuc).toBeGreaterThan(0.8);
  });
});
