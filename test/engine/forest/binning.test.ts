import { describe, expect, it } from 'vitest';
import { applyBinning, binUpperEdge, fitBinning } from '../../../electron/engine/analytics/forest/binning';
import { createColumnMatrix } from '../../../electron/engine/analytics/forest/matrix';
import { Random } from '../../../shared/random';

describe('quantile binning', () => {
  const rows = 20000;
  const random = new Random(3);
  const X = createColumnMatrix(rows, 3);
  for (let r = 0; r < rows; r++) {
    X.data[r] = random.logNormal(8, 2); // continuous and skewed
    X.data[rows + r] = random.int(5); // five levels
    X.data[2 * rows + r] = r % 10 === 0 ? Number.NaN : random.normal();
  }
  const binning = fitBinning(X, 255);
  const codes = applyBinning(X, binning);

  it('uses at most 254 value bins plus one for missing values', () => {
    expect(Array.from(binning.binCounts)).toEqual([254, 5, 254]);
    expect(Math.max(...codes)).toBeLessThanOrEqual(254);
  });

  it('gives missing values their own code and nothing else that code', () => {
    for (let r = 0; r < rows; r++) {
      const missing = Number.isNaN(X.data[2 * rows + r]);
      expect(codes[2 * rows + r] === binning.binCounts[2]).toBe(missing);
    }
  });

  it('keeps few distinct values apart, with edges halfway between them', () => {
    expect(Array.from(binning.edges.subarray(binning.edgeOffsets[1], binning.edgeOffsets[2]))).toEqual([0.5, 1.5, 2.5, 3.5]);
    for (let r = 0; r < rows; r++) expect(codes[rows + r]).toBe(X.data[rows + r]);
  });

  it('spreads a skewed column evenly over the bins', () => {
    const counts = new Array(254).fill(0);
    for (let r = 0; r < rows; r++) counts[codes[r]]++;
    expect(Math.min(...counts)).toBeGreaterThan(rows / 254 / 2);
    expect(Math.max(...counts)).toBeLessThan((rows / 254) * 2);
  });

  it('agrees with the raw thresholds: code <= b exactly when value <= edge b', () => {
    for (let f = 0; f < 3; f++) {
      for (let r = 0; r < rows; r += 37) {
        const value = X.data[f * rows + r];
        if (Number.isNaN(value)) continue;
        for (const b of [0, 10, 100, binning.binCounts[f] - 2, binning.binCounts[f] - 1]) {
          if (b < 0) continue;
          expect(codes[f * rows + r] <= b).toBe(value <= binUpperEdge(binning, f, b));
        }
      }
    }
  });

  it('fits on a row sample when asked and rejects a bad bin count', () => {
    const sampled = fitBinning(X, 16, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(sampled.binCounts[0]).toBeLessThanOrEqual(10);
    expect(() => fitBinning(X, 256)).toThrow(/maxBins/);
    expect(() => fitBinning(X, 1)).toThrow(/maxBins/);
  });

  it('handles a column that is entirely missing', () => {
    const empty = createColumnMatrix(3, 1, Float64Array.from([Number.NaN, Number.NaN, Number.NaN]));
    const b = fitBinning(empty, 255);
    expect(b.binCounts[0]).toBe(1);
    expect(Array.from(applyBinning(empty, b))).toEqual([1, 1, 1]);
  });
});
