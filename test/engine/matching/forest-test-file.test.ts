/**
 * `forest evaluate --test-file`: train on one file, evaluate on another encoded the same way (issue #9 §4).
 * The split is written from the real UCI bank file: of every fourth row, four in five for training and the
 * fifth for testing, so the CLI's figures can be checked against the engine's own evaluation of that split.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyEncoding, applyTargetEncoding, encodeTable, evaluateOnTestTable } from '../../../electron/engine/analytics/forest/index';
import { DATASETS, tempDir } from '../../support/temp';
import { runCli } from '../../support/run-cli';

const bankFile = fileURLToPath(new URL('uci-bank-marketing/bank-full.csv', DATASETS));
const dir = tempDir('bpw-forest-test-file-');
const trainFile = join(dir, 'train.csv');
const testFile = join(dir, 'test.csv');
const cells = (line: string) => line.split(';').map((cell) => cell.replace(/^"(.*)"$/, '$1'));
let header: string[];
let trainRows: string[][];
let testRows: string[][];

beforeAll(() => {
  const lines = readFileSync(bankFile, 'utf8').split(/\r?\n/).filter((line) => line.length > 0);
  const rows = lines.slice(1).filter((_, i) => i % 4 === 0);
  header = cells(lines[0]!);
  trainRows = rows.filter((_, i) => i % 5 !== 4).map(cells);
  testRows = rows.filter((_, i) => i % 5 === 4).map(cells);
  // The test file lists its columns in another order: they are matched by name.
  const order = [...header].reverse();
  const write = (file: string, names: string[], body: string[][]) =>
    writeFileSync(file, [names, ...body.map((row) => names.map((name) => row[header.indexOf(name)]!))].map((row) => row.join(';')).join('\n'));
  write(trainFile, header, trainRows);
  write(testFile, order, testRows);
});

describe('forest evaluate --test-file', () => {
  it('trains on the whole training file and scores the test file exactly as the engine does', async () => {
    const run = await runCli(['forest', 'evaluate', '--file', trainFile, '--test-file', testFile, '--target', 'y', '--exclude', 'duration', '--categorical', 'ordinal', '--trees', '60']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json).toMatchObject({ ok: true, train_rows: trainRows.length, test_rows: testRows.length, test_file: 'test.csv', positive_label: 'yes' });
    expect(run.stderr).toContain('用 test.csv 的');

    const train = encodeTable(header, trainRows, { target: 'y', exclude: ['duration'], categorical: 'ordinal' });
    const test = { X: applyEncoding(train.encoding, header, testRows), y: applyTargetEncoding(train.encoding, header, testRows) };
    const { report } = await evaluateOnTestTable(train, test, { trees: 60, maxDepth: 12, minSamplesLeaf: 2, seed: 1 });
    expect(run.json.roc_auc).toBeCloseTo(report.rocAuc, 12);
    expect(run.json.pr_auc).toBeCloseTo(report.prAuc, 12);
    expect(report.rocAuc).toBeGreaterThan(0.72);
  });

  it('rejects a test file without the training columns, and --test-share beside --test-file, with exit code 2', async () => {
    const broken = join(dir, 'broken.csv');
    writeFileSync(broken, ['age;y', '30;no', '40;yes'].join('\n'));
    const missing = await runCli(['forest', 'evaluate', '--file', trainFile, '--test-file', broken, '--target', 'y']);
    expect(missing.code).toBe(2);
    expect(String((missing.json.error as { message: string }).message)).toContain('检验文件缺少训练文件中的列');
    const both = await runCli(['forest', 'evaluate', '--file', trainFile, '--test-file', testFile, '--test-share', '0.3', '--target', 'y']);
    expect(both.code).toBe(2);
  });
});
