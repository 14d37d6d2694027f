import { describe, expect, it } from 'vitest';
import { Random } from '../../../shared/random';
import {
  adjustedRandIndex,
  assignToCentroids,
  createMatrix,
  kmeans,
  kmeansPlusPlus,
  matrixFromRows,
  type Matrix,
} from '../../../electron/engine/analytics/kmeans';
import { gaussianBlobs, naiveLloyd, nearestCentroids, separatedCentres } from './fixtures';

function inertiaOf(data: Matrix, centroids: Float64Array, labels: Int32Array): number {
  let total = 0;
  for (let i = 0; i < data.rows; i++) {
    for (let f = 0; f < data.cols; f++) total += (data.data[i * data.cols + f]! - centroids[labels[i]! * data.cols + f]!) ** 2;
  }
  return total;
}

describe('kmeans recovers planted clusters', () => {
  const configurations = [
    {
      name: '3 equal blobs in 2-D',
      specs: [
        { centre: [0, 0], sd: 1, size: 300 },
        { centre: [10, 0], sd: 1, size: 300 },
        { centre: [5, 9], sd: 1, size: 300 },
      ],
    },
    {
      name: '5 blobs of very unequal sizes in 8-D',
      specs: separatedCentres(5, 8, 9, 8, 11).map((centre, c) => ({ centre, sd: 1, size: [2000, 800, 300, 120, 60][c]! })),
    },
    {
      name: '4 blobs with different spreads per dimension in 5-D',
      specs: separatedCentres(4, 5, 10, 8, 12).map((centre, c) => ({
        centre,
        sd: [0.5, 1, 1.5, 0.8, 1.2].map((s) => s * (1 + c * 0.2)),
        size: 400 + 150 * c,
      })),
    },
    {
      name: '6 blobs in 12-D (wider than the narrow seeding path)',
      specs: separatedCentres(6, 12, 9, 6, 14).map((centre, c) => ({ centre, sd: 1, size: 300 + 100 * c })),
    },
    {
      name: '8 customer-like segments in 8-D, 20,000 rows',
      specs: separatedCentres(8, 8, 7, 6, 13).map((centre, c) => ({ centre, sd: 0.9, size: [5200, 4000, 3000, 2400, 2000, 1600, 1000, 800][c]! })),
    },
  ];

  for (const { name, specs } of configurations) {
    it(`${name}: ARI ≥ 0.95 against the truth`, () => {
      const { data, truth } = gaussianBlobs(specs, 101);
      const result = kmeans(data, { k: specs.length, seed: 7 });
      expect(adjustedRandIndex(result.labels, truth)).toBeGreaterThanOrEqual(0.95);
      expect(result.converged).toBe(true);
      expect(Array.from(result.sizes).reduce((a, b) => a + b, 0)).toBe(data.rows);
    });
  }

  it('recovers the blobs with the Elkan variant too', () => {
    const { data, truth } = gaussianBlobs(configurations[1]!.specs, 102);
    const result = kmeans(data, { k: 5, seed: 3, algorithm: 'elkan' });
    expect(adjustedRandIndex(result.labels, truth)).toBeGreaterThanOrEqual(0.95);
  });
});

describe('kmeans is deterministic and exact', () => {
  const overlapping = gaussianBlobs(
    separatedCentres(6, 4, 2.5, 3, 21).map((centre, c) => ({ centre, sd: 1, size: 250 + 40 * c })),
    22,
  );

  it('gives identical labels, centroids and inertia for the same seed', () => {
    const a = kmeans(overlapping.data, { k: 6, seed: 42 });
    const b = kmeans(overlapping.data, { k: 6, seed: 42 });
    expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
    expect(Array.from(b.centroids.data)).toEqual(Array.from(a.centroids.data));
    expect(b.inertia).toBe(a.inertia);
    expect(b.iterations).toBe(a.iterations);
  });

  it('accepts text seeds and reproduces them', () => {
    const a = kmeans(overlapping.data, { k: 4, seed: 'branch-0101' });
    const b = kmeans(overlapping.data, { k: 4, seed: 'branch-0101' });
    expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
  });

  for (const algorithm of ['hamerly', 'elkan'] as const) {
    it(`${algorithm} matches a brute-force Lloyd from the same start, round for round`, () => {
      // Overlapping clusters need many rounds, which exercises the bounds.
      for (const seed of [1, 2, 3]) {
        const start = kmeansPlusPlus(overlapping.data, 6, new Random(seed)).centres;
        const reference = naiveLloyd(overlapping.data, start, 6);
        const ours = kmeans(overlapping.data, { k: 6, init: createMatrix(6, 4, Float64Array.from(start)), algorithm });
        expect(Array.from(ours.labels)).toEqual(Array.from(reference.labels));
        expect(ours.iterations).toBe(reference.iterations);
        ours.centroids.data.forEach((value, p) => expect(value).toBeCloseTo(reference.centroids[p]!, 9));
        expect(ours.inertia).toBeCloseTo(inertiaOf(overlapping.data, reference.centroids, reference.labels), 6);
      }
    });
  }

  it('uses the k-means++ assignment as the first Lloyd step without changing the result', () => {
    // Seeding hands its nearest-centre bookkeeping to Hamerly; starting from the same centres given
    // explicitly (which recomputes that step) must give the same answer.
    const seeded = kmeans(overlapping.data, { k: 6, seed: 9 });
    const centres = kmeansPlusPlus(overlapping.data, 6, new Random(9).fork(0)).centres;
    const explicit = kmeans(overlapping.data, { k: 6, init: createMatrix(6, 4, centres) });
    expect(Array.from(seeded.labels)).toEqual(Array.from(explicit.labels));
    expect(seeded.iterations).toBe(explicit.iterations);
  });

  it('gives the same seeding and result whether rows are 8 wide or padded with a zero column', () => {
    // Eight columns take the narrow k-means++ sweep, nine the general one; a zero column changes no
    // distance, so both must pick the same rows and end with the same labels.
    const { data } = gaussianBlobs(
      separatedCentres(5, 8, 4, 5, 23).map((centre, c) => ({ centre, sd: 1, size: 200 + 50 * c })),
      24,
    );
    const widened = createMatrix(data.rows, 9);
    for (let i = 0; i < data.rows; i++) widened.data.set(data.data.subarray(i * 8, i * 8 + 8), i * 9);
    const narrow = kmeans(data, { k: 5, seed: 6 });
    const wide = kmeans(widened, { k: 5, seed: 6 });
    expect(Array.from(wide.labels)).toEqual(Array.from(narrow.labels));
    expect(wide.iterations).toBe(narrow.iterations);
    expect(wide.inertia).toBeCloseTo(narrow.inertia, 9);
  });

  it('matches a brute-force Lloyd in 10-D too', () => {
    const { data } = gaussianBlobs(
      separatedCentres(5, 10, 3, 3, 25).map((centre, c) => ({ centre, sd: 1, size: 150 + 30 * c })),
      26,
    );
    const start = kmeansPlusPlus(data, 5, new Random(2)).centres;
    const reference = naiveLloyd(data, start, 5);
    const ours = kmeans(data, { k: 5, init: createMatrix(5, 10, Float64Array.from(start)) });
    expect(Array.from(ours.labels)).toEqual(Array.from(reference.labels));
    expect(ours.iterations).toBe(reference.iterations);
  });

  it('always returns labels that are the nearest centroid of each row', () => {
    for (const options of [{ seed: 5 }, { seed: 5, maxIterations: 1 }, { seed: 5, tolerance: 10 }, { seed: 5, algorithm: 'elkan' as const }]) {
      const result = kmeans(overlapping.data, { k: 6, ...options });
      expect(Array.from(result.labels)).toEqual(Array.from(nearestCentroids(overlapping.data, result.centroids)));
      expect(result.inertia).toBeCloseTo(inertiaOf(overlapping.data, result.centroids.data, result.labels), 6);
    }
  });

  it('stops at maxIterations and reports it did not converge', () => {
    const result = kmeans(overlapping.data, { k: 6, seed: 5, maxIterations: 2 });
    expect(result.iterations).toBe(2);
    expect(result.converged).toBe(false);
  });

  it('stops after one round under a loose tolerance, as scikit-learn does', () => {
    const result = kmeans(overlapping.data, { k: 6, seed: 5, tolerance: 1e6 });
    expect(result.iterations).toBe(1);
    expect(result.converged).toBe(true);
  });

  it('re-seeds an empty cluster with the row farthest from its centre', () => {
    // The third start centre is far from every row, so its cluster is empty after the first assignment.
    const { data } = gaussianBlobs(
      [
        { centre: [0, 0], sd: 1, size: 100 },
        { centre: [8, 0], sd: 1, size: 100 },
        { centre: [4, 7], sd: 1, size: 100 },
      ],
      31,
    );
    const start = Float64Array.from([0, 0, 8, 0, 500, 500]);
    const reference = naiveLloyd(data, start, 3);
    for (const algorithm of ['hamerly', 'elkan'] as const) {
      const ours = kmeans(data, { k: 3, init: createMatrix(3, 2, Float64Array.from(start)), algorithm });
      expect(Array.from(ours.sizes).every((size) => size > 0)).toBe(true);
      expect(Array.from(ours.labels)).toEqual(Array.from(reference.labels));
      ours.centroids.data.forEach((value, p) => expect(value).toBeCloseTo(reference.centroids[p]!, 9));
    }
  });

  it('survives duplicate rows (fewer distinct points than clusters would be degenerate, but k distinct is fine)', () => {
    const data = matrixFromRows([[0, 0], [0, 0], [0, 0], [5, 5], [5, 5], [9, 0]]);
    const result = kmeans(data, { k: 3, seed: 1 });
    expect(new Set(result.labels).size).toBe(3);
    expect(result.inertia).toBeCloseTo(0, 12);
  });
});

describe('kmeans quality', () => {
  const { data } = gaussianBlobs(
    separatedCentres(8, 6, 4, 6, 41).map((centre, c) => ({ centre, sd: 1, size: 150 + 60 * c })),
    42,
  );

  it('k-means++ ends with lower inertia than random starts, on average', () => {
    const seeds = Array.from({ length: 12 }, (_, s) => s + 1);
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const plusPlus = mean(seeds.map((seed) => kmeans(data, { k: 8, seed }).inertia));
    const random = mean(seeds.map((seed) => kmeans(data, { k: 8, seed, init: 'random' }).inertia));
    expect(plusPlus).toBeLessThan(random);
  });

  it('Lloyd never increases the inertia of its start', () => {
    const start = kmeansPlusPlus(data, 8, new Random(3));
    const startInertia = start.closest.reduce((a, b) => a + b, 0);
    const result = kmeans(data, { k: 8, init: createMatrix(8, 6, start.centres) });
    expect(result.inertia).toBeLessThanOrEqual(startInertia);
  });

  it('nInit keeps the best of several runs, and its first run is the single run', () => {
    const single = kmeans(data, { k: 8, seed: 4 });
    const several = kmeans(data, { k: 8, seed: 4, nInit: 6 });
    expect(several.inertia).toBeLessThanOrEqual(single.inertia);
  });

  it('assignToCentroids places new rows on the nearest centroid', () => {
    const result = kmeans(data, { k: 8, seed: 4 });
    const { labels, squaredDistances } = assignToCentroids(data, result.centroids);
    expect(Array.from(labels)).toEqual(Array.from(result.labels));
    expect(squaredDistances.reduce((a, b) => a + b, 0)).toBeCloseTo(result.inertia, 6);
  });
});

describe('kmeans validates its input', () => {
  const data = matrixFromRows([[1, 2], [3, 4], [5, 6], [7, 8]]);

  it('rejects k < 2 and k > n', () => {
    expect(() => kmeans(data, { k: 1 })).toThrow(/k 必须至少为 2/);
    expect(() => kmeans(data, { k: 0 })).toThrow(/k 必须至少为 2/);
    expect(() => kmeans(data, { k: 5 })).toThrow(/k（5）不能大于数据行数（4）/);
    expect(() => kmeans(data, { k: 2.5 })).toThrow(/k 必须是整数/);
  });

  it('rejects NaN and infinite values, naming the cell', () => {
    const withNaN = matrixFromRows([[1, 2], [3, Number.NaN], [5, 6]]);
    expect(() => kmeans(withNaN, { k: 2 })).toThrow(/NaN（第 1 行，第 1 列）/);
    const withInfinity = matrixFromRows([[1, 2], [3, 4], [Number.POSITIVE_INFINITY, 6]]);
    expect(() => kmeans(withInfinity, { k: 2 })).toThrow(/Infinity（第 2 行，第 0 列）/);
  });

  it('rejects dimension mismatches', () => {
    expect(() => kmeans({ rows: 3, cols: 2, data: new Float64Array(5) }, { k: 2 })).toThrow(/维度不匹配/);
    expect(() => kmeans(data, { k: 2, init: matrixFromRows([[0, 0, 0], [1, 1, 1]]) })).toThrow(/维度不匹配：初始中心有 3 列，数据有 2 列/);
    expect(() => kmeans(data, { k: 3, init: matrixFromRows([[0, 0], [1, 1]]) })).toThrow(/应等于 k/);
    expect(() => assignToCentroids(data, matrixFromRows([[0, 0, 0]]))).toThrow(/维度不匹配/);
    expect(() => matrixFromRows([[1, 2], [3]])).toThrow(/维度不匹配：第 1 行有 1 列，应为 2 列/);
  });

  it('rejects bad options with their names in the message', () => {
    expect(() => kmeans(data, { k: 2, maxIterations: 0 })).toThrow(/maxIterations/);
    expect(() => kmeans(data, { k: 2, tolerance: -1 })).toThrow(/tolerance/);
    expect(() => kmeans(data, { k: 2, nInit: 0 })).toThrow(/nInit/);
    expect(() => kmeans(data, { k: 2, algorithm: 'full' as never })).toThrow(/algorithm/);
    expect(() => kmeans(data, { k: 2, init: 'kmeans' as never })).toThrow(/init/);
    expect(() => kmeans(data, { k: 2, nInit: 3, init: matrixFromRows([[0, 0], [1, 1]]) })).toThrow(/nInit 必须为 1/);
  });
});
