import { describe, expect, it } from 'vitest';
import { matrixFromRows, suggestK } from '../../../electron/engine/analytics/kmeans';
import { gaussianBlobs, separatedCentres } from './fixtures';

describe('suggestK', () => {
  for (const trueK of [3, 5, 7]) {
    it(`finds k = ${trueK} on clear blobs`, () => {
      const { data } = gaussianBlobs(
        separatedCentres(trueK, 6, 10, 10, 50 + trueK).map((centre, c) => ({ centre, sd: 1, size: 200 + 70 * c })),
        60 + trueK,
      );
      const result = suggestK(data, { seed: 1 });
      expect(result.bestK).toBe(trueK);
      expect(result.curve.map((p) => p.k)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
      const best = result.curve.find((p) => p.k === trueK)!;
      for (const point of result.curve) expect(point.silhouette).toBeLessThanOrEqual(best.silhouette);
      expect(result.sampleSize).toBe(data.rows);
    });
  }

  it('fits and scores on a seeded sample when the data is larger', () => {
    const { data } = gaussianBlobs(
      separatedCentres(4, 3, 8, 8, 70).map((centre) => ({ centre, sd: 1, size: 600 })),
      71,
    );
    const a = suggestK(data, { sampleSize: 500, seed: 2, kMax: 6 });
    const b = suggestK(data, { sampleSize: 500, seed: 2, kMax: 6 });
    expect(a).toEqual(b);
    expect(a.sampleSize).toBe(500);
    expect(a.bestK).toBe(4);
    expect(a.curve.every((p) => p.inertia > 0 && p.iterations >= 1)).toBe(true);
  });

  it('lowers kMax to what a small data set allows, and validates the range', () => {
    const data = matrixFromRows([[0], [0.1], [5], [5.1], [10]]);
    const result = suggestK(data);
    expect(result.kMax).toBe(4);
    expect(result.curve.map((p) => p.k)).toEqual([2, 3, 4]);
    expect(() => suggestK(data, { kMin: 1 })).toThrow(/kMin/);
    expect(() => suggestK(data, { kMin: 4, kMax: 3 })).toThrow(/kMax/);
    expect(() => suggestK(matrixFromRows([[0], [1]]))).toThrow(/数据只有 2 行/);
  });
});
