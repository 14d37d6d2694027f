/**
 * Random forest benchmark: the engine's histogram forest against scikit-learn (the speed and accuracy
 * target) and ml-random-forest (the library it replaces), on the same split, trees, depth, leaf size and
 * features per split.
 *
 * Data sets:
 *  - the real UCI bank marketing file (duration left out, categoricals as ordinal codes);
 *  - a small table of the same file, 8,000 training rows × 13 features (issue #9 §4: the size of one product
 *    family's model), timed as the best of five runs at depth 10 and scikit-learn's leaf default;
 *  - the churn model's real training data on the demo branch of 200,000 customers: the features as of
 *    T − 3 months and the labels of the following 3 months, exactly what `churn train` learns from
 *    (_churn-data.ts; the demo workspace is cached in bench/tmp and shared with the analytics benchmark).
 *
 * Scoring: the raw forest (200 trees, probabilities and contributions over the demo rows), and `churn.score`
 * end to end through an EngineHost: every analysed customer's probability, band and drivers written to the
 * workspace, target under 5 s for 200,000 customers.
 *
 *   npm run bench forest [-- --customers=20000] [--workspace=path.bpw]
 *
 * ml-random-forest is O(n²) per node, so it runs on 500, 1,000 and 2,000 training rows; its time for the
 * full training set is projected with a power law fitted to those runs and marked projected.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { RandomForestClassifier as MlRandomForestClassifier } from 'ml-random-forest';
import { RandomForestClassifier, createColumnMatrix, encodeTable, rowValues, takeRows, type ColumnMatrix } from '../../electron/engine/analytics/forest/index';
import { rocAuc, stratifiedSplit } from '../../electron/engine/analytics/metrics';
import { benchChurnScoring, demoChurnData } from './_churn-data';
import { cachedDemoWorkspace } from './_demo-workspace';
import { datasetFile, ensureScratchDir, peakRssMb, writeResult } from './_util';

const PYTHON = '/usr/bin/python3';
const BANK_FILE = datasetFile('uci-bank-marketing/bank-full.csv');
const DEMO_CUSTOMERS = 200_000;
const SEED = 1;
const TEST_SHARE = 0.2;

/** One configuration for every implementation. */
interface ForestSettings {
  trees: number;
  maxDepth: number;
  minSamplesLeaf: number;
  maxFeatures: 'sqrt';
}

const SETTINGS: ForestSettings = { trees: 100, maxDepth: 12, minSamplesLeaf: 2, maxFeatures: 'sqrt' };
/**
 * The small-table case of issue #9 §4: a bank table of 8,000 training rows × 13 features, 100 trees of depth
 * 10, max_features sqrt and scikit-learn's leaf default, the size of one product family's model.
 */
const SMALL_SETTINGS: ForestSettings = { trees: 100, maxDepth: 10, minSamplesLeaf: 1, maxFeatures: 'sqrt' };
/** The scoring target: 200,000 rows through 200 trees. */
const SCORING_TREES = 200;

const option = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

interface Dataset {
  name: string;
  description: string;
  synthetic: boolean;
  X: ColumnMatrix;
  y: Float64Array;
  featureNames: string[];
}

function loadBank(): Dataset {
  const lines = readFileSync(BANK_FILE, 'utf8').split(/\r?\n/).filter((line) => line.length > 0);
  const cells = (line: string) => line.split(';').map((cell) => cell.replace(/^"(.*)"$/, '$1'));
  const table = encodeTable(cells(lines[0]), lines.slice(1).map(cells), { target: 'y', exclude: ['duration'], categorical: 'ordinal' });
  return {
    name: 'uci-bank-full',
    description: 'UCI bank marketing, bank-full.csv (45,211 rows), duration excluded, categoricals as ordinal codes',
    synthetic: false,
    X: table.X,
    y: table.y,
    featureNames: table.featureNames,
  };
}

/**
 * A small bank table the size of one product family's model: 10,000 rows of the UCI file drawn stratified
 * (seeded), 13 features (duration, day and month left out), so 8,000 training rows after the 20% hold-out.
 */
function smallBankTable(bank: Dataset): Dataset {
  const keep = new Set(['duration', 'day', 'month']);
  const columns = bank.featureNames.map((name, c) => ({ name, c })).filter(({ name }) => !keep.has(name));
  const { train: rows } = stratifiedSplit(bank.y, 1 - 10_000 / bank.y.length, 7);
  const picked = takeRows(bank.X, rows);
  const X = createColumnMatrix(picked.rows, columns.length);
  columns.forEach(({ c }, k) => X.data.set(picked.data.subarray(c * picked.rows, (c + 1) * picked.rows), k * picked.rows));
  return {
    name: 'uci-bank-small-8k',
    description: 'UCI bank marketing, 10,000 rows drawn stratified (seed 7), 13 features (duration, day, month left out): the 8,000-row × 13-feature small-table case',
    synthetic: false,
    X,
    y: Float64Array.from(rows, (i) => bank.y[i]!),
    featureNames: columns.map(({ name }) => name),
  };
}

/** The churn training set of the cached demo branch (or of --workspace=…, for development runs). */
function demoChurn(): { data: Dataset; workspace: string; customers: number; generatedSeconds: number | null; prepareSeconds: { labels: number; features: number } } {
  const customers = Number((option('customers') ?? String(DEMO_CUSTOMERS)).replace(/[,_]/g, ''));
  if (!Number.isInteger(customers) || customers < 1) throw new Error(`--customers 应为正整数，收到 ${option('customers')}`);
  const given = option('workspace');
  const { path, generatedSeconds } = given ? { path: given, generatedSeconds: null } : cachedDemoWorkspace(customers);
  console.log(`正在从示范工作区读取流失模型的训练数据：${path}`);
  const churn = demoChurnData(path);
  return {
    data: {
      name: `demo-churn-${churn.customers >= 1000 ? `${Math.round(churn.customers / 1000)}k` : churn.customers}`,
      description: `Demo branch of ${churn.customers.toLocaleString('en')} customers: churn features as of ${churn.featuresAsOf} (computeFeatures) and labels of (${churn.featuresAsOf}, ${churn.labelTo}] (churn/labels.ts), the population churn train learns from`,
      synthetic: false,
      X: churn.X,
      y: churn.y,
      featureNames: churn.featureNames,
    },
    workspace: path,
    customers: churn.customers,
    generatedSeconds,
    prepareSeconds: churn.seconds,
  };
}

interface Split {
  trainX: ColumnMatrix;
  trainY: Float64Array;
  testX: ColumnMatrix;
  testY: Float64Array;
}

function splitDataset(data: Dataset): Split {
  const { train, test } = stratifiedSplit(data.y, TEST_SHARE, SEED);
  return {
    trainX: takeRows(data.X, train),
    trainY: Float64Array.from(train, (i) => data.y[i]),
    testX: takeRows(data.X, test),
    testY: Float64Array.from(test, (i) => data.y[i]),
  };
}

/**
 * The split as the reference implementations get it. scikit-learn 1.2 (Debian's) and ml-random-forest
 * reject NaN, and real churn features have missing values (no balance six months ago, no transactions to
 * take a share of), so each NaN becomes the column's training minimum − 1: a value below every real one,
 * which a tree can split off just as our forest sends missing values down one side. Our forest reads the
 * NaN as they are.
 */
function referenceSplit(split: Split): { split: Split; missingCells: number } {
  const { trainX } = split;
  const sentinel = new Float64Array(trainX.columns);
  let missingCells = 0;
  for (let c = 0; c < trainX.columns; c++) {
    let min = Number.POSITIVE_INFINITY;
    for (let r = 0; r < trainX.rows; r++) {
      const v = trainX.data[c * trainX.rows + r];
      if (v === v && v < min) min = v;
    }
    sentinel[c] = Number.isFinite(min) ? min - 1 : 0;
  }
  const fill = (X: ColumnMatrix): ColumnMatrix => {
    const data = Float64Array.from(X.data);
    for (let c = 0; c < X.columns; c++) {
      for (let r = 0; r < X.rows; r++) {
        const i = c * X.rows + r;
        if (data[i] !== data[i]) {
          data[i] = sentinel[c];
          missingCells++;
        }
      }
    }
    return { rows: X.rows, columns: X.columns, data };
  };
  return { split: { ...split, trainX: fill(split.trainX), testX: fill(split.testX) }, missingCells };
}

function writeCsv(file: string, X: ColumnMatrix, y: Float64Array): void {
  const lines: string[] = [];
  for (let r = 0; r < X.rows; r++) lines.push(`${rowValues(X, r).join(',')},${y[r]}`);
  writeFileSync(file, `${lines.join('\n')}\n`);
}

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}

/** CPU seconds of this process (all threads) since `since`, robust to other load on the machine. */
function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

function round(value: number, digits = 4): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function ourOptions(nJobs: number | 'auto', settings: ForestSettings, trees: number = settings.trees) {
  return { nEstimators: trees, maxDepth: settings.maxDepth, minSamplesLeaf: settings.minSamplesLeaf, maxFeatures: settings.maxFeatures, seed: SEED, nJobs };
}

/** Trains `repeats` times and keeps the fastest run (small tables train in a fraction of a second). */
async function timedTraining(nJobs: number | 'auto', split: Split, repeats: number, settings: ForestSettings) {
  let best: { model: RandomForestClassifier; wall: number; cpu: number } | null = null;
  for (let r = 0; r < repeats; r++) {
    const model = new RandomForestClassifier(ourOptions(nJobs, settings));
    const cpu = process.cpuUsage();
    const started = performance.now();
    if (nJobs === 1) model.train(split.trainX, split.trainY);
    else await model.trainAsync(split.trainX, split.trainY);
    const wall = seconds(started);
    if (best === null || wall < best.wall) best = { model, wall, cpu: cpuSeconds(cpu) };
  }
  return best!;
}

async function runOurs(split: Split, scoringX: ColumnMatrix, repeats: number, settings: ForestSettings) {
  const singleRun = await timedTraining(1, split, repeats, settings);
  const single = singleRun.model;
  const trainSingle = singleRun.wall;
  const cpuSingle = singleRun.cpu;
  const auc = rocAuc(split.testY, single.predictProbability(split.testX));

  const dualRun = await timedTraining(2, split, repeats, settings);
  const dual = dualRun.model;
  const trainDual = dualRun.wall;
  const cpuDual = dualRun.cpu;
  const sameModel = JSON.stringify(dual.toJSON()) === JSON.stringify(single.toJSON());
  const autoRun = await timedTraining('auto', split, repeats, settings);
  let cpu: NodeJS.CpuUsage;
  let started: number;

  // Histograms by subtraction from the parent, by direct sampled builds, or the cheaper per node (auto).
  const strategies: Record<string, number> = {};
  for (const histogramStrategy of ['subtract', 'direct'] as const) {
    const model = new RandomForestClassifier({ ...ourOptions(1, settings), histogramStrategy });
    cpu = process.cpuUsage();
    model.train(split.trainX, split.trainY);
    strategies[histogramStrategy] = round(cpuSeconds(cpu), 3);
  }
  strategies.auto = round(cpuSingle, 3);

  started = performance.now();
  single.predictProbability(scoringX);
  const scoring = seconds(started);
  console.log(
    `  本引擎: 单线程 ${trainSingle.toFixed(2)} s (CPU ${cpuSingle.toFixed(2)} s), 双线程上限 ${trainDual.toFixed(2)} s (实用 ${dual.trainingThreads} 个), 自动 ${autoRun.wall.toFixed(2)} s (实用 ${autoRun.model.trainingThreads} 个), AUC ${auc.toFixed(4)}, 打分 ${scoringX.rows} 行 ${scoring.toFixed(2)} s`,
  );
  return {
    trainSeconds: { nJobs1: round(trainSingle, 3), nJobs2: round(trainDual, 3), auto: round(autoRun.wall, 3) },
    threadsUsed: { nJobs2: dual.trainingThreads, auto: autoRun.model.trainingThreads },
    repeats,
    trainCpuSeconds: { nJobs1: round(cpuSingle, 3), nJobs2: round(cpuDual, 3) },
    trainCpuSecondsByHistogramStrategy: strategies,
    rocAuc: round(auc),
    nJobs2SameModelAsNJobs1: sameModel,
    scoring: { rows: scoringX.rows, trees: settings.trees, seconds: round(scoring, 3) },
    nodesPerTree: Math.round(single.toJSON().trees.reduce((sum, t) => sum + t.nodeCount, 0) / settings.trees),
  };
}

const SKLEARN_SCRIPT = String.raw`
import json, sys, time
import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score

train_file, test_file, trees, depth, leaf, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])

def load(path):
    with open(path) as f:
        first = f.readline()
        width = first.count(',') + 1
        text = first + f.read()
    values = np.fromstring(text.replace('\n', ','), sep=',')
    table = values.reshape(-1, width)
    return np.ascontiguousarray(table[:, :-1], dtype=np.float32), table[:, -1].astype(int)

Xtr, ytr = load(train_file)
Xte, yte = load(test_file)
Xall = np.vstack([Xtr, Xte])
out = {'sklearn': __import__('sklearn').__version__}
for jobs in (1, 2):
    fit = cpu = float('inf')
    for _ in range(repeats):
        model = RandomForestClassifier(n_estimators=trees, max_depth=depth, min_samples_leaf=leaf, max_features='sqrt',
                                       bootstrap=True, random_state=1, n_jobs=jobs)
        t = time.perf_counter(); c = time.process_time(); model.fit(Xtr, ytr); wall = time.perf_counter() - t
        if wall < fit: fit, cpu = wall, time.process_time() - c
    auc = roc_auc_score(yte, model.predict_proba(Xte)[:, 1])
    t = time.perf_counter(); model.predict_proba(Xall); score = time.perf_counter() - t
    out['nJobs%d' % jobs] = {'trainSeconds': fit, 'trainCpuSeconds': cpu, 'rocAuc': auc, 'scoringSeconds': score, 'scoringRows': int(Xall.shape[0])}
print(json.dumps(out))
`;

function ensureSklearn(): void {
  try {
    execFileSync(PYTHON, ['-c', 'import sklearn'], { stdio: 'ignore' });
  } catch {
    // ensureAptPackage keys on a command, and scikit-learn has none, so install it directly.
    console.log('正在安装 python3-sklearn 作为基准参照 …');
    execFileSync('sh', ['-c', '(apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-sklearn'], { stdio: 'inherit' });
  }
}

interface SklearnRun {
  trainSeconds: number;
  trainCpuSeconds: number;
  rocAuc: number;
  scoringSeconds: number;
  scoringRows: number;
}

function runSklearn(name: string, split: Split, repeats: number, settings: ForestSettings) {
  const dir = ensureScratchDir();
  const trainFile = `${dir}forest-${name}-train.csv`;
  const testFile = `${dir}forest-${name}-test.csv`;
  const script = `${dir}forest_sklearn.py`;
  writeCsv(trainFile, split.trainX, split.trainY);
  writeCsv(testFile, split.testX, split.testY);
  writeFileSync(script, SKLEARN_SCRIPT);
  let output: string;
  try {
    output = execFileSync(PYTHON, [script, trainFile, testFile, String(settings.trees), String(settings.maxDepth), String(settings.minSamplesLeaf), String(repeats)], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
  } finally {
    // The split files hold up to 200,000 rows; they are rewritten on every run.
    for (const file of [trainFile, testFile, script]) rmSync(file, { force: true });
  }
  const result = JSON.parse(output.trim().split('\n').pop() as string) as {
    sklearn: string;
    nJobs1: SklearnRun;
    nJobs2: SklearnRun;
  };
  console.log(`  scikit-learn ${result.sklearn}: n_jobs=1 ${result.nJobs1.trainSeconds.toFixed(2)} s, n_jobs=2 ${result.nJobs2.trainSeconds.toFixed(2)} s, AUC ${result.nJobs1.rocAuc.toFixed(4)}`);
  return result;
}

/** Least-squares fit of log(time) = log(a) + b·log(rows). */
function fitPowerLaw(points: { rows: number; seconds: number }[]): { a: number; b: number } {
  const xs = points.map((p) => Math.log(p.rows));
  const ys = points.map((p) => Math.log(p.seconds));
  const mx = xs.reduce((s, v) => s + v, 0) / xs.length;
  const my = ys.reduce((s, v) => s + v, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  const b = sxy / sxx;
  return { a: Math.exp(my - b * mx), b };
}

function runMlRandomForest(split: Split, sizes: number[], settings: ForestSettings) {
  const features = split.trainX.columns;
  const points: { rows: number; seconds: number }[] = [];
  let auc = Number.NaN;
  for (const size of sizes) {
    const { train } = stratifiedSplit(split.trainY, 1 - size / split.trainY.length, SEED);
    const sample = takeRows(split.trainX, train);
    const rows = Array.from({ length: sample.rows }, (_, r) => rowValues(sample, r));
    const labels = Array.from(train, (i) => split.trainY[i]);
    const model = new MlRandomForestClassifier({
      nEstimators: settings.trees,
      // ml-random-forest draws its feature subset once per tree, not per split; the same count is used.
      maxFeatures: Math.max(1, Math.floor(Math.sqrt(features))),
      replacement: false,
      useSampleBagging: true,
      noOOB: true,
      seed: SEED,
      treeOptions: { maxDepth: settings.maxDepth, minNumSamples: settings.minSamplesLeaf },
    });
    const started = performance.now();
    model.train(rows, labels);
    const elapsed = seconds(started);
    points.push({ rows: rows.length, seconds: elapsed });
    console.log(`  ml-random-forest: ${rows.length} 行 ${elapsed.toFixed(2)} s`);
    if (size === sizes[sizes.length - 1]) {
      const testRows = Array.from({ length: split.testX.rows }, (_, r) => rowValues(split.testX, r));
      auc = rocAuc(split.testY, model.predictProbability(testRows, 1));
    }
  }
  const { a, b } = fitPowerLaw(points);
  const projected = a * split.trainX.rows ** b;
  console.log(`  ml-random-forest: 推算 ${split.trainX.rows} 行约 ${projected.toFixed(0)} s (指数 ${b.toFixed(2)})`);
  return {
    measured: points.map((p) => ({ rows: p.rows, trainSeconds: round(p.seconds, 3) })),
    powerLaw: { a, exponent: round(b, 3) },
    trainSeconds: round(projected, 1),
    projected: true,
    rocAucTrainedOnRows: sizes[sizes.length - 1],
    rocAuc: round(auc),
  };
}

async function benchDataset(data: Dataset, mlSizes: number[], scoringX: ColumnMatrix, repeats = 1, settings: ForestSettings = SETTINGS) {
  console.log(`\n数据集 ${data.name}: ${data.X.rows} 行 × ${data.X.columns} 特征`);
  const loadBefore = loadavg()[0];
  const split = splitDataset(data);
  const ours = await runOurs(split, scoringX, repeats, settings);
  const reference = referenceSplit(split);
  const sklearn = runSklearn(data.name, reference.split, repeats, settings);
  const ml = runMlRandomForest(reference.split, mlSizes, settings);
  return {
    description: data.description,
    synthetic: data.synthetic,
    rows: data.X.rows,
    features: data.X.columns,
    missingCells: reference.missingCells,
    missingValuesNote: reference.missingCells > 0 ? 'our forest reads NaN natively; for scikit-learn and ml-random-forest each NaN is the column training minimum − 1' : null,
    trainRows: split.trainX.rows,
    testRows: split.testX.rows,
    positiveRate: round(data.y.reduce((s, v) => s + v, 0) / data.y.length),
    ours,
    sklearn: {
      version: sklearn.sklearn,
      trainSeconds: { nJobs1: round(sklearn.nJobs1.trainSeconds, 3), nJobs2: round(sklearn.nJobs2.trainSeconds, 3) },
      trainCpuSeconds: { nJobs1: round(sklearn.nJobs1.trainCpuSeconds, 3), nJobs2: round(sklearn.nJobs2.trainCpuSeconds, 3) },
      rocAuc: round(sklearn.nJobs1.rocAuc),
      scoring: { rows: sklearn.nJobs1.scoringRows, trees: settings.trees, seconds: round(sklearn.nJobs1.scoringSeconds, 3) },
    },
    mlRandomForest: ml,
    ratios: {
      trainOursVsSklearnNJobs1: round(ours.trainSeconds.nJobs1 / sklearn.nJobs1.trainSeconds, 3),
      trainOursVsSklearnNJobs2: round(ours.trainSeconds.nJobs2 / sklearn.nJobs2.trainSeconds, 3),
      trainCpuOursVsSklearnNJobs1: round(ours.trainCpuSeconds.nJobs1 / sklearn.nJobs1.trainCpuSeconds, 3),
      rocAucOursMinusSklearn: round(ours.rocAuc - sklearn.nJobs1.rocAuc),
      trainMlRandomForestVsOursNJobs1: round(ml.trainSeconds / ours.trainSeconds.nJobs1, 1),
    },
    machineLoadAverage1m: { before: round(loadBefore, 2), after: round(loadavg()[0], 2) },
  };
}

/** Scores every row of the demo churn set through a forest of SCORING_TREES trees: the raw forest's share of scoring. */
async function benchScoring(data: Dataset) {
  const model = new RandomForestClassifier(ourOptions(2, SETTINGS, SCORING_TREES));
  await model.trainAsync(data.X, data.y);
  const cpu = process.cpuUsage();
  const started = performance.now();
  model.predictProbability(data.X);
  const elapsed = seconds(started);
  const elapsedCpu = cpuSeconds(cpu);
  const contributionsStarted = performance.now();
  model.contributions(data.X);
  const contributions = seconds(contributionsStarted);
  console.log(`\n打分: ${data.X.rows} 行 × ${data.X.columns} 特征 × ${SCORING_TREES} 棵树 ${elapsed.toFixed(2)} s`);
  return { rows: data.X.rows, features: data.X.columns, trees: SCORING_TREES, seconds: round(elapsed, 3), cpuSeconds: round(elapsedCpu, 3), threads: 1, contributionsSeconds: round(contributions, 3) };
}

export default async function run(): Promise<void> {
  ensureSklearn();
  const bank = loadBank();
  const churn = demoChurn();
  const bankResult = await benchDataset(bank, [500, 1000, 2000], bank.X);
  const small = smallBankTable(bank);
  const smallResult = await benchDataset(small, [500, 1000, 2000], small.X, 5, SMALL_SETTINGS);
  const churnResult = await benchDataset(churn.data, [500, 1000, 2000], churn.data.X);
  const scoring = await benchScoring(churn.data);
  console.log(`\n流失打分（churn.score，含读取特征、计算概率与原因、写回工作区）：${churn.customers.toLocaleString('zh-CN')} 位客户 …`);
  const churnScoring = await benchChurnScoring(churn.workspace);
  const scoreSeconds = Math.min(...churnScoring.scoreWallSeconds);
  console.log(`  模型 AUC ${churnScoring.card.metrics.rocAuc.toFixed(4)}，训练 ${churnScoring.card.trainSeconds.toFixed(1)} s；打分 ${churnScoring.scoreWallSeconds.map((x) => x.toFixed(2)).join(' / ')} s`);
  const peak = peakRssMb();

  const targets = {
    trainVsSklearnNJobs1AtMost: 1.0,
    trainVsSklearnNJobs2AtMost: 1.0,
    rocAucWithinOfSklearn: 0.01,
    scoring200kSecondsBelow: 5,
    churnScore200kSecondsBelow: 5,
    peakRssMbBelow: 1536,
  };
  const datasets = [bankResult, churnResult, smallResult];
  const met = {
    trainVsSklearnNJobs1: datasets.every((d) => d.ratios.trainOursVsSklearnNJobs1 <= targets.trainVsSklearnNJobs1AtMost),
    trainVsSklearnNJobs2: datasets.every((d) => d.ratios.trainOursVsSklearnNJobs2 <= targets.trainVsSklearnNJobs2AtMost),
    rocAuc: datasets.every((d) => Math.abs(d.ratios.rocAucOursMinusSklearn) <= targets.rocAucWithinOfSklearn),
    scoring: scoring.seconds < targets.scoring200kSecondsBelow,
    churnScore: scoreSeconds < targets.churnScore200kSecondsBelow,
    churnScoreAt200k: churn.customers >= 200_000,
    peakRss: peak < targets.peakRssMbBelow,
    sameModelWithTwoThreads: datasets.every((d) => d.ours.nJobs2SameModelAsNJobs1),
    // More threads are never slower: the thread cap of 2 (and 'auto') against one thread, 10% for noise.
    neverSlowerWithMoreThreads: datasets.every((d) => d.ours.trainSeconds.nJobs2 <= 1.1 * d.ours.trainSeconds.nJobs1 && d.ours.trainSeconds.auto <= 1.1 * d.ours.trainSeconds.nJobs1),
  };
  writeResult('forest', {
    settings: { ...SETTINGS, bootstrap: true, testShare: TEST_SHARE, splitSeed: SEED, maxBins: 255 },
    smallSettings: SMALL_SETTINGS,
    datasets: { bank: bankResult, smallTable: smallResult, demoChurn: { ...churnResult, customers: churn.customers, workspaceGeneratedSeconds: churn.generatedSeconds, prepareSeconds: churn.prepareSeconds } },
    scoring,
    churnScoring: {
      customers: churnScoring.summary.counts.high + churnScoring.summary.counts.medium + churnScoring.summary.counts.low,
      wallSeconds: churnScoring.scoreWallSeconds,
      bestWallSeconds: scoreSeconds,
      jobSeconds: churnScoring.summary.seconds,
      counts: churnScoring.summary.counts,
      model: churnScoring.card,
      analysisSecondsBeforeScoring: churnScoring.analysisSeconds,
      note: 'churn.score through an EngineHost: read the analysis run\'s features, probabilities and drivers on both cores, write churn_prob, churn_band and churn_drivers_json in one transaction',
    },
    peakRssMb: peak,
    peakRssNote: 'maxRSS of the benchmark process (our forest and ml-random-forest; scikit-learn runs in its own process)',
    timingNote:
      'Wall-clock seconds are what the targets use; CPU seconds are given too because the benchmark machine may be shared. machineLoadAverage1m shows how busy it was.',
    targets,
    met,
  });
}
