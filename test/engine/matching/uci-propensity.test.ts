/**
 * A real product-propensity task (issue #9 §3): the UCI bank marketing file, whether a client subscribed a
 * term deposit, without `duration` (known only after the call). Trained the way a matching unit is
 * (unit-forest.ts): the default forest of `match train`, every subscriber and a seeded sample of the others,
 * the probabilities corrected for the sample.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { matchTrainRequestSchema } from '../../../shared/matching';
import { RandomForestClassifier, encodeTable, takeRows } from '../../../electron/engine/analytics/forest/index';
import { rocAuc, stratifiedSplit } from '../../../electron/engine/analytics/metrics';
import { propensities, sampleTrainingRows } from '../../../electron/engine/matching/unit-forest';
import { DATASETS } from '../../support/temp';

const bankFile = fileURLToPath(new URL('uci-bank-marketing/bank-full.csv', DATASETS));

describe('UCI bank marketing: term-deposit propensity without duration', () => {
  it('reaches ROC AUC ≥ 0.78 on a 20% hold-out, with probabilities that stay probabilities after the sampling', async () => {
    const lines = readFileSync(bankFile, 'utf8').split(/\r?\n/).filter((line) => line.length > 0);
    const cells = (line: string) => line.split(';').map((cell) => cell.replace(/^"(.*)"$/, '$1'));
    const table = encodeTable(cells(lines[0]!), lines.slice(1).map(cells), { target: 'y', exclude: ['duration'], categorical: 'ordinal' });
    const split = stratifiedSplit(table.y, 0.2, 1);
    const trainY = Float64Array.from(split.train, (i) => table.y[i]!);
    const trainRows = Int32Array.from(split.train.map((_, k) => k));
    const positives = trainY.reduce((a, b) => a + b, 0);

    // A third of the non-subscribers, as a large branch's unit is trained.
    const { picks, negativeRate } = sampleTrainingRows({ rows: trainRows, y: trainY, positives }, 15_000, 1);
    expect(negativeRate).toBeGreaterThan(0.25);
    expect(negativeRate).toBeLessThan(0.4);
    const request = matchTrainRequestSchema.parse({});
    const forest = new RandomForestClassifier({ nEstimators: request.trees, maxDepth: request.maxDepth, minSamplesLeaf: request.minSamplesLeaf, seed: request.seed, nJobs: 'auto' });
    await forest.trainAsync(takeRows(takeRows(table.X, split.train), picks), Float64Array.from(picks, (k) => trainY[k]!));

    const testY = Float64Array.from(split.test, (i) => table.y[i]!);
    const p = propensities(forest, negativeRate, takeRows(table.X, split.test));
    expect(rocAuc(testY, p)).toBeGreaterThanOrEqual(0.78);
    const mean = p.reduce((a, b) => a + b, 0) / p.length;
    const rate = testY.reduce((a, b) => a + b, 0) / testY.length;
    expect(Math.abs(mean - rate)).toBeLessThan(0.02);
  });
});
