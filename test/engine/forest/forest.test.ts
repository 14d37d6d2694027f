import { describe, expect, it } from 'vitest';
import {
  RandomForestClassifier,
  RandomForestRegressor,
  TrainingCancelledError,
  TreeWorkerPool,
  createColumnMatrix,
  rowValues,
} from '../../../electron/engine/analytics/forest/index';
import { confusionMatrix, r2Score, rocAuc } from '../../../electron/engine/analytics/metrics';
import { Random } from '../../../shared/random';
import { signalData, splitAt } from './synthetic';

function holdOutAuc(strength: number, seed: number): number {
  const [train, test] = splitAt(signalData(6000, 8, strength, seed), 4000);
  const forest = new RandomForestClassifier({ nEstimators: 60, maxDepth: 8, minSamplesLeaf: 3, seed }).train(train.X, train.y);
  return rocAuc(test.y, forest.predictProbability(test.X));
}

describe('RandomForestClassifier on data with known signal', () => {
  it('finds no signal where there is none and more as the signal grows', () => {
    const aucs = [0, 0.3, 1, 3].map((strength) => holdOutAuc(strength, 11));
    expect(aucs[0]).toBeGreaterThan(0.45);
    expect(aucs[0]).toBeLessThan(0.55);
    for (let i = 1; i < aucs.length; i++) expect(aucs[i]).toBeGreaterThan(aucs[i - 1] + 0.03);
    expect(aucs[3]).toBeGreaterThan(0.9);
  });

  it('ranks the informative features first and normalises importances to 1', () => {
    const data = signalData(3000, 8, 2, 5);
    const forest = new RandomForestClassifier({ nEstimators: 40, maxDepth: 8, seed: 5 }).train(data.X, data.y);
    const importance = forest.featureImportance();
    expect(importance.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const top = importance.map((v, f) => [v, f] as const).sort((a, b) => b[0] - a[0]).slice(0, 3).map(([, f]) => f).sort();
    expect(top).toEqual([0, 1, 2]);
  });

  it('gives probabilities in [0, 1], labels from the training classes and sums per-class probabilities to 1', () => {
    const data = signalData(1500, 5, 1, 3);
    const y = Array.from(data.y, (v) => (v === 1 ? 7 : -2));
    const forest = new RandomForestClassifier({ nEstimators: 20, seed: 3 }).train(data.X, y);
    expect(forest.classes).toEqual([-2, 7]);
    const p = forest.predictProbability(data.X);
    const p7 = forest.predictProbability(data.X, 7);
    const all = forest.predictProbabilities(data.X);
    const labels = forest.predict(data.X);
    for (let r = 0; r < data.X.rows; r++) {
      expect(p[r]).toBeGreaterThanOrEqual(0);
      expect(p[r]).toBeLessThanOrEqual(1);
      expect(p7[r]).toBe(p[r]);
      expect(all[2 * r] + all[2 * r + 1]).toBeCloseTo(1, 12);
      expect(labels[r]).toBe(all[2 * r + 1] > all[2 * r] ? 7 : -2);
    }
  });

  it('trains on number[][] exactly as on the column matrix', () => {
    const data = signalData(800, 4, 1, 9);
    const rows = Array.from({ length: data.X.rows }, (_, r) => rowValues(data.X, r));
    const fromRows = new RandomForestClassifier({ nEstimators: 10, seed: 9 }).train(rows, Array.from(data.y));
    const fromMatrix = new RandomForestClassifier({ nEstimators: 10, seed: 9 }).train(data.X, data.y);
    expect(fromRows.toJSON()).toEqual(fromMatrix.toJSON());
    expect(fromRows.predictProbability(rows)).toEqual(fromMatrix.predictProbability(data.X));
  });

  it('handles three classes', () => {
    const random = new Random(4);
    const rows = 1500;
    const X = createColumnMatrix(rows, 3);
    const y: number[] = [];
    for (let r = 0; r < rows; r++) {
      const v = random.uniform(0, 3);
      X.data[r] = v;
      X.data[rows + r] = random.normal();
      X.data[2 * rows + r] = random.normal();
      y.push(Math.floor(v));
    }
    const forest = new RandomForestClassifier({ nEstimators: 20, seed: 4 }).train(X, y);
    const predicted = forest.predict(X);
    let hits = 0;
    for (let r = 0; r < rows; r++) if (predicted[r] === y[r]) hits++;
    expect(hits / rows).toBeGreaterThan(0.95);
    expect(() => forest.predictProbability(X)).toThrow(/3 classes/);
    expect(forest.predictProbabilities(X)).toHaveLength(rows * 3);
  });
});

describe('missing values', () => {
  it('learns which side missing values belong to', () => {
    const random = new Random(21);
    const rows = 4000;
    const X = createColumnMatrix(rows, 2);
    const y = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      const missing = random.bernoulli(0.3);
      X.data[r] = missing ? Number.NaN : random.normal();
      X.data[rows + r] = random.normal();
      // Missing means positive; otherwise the sign of x0 decides.
      y[r] = missing || X.data[r] > 1 ? 1 : 0;
    }
    const forest = new RandomForestClassifier({ nEstimators: 20, maxDepth: 4, seed: 21 }).train(X, y);
    const probe = createColumnMatrix(3, 2, Float64Array.from([Number.NaN, -1, 2, 0, 0, 0]));
    const [pMissing, pLow, pHigh] = forest.predictProbability(probe);
    expect(pMissing).toBeGreaterThan(0.9);
    expect(pLow).toBeLessThan(0.1);
    expect(pHigh).toBeGreaterThan(0.9);
  });

  it('scores a missing value never seen in training by the majority branch', () => {
    const data = signalData(1000, 4, 1, 2);
    const forest = new RandomForestClassifier({ nEstimators: 10, seed: 2 }).train(data.X, data.y);
    const probe = createColumnMatrix(1, 4, Float64Array.from([Number.NaN, Number.NaN, Number.NaN, Number.NaN]));
    const [p] = forest.predictProbability(probe);
    expect(p).toBeGreaterThanOrEqual(0);
    expect(p).toBeLessThanOrEqual(1);
  });
});

describe('contributions', () => {
  it('sum with the bias to the predicted probability of every row', () => {
    const data = signalData(2000, 6, 1.5, 8);
    for (let r = 0; r < 2000; r += 7) data.X.data[2 * 2000 + r] = Number.NaN;
    const forest = new RandomForestClassifier({ nEstimators: 30, maxDepth: 10, seed: 8 }).train(data.X, data.y);
    const p = forest.predictProbability(data.X);
    const { bias, values, features } = forest.contributions(data.X);
    expect(features).toBe(6);
    for (let r = 0; r < data.X.rows; r++) {
      let sum = bias;
      for (let f = 0; f < features; f++) sum += values[r * features + f];
      expect(Math.abs(sum - p[r])).toBeLessThan(1e-9);
    }
  });

  it('credit the features that drive a row', () => {
    const data = signalData(3000, 6, 2, 12);
    const forest = new RandomForestClassifier({ nEstimators: 30, maxDepth: 8, seed: 12 }).train(data.X, data.y);
    const probe = createColumnMatrix(1, 6, Float64Array.from([2.5, 0, 0, 0, 0, 0]));
    const { values } = forest.contributions(probe);
    const largest = values.indexOf(Math.max(...values));
    expect(largest).toBe(0);
  });

  it('sum to the prediction for the regressor too', () => {
    const data = signalData(1500, 4, 1, 13);
    const forest = new RandomForestRegressor({ nEstimators: 20, maxDepth: 8, seed: 13 }).train(data.X, data.X.data.subarray(0, 1500));
    const prediction = forest.predict(data.X);
    const { bias, values } = forest.contributions(data.X);
    for (let r = 0; r < 1500; r++) {
      let sum = bias;
      for (let f = 0; f < 4; f++) sum += values[r * 4 + f];
      expect(Math.abs(sum - prediction[r])).toBeLessThan(1e-9);
    }
  });
});

describe('reproducibility', () => {
  const data = signalData(3000, 7, 1, 31);

  it('gives the same model for the same seed and another for another seed', () => {
    const options = { nEstimators: 15, maxDepth: 9, seed: 77 };
    const a = new RandomForestClassifier(options).train(data.X, data.y).toJSON();
    const b = new RandomForestClassifier(options).train(data.X, data.y).toJSON();
    const c = new RandomForestClassifier({ ...options, seed: 78 }).train(data.X, data.y).toJSON();
    expect(b).toEqual(a);
    expect(c.trees).not.toEqual(a.trees);
  });

  it('gives the same model on two threads as on one', async () => {
    const options = { nEstimators: 24, maxDepth: 9, minSamplesLeaf: 2, seed: 5, classWeight: 'balanced' as const };
    const single = new RandomForestClassifier({ ...options, nJobs: 1 }).train(data.X, data.y);
    const progress: number[] = [];
    const dual = await new RandomForestClassifier({ ...options, nJobs: 2, workerStart: 'eager', onProgress: (done) => progress.push(done) }).trainAsync(data.X, data.y);
    expect(dual.toJSON()).toEqual(single.toJSON());
    expect(progress).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
  });

  it('trains forest after forest on a pool of threads started once, each the same model as on one thread', async () => {
    const pool = new TreeWorkerPool(1);
    try {
      for (const seed of [11, 12]) {
        const options = { nEstimators: 16, maxDepth: 8, seed };
        const single = new RandomForestClassifier(options).train(data.X, data.y);
        const pooled = await new RandomForestClassifier({ ...options, workerPool: pool }).trainAsync(data.X, data.y);
        expect(pooled.toJSON()).toEqual(single.toJSON());
      }
    } finally {
      await pool.close();
    }
  });

  it('starts no worker thread for a forest too small to repay one, and gives the same model', async () => {
    const options = { nEstimators: 6, maxDepth: 4, seed: 5 };
    const single = new RandomForestClassifier(options).train(data.X, data.y);
    const auto = await new RandomForestClassifier({ ...options, nJobs: 'auto' }).trainAsync(data.X, data.y);
    expect(auto.trainingThreads).toBe(1);
    expect(auto.toJSON()).toEqual(single.toJSON());
  });

  it('gives the same classification trees whichever way histograms are obtained', () => {
    const models = (['auto', 'subtract', 'direct'] as const).map((histogramStrategy) =>
      new RandomForestClassifier({ nEstimators: 8, maxDepth: 10, seed: 3, histogramStrategy }).train(data.X, data.y).toJSON(),
    );
    expect(models[1]).toEqual(models[0]);
    expect(models[2]).toEqual(models[0]);
  });

  it('scores identically after toJSON → JSON text → load', () => {
    const forest = new RandomForestClassifier({ nEstimators: 12, maxDepth: 8, seed: 6, featureNames: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] }).train(data.X, data.y);
    const loaded = RandomForestClassifier.load(JSON.parse(JSON.stringify(forest.toJSON())));
    expect(loaded.predictProbability(data.X)).toEqual(forest.predictProbability(data.X));
    expect(loaded.predict(data.X)).toEqual(forest.predict(data.X));
    expect(loaded.contributions(data.X)).toEqual(forest.contributions(data.X));
    expect(loaded.featureImportance()).toEqual(forest.featureImportance());
    expect(loaded.featureNames).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(loaded.toJSON()).toEqual(forest.toJSON());

    const regressor = new RandomForestRegressor({ nEstimators: 5, seed: 6 }).train(data.X, data.X.data.subarray(0, 3000));
    const loadedRegressor = RandomForestRegressor.load(JSON.parse(JSON.stringify(regressor.toJSON())));
    expect(loadedRegressor.predict(data.X)).toEqual(regressor.predict(data.X));
  });

  it('refuses to load a model of another kind or a corrupted one', () => {
    const json = new RandomForestClassifier({ nEstimators: 2, seed: 1 }).train(data.X, data.y).toJSON();
    expect(() => RandomForestRegressor.load(json)).toThrow(/RFClassifier/);
    expect(() => RandomForestClassifier.load({ ...json, version: 99 })).toThrow(/version/);
    const broken = { ...json, trees: [{ ...json.trees[0], left: json.trees[0].right.slice(4) }] };
    expect(() => RandomForestClassifier.load(broken)).toThrow();
  });
});

describe('class_weight', () => {
  it("'balanced' raises recall on a rare class", () => {
    const [train, test] = splitAt(signalData(12000, 6, 1.2, 41, -4.2), 8000);
    const positives = train.y.reduce((a, b) => a + b, 0) / train.y.length;
    expect(positives).toBeLessThan(0.08);
    const options = { nEstimators: 40, maxDepth: 8, minSamplesLeaf: 5, seed: 41 };
    const plain = new RandomForestClassifier(options).train(train.X, train.y);
    const balanced = new RandomForestClassifier({ ...options, classWeight: 'balanced' }).train(train.X, train.y);
    const recallPlain = confusionMatrix(test.y, plain.predictProbability(test.X), 0.5).recall;
    const recallBalanced = confusionMatrix(test.y, balanced.predictProbability(test.X), 0.5).recall;
    expect(recallBalanced).toBeGreaterThan(recallPlain + 0.2);
    expect(rocAuc(test.y, balanced.predictProbability(test.X))).toBeGreaterThan(0.7);
  });

  it('accepts explicit weights per label and rejects unknown labels', () => {
    const data = signalData(500, 4, 1, 1);
    const forest = new RandomForestClassifier({ nEstimators: 3, classWeight: { 1: 5 } }).train(data.X, data.y);
    expect(forest.toJSON().classWeights).toEqual([1, 5]);
    expect(() => new RandomForestClassifier({ classWeight: { 3: 2 } }).train(data.X, data.y)).toThrow(/label 3/);
  });
});

describe('permutation importance', () => {
  it('shows the drop in AUC when an informative feature is shuffled, and none for noise', () => {
    const [train, test] = splitAt(signalData(5000, 6, 2, 17), 3500);
    const forest = new RandomForestClassifier({ nEstimators: 30, maxDepth: 8, seed: 17 }).train(train.X, train.y);
    const result = forest.permutationImportance(test.X, test.y, { repeats: 3, seed: 2 });
    expect(result.baseline).toBeCloseTo(rocAuc(test.y, forest.predictProbability(test.X)), 12);
    expect(result.drops).toHaveLength(6);
    expect(result.drops[0]).toHaveLength(3);
    expect(result.mean[0]).toBeGreaterThan(0.05);
    expect(Math.abs(result.mean[5])).toBeLessThan(0.02);
    expect(forest.permutationImportance(test.X, test.y, { repeats: 3, seed: 2 })).toEqual(result);
  });

  it('takes a metric by name or as a function', () => {
    const data = signalData(1000, 4, 2, 3);
    const forest = new RandomForestClassifier({ nEstimators: 10, seed: 3 }).train(data.X, data.y);
    const byName = forest.permutationImportance(data.X, data.y, { metric: 'accuracy', repeats: 1 });
    const byFunction = forest.permutationImportance(data.X, data.y, { metric: (truth, p) => rocAuc(truth, p), repeats: 1 });
    expect(byName.baseline).toBeGreaterThan(0.8);
    expect(byFunction.baseline).toBeCloseTo(rocAuc(data.y, forest.predictProbability(data.X)), 12);
  });
});

describe('RandomForestRegressor', () => {
  it('fits a smooth function of the features', () => {
    const random = new Random(3);
    const rows = 4000;
    const X = createColumnMatrix(rows, 4);
    const y = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      for (let f = 0; f < 4; f++) X.data[f * rows + r] = random.uniform(-2, 2);
      y[r] = Math.sin(X.data[r]) * 3 + X.data[rows + r] ** 2 + random.normal(0, 0.1);
    }
    const forest = new RandomForestRegressor({ nEstimators: 30, seed: 3 }).train(X, y);
    expect(r2Score(y, forest.predict(X))).toBeGreaterThan(0.95);
    const importance = forest.featureImportance();
    expect(importance[0] + importance[1]).toBeGreaterThan(0.9);
  });
});

describe('progress and cancellation', () => {
  const data = signalData(800, 4, 1, 1);

  it('reports progress after every tree', () => {
    const seen: [number, number][] = [];
    new RandomForestClassifier({ nEstimators: 5, seed: 1, onProgress: (done, total) => seen.push([done, total]) }).train(data.X, data.y);
    expect(seen).toEqual([[1, 5], [2, 5], [3, 5], [4, 5], [5, 5]]);
  });

  it('stops between trees when shouldCancel says so', () => {
    let calls = 0;
    const forest = new RandomForestClassifier({ nEstimators: 10, seed: 1, shouldCancel: () => ++calls > 3 });
    expect(() => forest.train(data.X, data.y)).toThrow(TrainingCancelledError);
    expect(calls).toBe(4);
    expect(forest.isTrained).toBe(false);
  });

  it('leaves a trained model as it was when a new training is cancelled', () => {
    let cancel = false;
    const forest = new RandomForestClassifier({ nEstimators: 4, seed: 1, shouldCancel: () => cancel }).train(data.X, data.y);
    const before = forest.toJSON();
    cancel = true;
    expect(() => forest.train(data.X, Array.from(data.y, (v) => v + 5))).toThrow(TrainingCancelledError);
    expect(forest.classes).toEqual([0, 1]);
    expect(forest.toJSON()).toEqual(before);
  });

  it('stops an asynchronous two-thread training when the signal aborts', async () => {
    const controller = new AbortController();
    const forest = new RandomForestClassifier({
      nEstimators: 200,
      seed: 1,
      nJobs: 2,
      workerStart: 'eager',
      signal: controller.signal,
      onProgress: (done) => {
        if (done === 3) controller.abort();
      },
    });
    const error = await forest.trainAsync(data.X, data.y).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TrainingCancelledError);
    expect((error as TrainingCancelledError).treesDone).toBeLessThan(200);
  });
});

describe('input validation', () => {
  const data = signalData(100, 4, 1, 1);

  it('rejects bad hyperparameters with the parameter named', () => {
    expect(() => new RandomForestClassifier({ nEstimators: 0 })).toThrow(/nEstimators/);
    expect(() => new RandomForestClassifier({ maxDepth: 0 })).toThrow(/maxDepth/);
    expect(() => new RandomForestClassifier({ minSamplesLeaf: 1.5 })).toThrow(/minSamplesLeaf/);
    expect(() => new RandomForestClassifier({ minSamplesSplit: 1 })).toThrow(/minSamplesSplit/);
    expect(() => new RandomForestClassifier({ maxFeatures: 0 })).toThrow(/maxFeatures/);
    expect(() => new RandomForestClassifier({ maxBins: 256 })).toThrow(/maxBins/);
    expect(() => new RandomForestClassifier({ nJobs: 0 })).toThrow(/nJobs/);
    expect(() => new RandomForestClassifier({ workerStart: 'later' as never })).toThrow(/workerStart/);
    expect(() => new RandomForestClassifier({ seed: -1 })).toThrow(/seed/);
    expect(() => new RandomForestClassifier({ maxFeatures: 9 }).train(data.X, data.y)).toThrow(/maxFeatures is 9/);
  });

  it('rejects mismatched lengths, NaN or a single class in y, ragged rows and Infinity', () => {
    const forest = new RandomForestClassifier({ nEstimators: 2 });
    expect(() => forest.train(data.X, data.y.subarray(0, 99))).toThrow(/100 rows but y has 99/);
    const withNaN = data.y.slice();
    withNaN[4] = Number.NaN;
    expect(() => forest.train(data.X, withNaN)).toThrow(/y\[4\] is NaN/);
    expect(() => forest.train(data.X, new Float64Array(100))).toThrow(/single class/);
    expect(() => forest.train([[1, 2], [3]], [0, 1])).toThrow(/row 1 has 1 values/);
    expect(() => forest.train([[1, Number.POSITIVE_INFINITY], [3, 4]], [0, 1])).toThrow(/Infinity/);
    expect(() => forest.train([], [])).toThrow(/no rows/);
  });

  it('rejects scoring before training or with the wrong number of features', () => {
    expect(() => new RandomForestClassifier().predict(data.X)).toThrow(/not trained/);
    const forest = new RandomForestClassifier({ nEstimators: 2 }).train(data.X, data.y);
    expect(() => forest.predictProbability([[1, 2]])).toThrow(/2 features, but the forest was trained on 4/);
    expect(() => forest.predictProbability(data.X, 5)).toThrow(/Label 5/);
  });
});
