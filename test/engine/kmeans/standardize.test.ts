import { describe, expect, it } from 'vitest';
import {
  fitStandardize,
  fitStandardizer,
  matrixFromRows,
  signedExpm1,
  signedLog1p,
  standardize,
  standardizeValue,
  unstandardize,
} from '../../../electron/engine/analytics/kmeans';

describe('standardize', () => {
  it('z-scores every column to mean 0 and population SD 1', () => {
    const data = matrixFromRows([[1, 10], [2, 20], [3, 30], [4, 40]]);
    const { scaler, standardized } = fitStandardize(data);
    // Column 0: mean 2.5, population SD √1.25.
    expect(scaler.means[0]).toBeCloseTo(2.5, 12);
    expect(scaler.sds[0]).toBeCloseTo(Math.sqrt(1.25), 12);
    expect(standardized.data[0]).toBeCloseTo(-1.5 / Math.sqrt(1.25), 12);
    for (let f = 0; f < 2; f++) {
      const column = [0, 1, 2, 3].map((i) => standardized.data[i * 2 + f]!);
      const mean = column.reduce((a, b) => a + b) / 4;
      const variance = column.reduce((a, b) => a + (b - mean) ** 2, 0) / 4;
      expect(mean).toBeCloseTo(0, 12);
      expect(variance).toBeCloseTo(1, 12);
    }
  });

  it('applies log1p to money columns before scaling, with the sign kept for negatives', () => {
    expect(signedLog1p(0)).toBe(0);
    expect(signedLog1p(Math.E - 1)).toBeCloseTo(1, 12);
    expect(signedLog1p(-(Math.E - 1))).toBeCloseTo(-1, 12);
    expect(signedExpm1(signedLog1p(-12345.5))).toBeCloseTo(-12345.5, 6);

    const data = matrixFromRows([[30, 0], [40, 99], [50, 9999], [60, -99]]);
    const scaler = fitStandardizer(data, { logColumns: [1] });
    // Logged column 1 is [0, ln 100, ln 10000, −ln 100], mean ln 10000 / 4 = ln 10.
    expect(scaler.logColumns[1]).toBe(1);
    expect(scaler.logColumns[0]).toBe(0);
    expect(scaler.means[1]).toBeCloseTo(Math.log(10), 12);
    expect(standardizeValue(99, 1, scaler)).toBeCloseTo((Math.log(100) - Math.log(10)) / scaler.sds[1]!, 12);
  });

  it('accepts the money flags as booleans per column', () => {
    const data = matrixFromRows([[1, 100], [2, 1000]]);
    expect(fitStandardizer(data, { logColumns: [false, true] }).logColumns[1]).toBe(1);
    expect(() => fitStandardizer(data, { logColumns: [true] })).toThrow(/维度不匹配/);
    expect(() => fitStandardizer(data, { logColumns: [5] })).toThrow(/超出范围/);
  });

  it('maps standardized rows back to original units', () => {
    const data = matrixFromRows([[30, 1000], [45, 250000], [70, 3000000], [25, -5000]]);
    const { scaler, standardized } = fitStandardize(data, { logColumns: [false, true] });
    const back = unstandardize(standardized, scaler);
    back.data.forEach((value, p) => expect(value).toBeCloseTo(data.data[p]!, 6));
  });

  it('maps a constant column to 0 instead of dividing by zero', () => {
    const data = matrixFromRows([[5, 1], [5, 2], [5, 3]]);
    const { scaler, standardized } = fitStandardize(data);
    expect(scaler.constantColumns[0]).toBe(1);
    expect(scaler.sds[0]).toBe(1);
    expect([0, 1, 2].map((i) => standardized.data[i * 2])).toEqual([0, 0, 0]);
  });

  it('rejects NaN and column mismatches', () => {
    expect(() => fitStandardizer(matrixFromRows([[1, Number.NaN]]))).toThrow(/NaN（第 0 行，第 1 列）/);
    const scaler = fitStandardizer(matrixFromRows([[1, 2], [3, 4]]));
    expect(() => standardize(matrixFromRows([[1, 2, 3]]), scaler)).toThrow(/维度不匹配/);
  });
});
