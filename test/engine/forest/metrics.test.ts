import { describe, expect, it } from 'vitest';
import {
  bestF1Threshold,
  calibrationTable,
  confusionMatrix,
  liftByDecile,
  prAuc,
  rocAuc,
  rocCurve,
  stratifiedSplit,
} from '../../../electron/engine/analytics/metrics';

// Reference values computed with scikit-learn 1.2 on the same numbers.
const y = [0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1];
const s = [0.1, 0.4, 0.35, 0.8, 0.4, 0.9, 0.2, 0.4, 0.65, 0.05, 0.7, 0.35];

describe('rocAuc', () => {
  it('matches scikit-learn, ties counting half', () => {
    expect(rocAuc(y, s)).toBeCloseTo(0.75, 12);
  });

  it('is 1 for a perfect ranking, 0 for a reversed one and 0.5 when every score ties', () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4])).toBe(1);
    expect(rocAuc([0, 0, 1, 1], [0.4, 0.3, 0.2, 0.1])).toBe(0);
    expect(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
  });

  it('does not depend on row order', () => {
    const order = [5, 3, 11, 0, 7, 2, 9, 1, 10, 4, 8, 6];
    expect(rocAuc(order.map((i) => y[i]), order.map((i) => s[i]))).toBeCloseTo(rocAuc(y, s), 14);
  });

  it('rejects one-class labels, non-binary labels and mismatched lengths', () => {
    expect(() => rocAuc([1, 1], [0.2, 0.3])).toThrow(/only one class/);
    expect(() => rocAuc([0, 2], [0.2, 0.3])).toThrow(/0 or 1/);
    expect(() => rocAuc([0, 1], [0.2])).toThrow(/must match/);
  });
});

describe('rocCurve', () => {
  it('gives scikit-learn\'s points (intermediate collinear points dropped)', () => {
    const curve = rocCurve(y, s);
    expect(curve.fpr).toEqual([0, 0, 0, 1 / 6, 1 / 6, 0.5, 0.5, 1]);
    expect(curve.tpr).toEqual([0, 1 / 6, 2 / 6, 2 / 6, 0.5, 4 / 6, 1, 1]);
    expect(curve.thresholds).toEqual([Number.POSITIVE_INFINITY, 0.9, 0.8, 0.7, 0.65, 0.4, 0.35, 0.05]);
  });

  it('keeps every distinct threshold on request', () => {
    expect(rocCurve(y, s, { keepAllPoints: true }).thresholds).toHaveLength(10);
  });
});

describe('prAuc', () => {
  it('is average precision as scikit-learn computes it', () => {
    expect(prAuc(y, s)).toBeCloseTo(0.7757936507936507, 12);
  });

  it('is 1 for a perfect ranking and the positive rate for constant scores', () => {
    expect(prAuc([0, 1, 0, 1], [0.1, 0.9, 0.2, 0.8])).toBe(1);
    expect(prAuc([0, 1, 0, 0], [0.3, 0.3, 0.3, 0.3])).toBe(0.25);
  });
});

describe('liftByDecile', () => {
  const labels = Array.from({ length: 100 }, (_, i) => (i < 20 ? 1 : 0));
  const scores = Array.from({ length: 100 }, (_, i) => 1 - i / 100);

  it('finds every positive in the top deciles of a perfect ranking', () => {
    const table = liftByDecile(labels, scores);
    expect(table).toHaveLength(10);
    expect(table.map((row) => row.count)).toEqual(Array(10).fill(10));
    expect(table[0]).toMatchObject({ decile: 1, positives: 10, rate: 1, lift: 5, captureRate: 0.5, cumulativeLift: 5 });
    expect(table[1].captureRate).toBe(1);
    expect(table[9]).toMatchObject({ captureRate: 1, cumulativeLift: 1, positives: 0 });
    expect(table[0].maxScore).toBe(1);
    expect(table[0].minScore).toBeCloseTo(0.91, 12);
  });

  it('cuts uneven row counts into groups differing by at most one', () => {
    const counts = liftByDecile(labels.slice(0, 95), scores.slice(0, 95)).map((row) => row.count);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(95);
  });
});

describe('confusionMatrix and bestF1Threshold', () => {
  it('counts score >= threshold as predicted positive', () => {
    const m = confusionMatrix(y, s, 0.4);
    expect(m).toMatchObject({ truePositives: 4, falsePositives: 3, trueNegatives: 3, falseNegatives: 2 });
    expect(m.precision).toBeCloseTo(4 / 7, 12);
    expect(m.recall).toBeCloseTo(4 / 6, 12);
    expect(m.f1).toBeCloseTo(8 / 13, 12);
    expect(m.accuracy).toBeCloseTo(7 / 12, 12);
  });

  it('picks the threshold with the highest F1, checked against every candidate', () => {
    const best = bestF1Threshold(y, s);
    for (const threshold of new Set(s)) expect(confusionMatrix(y, s, threshold).f1).toBeLessThanOrEqual(best.f1 + 1e-12);
    expect(confusionMatrix(y, s, best.threshold).f1).toBeCloseTo(best.f1, 12);
  });
});

describe('calibrationTable', () => {
  it('bins probabilities uniformly and leaves empty bins out', () => {
    const table = calibrationTable([0, 1, 1, 0, 1], [0.05, 0.95, 0.85, 0.15, 0.92], { bins: 10 });
    expect(table.map((row) => row.count)).toEqual([1, 1, 1, 2]);
    expect(table[3]).toMatchObject({ lower: 0.9, upper: 1, observedRate: 1 });
    expect(table[3].meanPredicted).toBeCloseTo(0.935, 12);
  });

  it('makes equal-count bins with the quantile strategy', () => {
    const scores = Array.from({ length: 40 }, (_, i) => i / 40);
    const labels = scores.map((p) => (p > 0.5 ? 1 : 0));
    const table = calibrationTable(labels, scores, { bins: 4, strategy: 'quantile' });
    expect(table.map((row) => row.count)).toEqual([10, 10, 10, 10]);
    expect(table[3].observedRate).toBe(1);
  });

  it('rejects scores outside [0, 1]', () => {
    expect(() => calibrationTable([0, 1], [0.2, 1.5])).toThrow(/outside/);
  });
});

describe('stratifiedSplit', () => {
  const labels = Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? 1 : 0));

  it('keeps the class shares, covers every row once and is seeded', () => {
    const { train, test } = stratifiedSplit(labels, 0.2, 7);
    expect(test).toHaveLength(200);
    expect(train).toHaveLength(800);
    expect(test.filter((i) => labels[i] === 1)).toHaveLength(20);
    expect(new Set([...train, ...test]).size).toBe(1000);
    expect(test).toEqual([...test].sort((a, b) => a - b));
    expect(stratifiedSplit(labels, 0.2, 7)).toEqual({ train, test });
    expect(stratifiedSplit(labels, 0.2, 8).test).not.toEqual(test);
  });

  it('puts at least one row of a small class on each side', () => {
    const { train, test } = stratifiedSplit([0, 0, 0, 0, 0, 0, 0, 0, 1, 1], 0.1, 1);
    expect(test.some((i) => i >= 8)).toBe(true);
    expect(train.some((i) => i >= 8)).toBe(true);
  });

  it('rejects a share outside (0, 1)', () => {
    expect(() => stratifiedSplit(labels, 1, 1)).toThrow(/testShare/);
  });
});
