/**
 * Random forest benchmark: the engine's histogram forest against scikit-learn (the speed and accuracy
 * target) and ml-random-forest (the library it replaces), on the same split, trees, depth, leaf size and
 * features per split.
 *
 * Data sets:
 *  - the real UCI bank marketing file (duration left out, categoricals as ordinal codes);
 *  - a synthetic churn-like matrix of 200,000 customers, generated here with a fixed seed until the demo
 *    workspace can supply real churn features.
 *
 * ml-random-forest is O(n²) per node, so it runs on 500, 1,000 and 2,000 training rows; its time for the
 * full training set is projected with a power law fitted to those runs and marked projected.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { RandomForestClassifier as MlRandomForestClassifier } from 'ml-random-forest';
import { RandomForestClassifier, createColumnMatrix, encodeTable, rowValues, takeRows, type ColumnMatrix } from '../../electron/engine/analytics/forest/index';
import { rocAuc, stratifiedSplit } from '../../electron/engine/analytics/metrics';
import { Random } from '../../shared/random';
import { ensureScratchDir, peakRssMb, writeResult } from './_util';

const PYTHON = '/usr/bin/python3';
const BANK_FILE = fileURLToPath(new URL('../../../shared/datasets/uci-bank-marketing/bank-full.csv', import.meta.url));
const SYNTHETIC_ROWS = 200_000;
const SEED = 1;
const TEST_SHARE = 0.2;

/** One configuration for every implementation. */
const SETTINGS = { trees: 100, maxDepth: 12, minSamplesLeaf: 2, maxFeatures: 'sqrt' } as const;
/** The scoring target: 200,000 rows through 200 trees. */
const SCORING_TREES = 200;

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
 * A churn-like customer matrix: skewed money amounts, counts, tenure, flags and codes, with a churn label
 * driven by thresholds and interactions of a few of them (about 8% positive) and noise columns.
 */
function syntheticChurn(rows: number, seed: number): Dataset {
  const random = new Random(seed);
  const names = [
    'age', 'tenure_months', 'aum_3m_avg', 'aum_12m_avg', 'aum_change_6m', 'deposit_balance', 'wealth_balance',
    'loan_balance', 'txn_count_12m', 'txn_count_3m', 'days_since_last_txn', 'mobile_logins_3m', 'branch_visits_12m',
    'products_held', 'salary_credit', 'has_credit_card', 'has_mortgage', 'risk_level', 'value_tier', 'complaints_12m',
    'inflow_12m', 'outflow_12m', 'manager_contacts_6m', 'noise_a', 'noise_b',
  ];
  const F = names.length;
  const X = createColumnMatrix(rows, F);
  const y = new Float64Array(rows);
  const put = (f: number, r: number, v: number) => {
    X.data[f * rows + r] = v;
  };
  for (let r = 0; r < rows; r++) {
    const age = Math.min(90, Math.max(18, Math.round(random.normal(45, 14))));
    const tenure = random.int(360);
    const aum3 = random.logNormal(10, 1.4);
    const aum12 = aum3 * random.logNormal(0.05, 0.3);
    const change = aum3 / aum12 - 1;
    const deposit = aum3 * random.uniform(0.3, 1);
    const wealth = aum3 - deposit;
    const loan = random.bernoulli(0.25) ? random.logNormal(11, 1) : 0;
    const txn12 = random.poisson(60 * random.uniform(0.1, 2));
    const txn3 = random.poisson(txn12 / 4 * random.uniform(0.3, 1.4));
    const idle = txn3 === 0 ? random.intBetween(90, 400) : random.int(90);
    const logins = random.poisson(txn3 * 0.6 + (age < 50 ? 10 : 2));
    const visits = random.poisson(age > 60 ? 8 : 2);
    const products = 1 + random.poisson(1.5);
    const salary = random.bernoulli(0.45) ? 1 : 0;
    const card = random.bernoulli(0.55) ? 1 : 0;
    const mortgage = loan > 0 && random.bernoulli(0.6) ? 1 : 0;
    const risk = random.intBetween(1, 5);
    const tier = aum3 < 50_000 ? 0 : aum3 < 500_000 ? 1 : aum3 < 6_000_000 ? 2 : 3;
    const complaints = random.poisson(0.15);
    const inflow = random.logNormal(10.5, 1.2) * (salary ? 1.5 : 1);
    const outflow = inflow * random.logNormal(0, 0.25) * (change < -0.2 ? 1.4 : 1);
    const contacts = random.poisson(1.2);
    const values = [age, tenure, aum3, aum12, change, deposit, wealth, loan, txn12, txn3, idle, logins, visits, products, salary, card, mortgage, risk, tier, complaints, inflow, outflow, contacts, random.normal(), random.next()];
    for (let f = 0; f < F; f++) put(f, r, values[f]);

    const logit =
      -3.1 +
      1.3 * Math.max(0, -change * 2.5) +
      (idle > 120 ? 1.1 : 0) +
      (salary ? -0.7 : 0.2) +
      (products <= 1 ? 0.6 : -0.15 * products) +
      0.55 * complaints +
      (tenure < 24 ? 0.5 : 0) +
      (logins < 3 && age < 45 ? 0.6 : 0) +
      (mortgage ? -0.6 : 0) +
      (outflow > inflow * 1.3 ? 0.7 : 0) +
      (tier >= 2 && contacts === 0 ? 0.5 : 0);
    y[r] = random.bernoulli(1 / (1 + Math.exp(-logit))) ? 1 : 0;
  }
  return {
    name: 'synthetic-churn-200k',
    description: `SYNTHETIC: ${rows.toLocaleString('en')} × ${F} churn-like features generated in the benchmark (seed ${seed}); placeholder until the demo generator supplies real demo churn features`,
    synthetic: true,
    X,
    y,
    featureNames: names,
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

function ourOptions(nJobs: number, trees: number = SETTINGS.trees) {
  return { nEstimators: trees, maxDepth: SETTINGS.maxDepth, minSamplesLeaf: SETTINGS.minSamplesLeaf, maxFeatures: SETTINGS.maxFeatures, seed: SEED, nJobs };
}

async function runOurs(split: Split, scoringX: ColumnMatrix) {
  const single = new RandomForestClassifier(ourOptions(1));
  let cpu = process.cpuUsage();
  let started = performance.now();
  single.train(split.trainX, split.trainY);
  const trainSingle = seconds(started);
  const cpuSingle = cpuSeconds(cpu);
  const auc = rocAuc(split.testY, single.predictProbability(split.testX));

  const dual = new RandomForestClassifier(ourOptions(2));
  cpu = process.cpuUsage();
  started = performance.now();
  await dual.trainAsync(split.trainX, split.trainY);
  const trainDual = seconds(started);
  const cpuDual = cpuSeconds(cpu);
  const sameModel = JSON.stringify(dual.toJSON()) === JSON.stringify(single.toJSON());

  // Histograms by subtraction from the parent, by direct sampled builds, or the cheaper per node (auto).
  const strategies: Record<string, number> = {};
  for (const histogramStrategy of ['subtract', 'direct'] as const) {
    const model = new RandomForestClassifier({ ...ourOptions(1), histogramStrategy });
    cpu = process.cpuUsage();
    model.train(split.trainX, split.trainY);
    strategies[histogramStrategy] = round(cpuSeconds(cpu), 3);
  }
  strategies.auto = round(cpuSingle, 3);

  started = performance.now();
  single.predictProbability(scoringX);
  const scoring = seconds(started);
  console.log(`  本引擎: 单线程 ${trainSingle.toFixed(2)} s (CPU ${cpuSingle.toFixed(2)} s), 双线程 ${trainDual.toFixed(2)} s, AUC ${auc.toFixed(4)}, 打分 ${scoringX.rows} 行 ${scoring.toFixed(2)} s`);
  return {
    trainSeconds: { nJobs1: round(trainSingle, 3), nJobs2: round(trainDual, 3) },
    trainCpuSeconds: { nJobs1: round(cpuSingle, 3), nJobs2: round(cpuDual, 3) },
    trainCpuSecondsByHistogramStrategy: strategies,
    rocAuc: round(auc),
    nJobs2SameModelAsNJobs1: sameModel,
    scoring: { rows: scoringX.rows, trees: SETTINGS.trees, seconds: round(scoring, 3) },
    nodesPerTree: Math.round(single.toJSON().trees.reduce((sum, t) => sum + t.nodeCount, 0) / SETTINGS.trees),
  };
}

const SKLEARN_SCRIPT = String.raw`
import json, sys, time
import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score

train_file, test_file, trees, depth, leaf = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])

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
    model = RandomForestClassifier(n_estimators=trees, max_depth=depth, min_samples_leaf=leaf, max_features='sqrt',
                                   bootstrap=True, random_state=1, n_jobs=jobs)
    t = time.perf_counter(); c = time.process_time(); model.fit(Xtr, ytr); fit = time.perf_counter() - t; cpu = time.process_time() - c
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

function runSklearn(name: string, split: Split) {
  const dir = ensureScratchDir();
  const trainFile = `${dir}forest-${name}-train.csv`;
  const testFile = `${dir}forest-${name}-test.csv`;
  const script = `${dir}forest_sklearn.py`;
  writeCsv(trainFile, split.trainX, split.trainY);
  writeCsv(testFile, split.testX, split.testY);
  writeFileSync(script, SKLEARN_SCRIPT);
  let output: string;
  try {
    output = execFileSync(PYTHON, [script, trainFile, testFile, String(SETTINGS.trees), String(SETTINGS.maxDepth), String(SETTINGS.minSamplesLeaf)], {
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

function runMlRandomForest(split: Split, sizes: number[]) {
  const features = split.trainX.columns;
  const points: { rows: number; seconds: number }[] = [];
  let auc = Number.NaN;
  for (const size of sizes) {
    const { train } = stratifiedSplit(split.trainY, 1 - size / split.trainY.length, SEED);
    const sample = takeRows(split.trainX, train);
    const rows = Array.from({ length: sample.rows }, (_, r) => rowValues(sample, r));
    const labels = Array.from(train, (i) => split.trainY[i]);
    const model = new MlRandomForestClassifier({
      nEstimators: SETTINGS.trees,
      // ml-random-forest draws its feature subset once per tree, not per split; the same count is used.
      maxFeatures: Math.max(1, Math.floor(Math.sqrt(features))),
      replacement: false,
      useSampleBagging: true,
      noOOB: true,
      seed: SEED,
      treeOptions: { maxDepth: SETTINGS.maxDepth, minNumSamples: SETTINGS.minSamplesLeaf },
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

async function benchDataset(data: Dataset, mlSizes: number[], scoringX: ColumnMatrix) {
  console.log(`\n数据集 ${data.name}: ${data.X.rows} 行 × ${data.X.columns} 特征`);
  const loadBefore = loadavg()[0];
  const split = splitDataset(data);
  const ours = await runOurs(split, scoringX);
  const sklearn = runSklearn(data.name, split);
  const ml = runMlRandomForest(split, mlSizes);
  return {
    description: data.description,
    synthetic: data.synthetic,
    rows: data.X.rows,
    features: data.X.columns,
    trainRows: split.trainX.rows,
    testRows: split.testX.rows,
    positiveRate: round(data.y.reduce((s, v) => s + v, 0) / data.y.length),
    ours,
    sklearn: {
      version: sklearn.sklearn,
      trainSeconds: { nJobs1: round(sklearn.nJobs1.trainSeconds, 3), nJobs2: round(sklearn.nJobs2.trainSeconds, 3) },
      trainCpuSeconds: { nJobs1: round(sklearn.nJobs1.trainCpuSeconds, 3), nJobs2: round(sklearn.nJobs2.trainCpuSeconds, 3) },
      rocAuc: round(sklearn.nJobs1.rocAuc),
      scoring: { rows: sklearn.nJobs1.scoringRows, trees: SETTINGS.trees, seconds: round(sklearn.nJobs1.scoringSeconds, 3) },
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

/** Scores every row of the synthetic set through a forest of SCORING_TREES trees (the scoring target). */
async function benchScoring(data: Dataset) {
  const model = new RandomForestClassifier(ourOptions(2, SCORING_TREES));
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
  const synthetic = syntheticChurn(SYNTHETIC_ROWS, SEED);
  const bankResult = await benchDataset(bank, [500, 1000, 2000], bank.X);
  const syntheticResult = await benchDataset(synthetic, [500, 1000, 2000], synthetic.X);
  const scoring = await benchScoring(synthetic);
  const peak = peakRssMb();

  const targets = {
    trainVsSklearnNJobs1AtMost: 1.0,
    trainVsSklearnNJobs2AtMost: 1.0,
    rocAucWithinOfSklearn: 0.01,
    scoring200kSecondsBelow: 5,
    peakRssMbBelow: 1536,
  };
  const datasets = [bankResult, syntheticResult];
  const met = {
    trainVsSklearnNJobs1: datasets.every((d) => d.ratios.trainOursVsSklearnNJobs1 <= targets.trainVsSklearnNJobs1AtMost),
    trainVsSklearnNJobs2: datasets.every((d) => d.ratios.trainOursVsSklearnNJobs2 <= targets.trainVsSklearnNJobs2AtMost),
    rocAuc: datasets.every((d) => Math.abs(d.ratios.rocAucOursMinusSklearn) <= targets.rocAucWithinOfSklearn),
    scoring: scoring.seconds < targets.scoring200kSecondsBelow,
    peakRss: peak < targets.peakRssMbBelow,
    sameModelWithTwoThreads: datasets.every((d) => d.ours.nJobs2SameModelAsNJobs1),
  };
  writeResult('forest', {
    settings: { ...SETTINGS, bootstrap: true, testShare: TEST_SHARE, splitSeed: SEED, maxBins: 255 },
    datasets: { bank: bankResult, synthetic: syntheticResult },
    scoring,
    peakRssMb: peak,
    peakRssNote: 'maxRSS of the benchmark process (our forest and ml-random-forest; scikit-learn runs in its own process)',
    timingNote:
      'Wall-clock seconds are what the targets use; CPU seconds are given too because the benchmark machine may be shared. machineLoadAverage1m shows how busy it was.',
    targets,
    met,
  });
}
