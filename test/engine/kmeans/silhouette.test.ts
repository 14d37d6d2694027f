import { describe, expect, it } from 'vitest';
import { Random } from '../../../shared/random';
import {
  createMatrix,
  kmeans,
  matrixFromRows,
  silhouetteSamples,
  silhouetteScore,
  silhouetteScores,
} from '../../../electron/engine/analytics/kmeans';
import { gaussianBlobs } from './fixtures';

describe('silhouette', () => {
  it('matches a hand-computed 1-D example', () => {
    // Points 0, 2 | 5, 9 (clusters A, B).
    //   x=0: a = |0−2| = 2,            b = (5 + 9)/2 = 7, s = (7−2)/7 = 5/7
    //   x=2: a = 2,                    b = (3 + 7)/2 = 5, s = (5−2)/5 = 3/5
    //   x=5: a = |5−9| = 4,            b = (5 + 3)/2 = 4, s = 0
    //   x=9: a = 4,                    b = (9 + 7)/2 = 8, s = (8−4)/8 = 1/2
    // Mean = (5/7 + 3/5 + 0 + 1/2) / 4 = (127/70) / 4 = 127/280.
    const data = matrixFromRows([[0], [2], [5], [9]]);
    const labels = [0, 0, 1, 1];
    const samples = silhouetteSamples(data, labels);
    expect(Array.from(samples)).toEqual([5 / 7, 3 / 5, 0, 1 / 2].map((v) => expect.closeTo(v, 12)));
    expect(silhouetteScore(data, labels)).toBeCloseTo(127 / 280, 12);
  });

  it('gives a singleton cluster 0 and lets it compete as the nearest other cluster', () => {
    // Adding x=20 alone in cluster C: its own silhouette is 0 by convention, and for the others
    // cluster C (mean distance 20, 18, 15, 11) is never nearer than the other pair, so they keep
    // 5/7, 3/5, 0, 1/2. Mean = (127/70) / 5 = 127/350.
    const data = matrixFromRows([[0], [2], [5], [9], [20]]);
    const labels = [0, 0, 1, 1, 2];
    expect(silhouetteSamples(data, labels)[4]).toBe(0);
    expect(silhouetteScore(data, labels)).toBeCloseTo(127 / 350, 12);
  });

  it('uses Euclidean distance in several dimensions', () => {
    // A = {(0,0), (0,2)}, B = {(3,4), (3,6)}.
    //   (0,0): a = 2, b = (5 + √45)/2,      s = 1 − 2/b
    //   (0,2): a = 2, b = (√13 + 5)/2,      s = 1 − 2/b
    //   (3,4): a = 2, b = (5 + √13)/2,      s = 1 − 2/b
    //   (3,6): a = 2, b = (√45 + 5)/2,      s = 1 − 2/b
    const data = matrixFromRows([[0, 0], [0, 2], [3, 4], [3, 6]]);
    const far = (5 + Math.sqrt(45)) / 2;
    const near = (Math.sqrt(13) + 5) / 2;
    const expected = [1 - 2 / far, 1 - 2 / near, 1 - 2 / near, 1 - 2 / far];
    const samples = silhouetteSamples(data, ['a', 'a', 'b', 'b'].map((l) => (l === 'a' ? 7 : 3)));
    samples.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 12));
  });

  it('scores several labelings at once exactly as one by one, across many tiles', () => {
    const { data } = gaussianBlobs(
      [
        { centre: [0, 0, 0], sd: 1, size: 300 },
        { centre: [6, 0, 0], sd: 1, size: 200 },
        { centre: [0, 6, 3], sd: 1.5, size: 150 },
      ],
      5,
    );
    const random = new Random(8);
    const labelings = [2, 3, 4, 7].map((k) => kmeans(data, { k, seed: k }).labels);
    labelings.push(Int32Array.from({ length: data.rows }, () => random.int(5)));
    const together = silhouetteScores(data, labelings);
    labelings.forEach((labels, l) => {
      const alone = silhouetteSamples(data, labels);
      expect(together[l]).toBeCloseTo(alone.reduce((a, b) => a + b, 0) / data.rows, 12);
      expect(silhouetteScore(data, labels)).toBeCloseTo(together[l]!, 12);
    });
    // Well-separated truth beats random labels by far.
    expect(together[1]!).toBeGreaterThan(0.5);
    expect(Math.abs(together[4]!)).toBeLessThan(0.05);
  });

  it('matches a brute-force silhouette on random data of odd size (partial tiles)', () => {
    const random = new Random(3);
    const n = 301;
    const d = 11; // padded to 16 internally: two chunks of 8
    const data = createMatrix(n, d, Float64Array.from({ length: n * d }, () => random.normal()));
    const labels = Int32Array.from({ length: n }, () => random.int(4));
    const dist = (i: number, j: number) => Math.hypot(...Array.from({ length: d }, (_, f) => data.data[i * d + f]! - data.data[j * d + f]!));
    let total = 0;
    for (let i = 0; i < n; i++) {
      const sums = [0, 0, 0, 0];
      const counts = [0, 0, 0, 0];
      for (let j = 0; j < n; j++) {
        sums[labels[j]!]! += dist(i, j);
        counts[labels[j]!]!++;
      }
      const own = labels[i]!;
      const a = sums[own]! / (counts[own]! - 1);
      const b = Math.min(...[0, 1, 2, 3].filter((c) => c !== own).map((c) => sums[c]! / counts[c]!));
      total += (b - a) / Math.max(a, b);
    }
    expect(silhouetteScore(data, labels)).toBeCloseTo(total / n, 10);
  });

  it('samples reproducibly above sampleSize', () => {
    const { data, truth } = gaussianBlobs(
      [
        { centre: [0, 0], sd: 1, size: 600 },
        { centre: [5, 5], sd: 1, size: 600 },
      ],
      9,
    );
    const a = silhouetteScore(data, truth, { sampleSize: 300, seed: 4 });
    const b = silhouetteScore(data, truth, { sampleSize: 300, seed: 4 });
    expect(a).toBe(b);
    expect(a).toBeCloseTo(silhouetteScore(data, truth), 1);
  });

  it('rejects a single cluster, label count mismatches and NaN', () => {
    const data = matrixFromRows([[0], [1], [2]]);
    expect(() => silhouetteScore(data, [0, 0, 0])).toThrow(/簇数在 2 到 2 之间/);
    expect(() => silhouetteScore(data, [0, 1, 2])).toThrow(/簇数在 2 到 2 之间/);
    expect(() => silhouetteScore(data, [0, 1])).toThrow(/标签数（2）与数据行数（3）不一致/);
    expect(() => silhouetteScore(matrixFromRows([[0], [Number.NaN], [1]]), [0, 1, 1])).toThrow(/NaN/);
  });
});
