/**
 * CLI commands for the churn model and ad-hoc forests:
 *
 *   churn train    --workspace W.bpw [--horizon 3] [--trees 200] [--seed 1] [--max-depth 12] [--min-samples-leaf 5] [--class-weight none|balanced]
 *   churn score    --workspace W.bpw [--model ID]
 *   churn lost     --workspace W.bpw [--group gone|recoverable] [--limit 20]
 *   forest evaluate --file F.csv|F.xlsx --target COL [--test-file T.csv] [--exclude a,b] [--test-share 0.2] [--seed 1]
 *                   [--trees 100] [--max-depth 12|none] [--min-samples-leaf 2] [--n-jobs auto|N] [--categorical onehot|ordinal]
 *
 * With --test-file the forest trains on all of --file and is evaluated on the test file, encoded exactly as
 * the training file (an out-of-time check, or the identical split another tool is compared on).
 *
 * Training and scoring run as jobs of the workspace's EngineHost, like in the app; `forest evaluate` needs no
 * workspace and trains in this process.
 */
import { basename, resolve } from 'node:path';
import type { ModelCard } from '../../shared/analytics';
import { formatThreshold, LOST_GROUP_LABELS, LOST_GROUPS, modelVerdict, STRENGTH_LABELS, type ChurnSettings, type LostGroup } from '../../shared/churn';
import { formatWan } from '../../shared/glossary';
import { CHURN_BAND_LABELS } from '../../shared/rule-fields';
import {
  applyEncoding,
  applyTargetEncoding,
  evaluateHoldOut,
  evaluateOnTestTable,
  encodeTable,
  type CategoricalEncoding,
  type EncodedTable,
  type HoldOutReport,
} from '../engine/analytics/forest/index';
import { readTableFile } from '../engine/analytics/table-file';
import { EngineError } from '../engine/errors';
import type { EngineHost } from '../engine/host';
import { fmt, type CliOutput } from './output';
import { intOption, openWorkspace, requireOption, type CommandArgs } from './workspace-commands';

const str = (args: CommandArgs, key: string): string | undefined => {
  const v = args.values[key];
  return typeof v === 'string' ? v : undefined;
};

function numberOption(args: CommandArgs, key: string, fallback: number): number {
  const value = str(args, key);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new EngineError('bad_input', `参数 --${key} 应为数字，收到“${value}”`);
  return n;
}

/** --max-depth D, or `none` (also 0) for trees without a depth limit. */
function depthOption(args: CommandArgs, fallback: number | null): number | null {
  const value = str(args, 'max-depth');
  if (value === undefined) return fallback;
  if (value === 'none' || value === '0') return null;
  return intOption(args, 'max-depth', 0);
}

const pct = (share: number) => `${(share * 100).toFixed(1)}%`;

export async function churnCommand(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  const [sub] = args.positionals;
  if (sub === 'train') return churnTrain(host, args, out);
  if (sub === 'score') return churnScore(host, args, out);
  if (sub === 'lost') return churnLost(host, args, out);
  throw new EngineError('bad_input', `请指定 churn 的子命令：train（训练流失模型）、score（流失打分）或 lost（已流失/可挽回客户名单），收到“${sub ?? ''}”`);
}

export async function forestCommand(_host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  const [sub] = args.positionals;
  if (sub === 'evaluate') return forestEvaluate(args, out);
  throw new EngineError('bad_input', `请指定 forest 的子命令：evaluate（在 CSV/XLSX 上训练并评估随机森林），收到“${sub ?? ''}”`);
}

function classWeightOption(args: CommandArgs): 'none' | 'balanced' {
  const value = args.values['class-weight'];
  if (value === undefined || value === 'none') return 'none';
  if (value === 'balanced') return 'balanced';
  throw new EngineError('bad_input', `--class-weight 只能是 none（默认）或 balanced，收到“${String(value)}”`);
}

async function churnTrain(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  const workspace = resolve(requireOption(args, 'workspace', '工作区文件，如 branch.bpw'));
  await openWorkspace(host, workspace);
  const settings = await host.call('settings.get', {});
  const request = {
    horizonMonths: intOption(args, 'horizon', settings.churn.horizonMonths),
    trees: intOption(args, 'trees', 200),
    seed: intOption(args, 'seed', 1),
    maxDepth: depthOption(args, 12),
    minSamplesLeaf: intOption(args, 'min-samples-leaf', 5),
    classWeight: classWeightOption(args),
  };
  out.say(`正在训练流失模型：预测期 ${request.horizonMonths} 个月，${request.trees} 棵树，种子 ${request.seed} …`);
  const card = await host.runJob('churn.train', request, out.progress());
  const verdict = modelVerdict(card, settings.churn.minTestChurners);
  printCard(out, card, settings.churn);
  const atCutOff = thresholdRow(card, settings.churn.highBand);
  return out.finish({
    ok: true,
    model_id: card.modelId,
    features_as_of: card.featuresAsOf,
    label_to: card.labelTo,
    horizon_months: card.horizonMonths,
    verdict: `${verdict.headline}；${verdict.evidence}`,
    test_churners: verdict.testChurners,
    samples: card.samples,
    roc_auc: card.metrics.rocAuc,
    pr_auc: card.metrics.prAuc,
    lift_top_decile: card.metrics.liftTopDecile,
    brier: card.metrics.brier,
    // One threshold: the settings' 流失风险 高 cut-off is the card's; the best F1 is a suggestion.
    high_band: settings.churn.highBand,
    confusion: atCutOff,
    best_f1_threshold: card.defaultThreshold,
    later_period: card.laterPeriod,
    lift: card.lift,
    calibration: card.calibration,
    feature_importance: card.featureImportance,
    train_s: card.trainSeconds,
  });
}

/** The confusion counts at the grid threshold nearest to `share`. */
function thresholdRow(card: ModelCard, share: number): ModelCard['thresholds'][number] | null {
  let best: ModelCard['thresholds'][number] | null = null;
  for (const row of card.thresholds) if (!best || Math.abs(row.threshold - share) < Math.abs(best.threshold - share)) best = row;
  return best;
}

function printCard(out: CliOutput, card: ModelCard, churn: ChurnSettings): void {
  const { metrics, samples } = card;
  const verdict = modelVerdict(card, churn.minTestChurners);
  out.say(`\n流失模型 #${card.modelId}：特征截至 ${card.featuresAsOf}，观察 ${card.featuresAsOf} 至 ${card.labelTo} 是否流失`);
  out.say(`  结论：${verdict.headline}；${verdict.evidence}。区分能力：${STRENGTH_LABELS[verdict.strength]}`);
  out.say(`  样本 ${fmt(samples.train + samples.test)} 位客户（训练 ${fmt(samples.train)}，检验 ${fmt(samples.test)}；不含期初已流失、沉睡的客户），流失 ${fmt(samples.positives)} 位，流失率 ${pct(samples.churnRate)}`);
  out.say(`  检验集 ROC AUC ${metrics.rocAuc.toFixed(3)}，PR AUC ${metrics.prAuc.toFixed(3)}，前 10% 客户提升度 ${metrics.liftTopDecile.toFixed(2)} 倍，Brier ${metrics.brier.toFixed(4)}`);
  const row = thresholdRow(card, churn.highBand);
  if (row) {
    out.say(`  高风险门槛 ${formatThreshold(churn.highBand)}（设置中的“流失风险：高”）：命中 ${row.tp}，误报 ${row.fp}，漏报 ${row.fn}，精确率 ${pct(row.precision)}，召回率 ${pct(row.recall)}`);
  }
  out.say(`  供参考：F1 最高的门槛为 ${formatThreshold(card.defaultThreshold)}，可在设置中采用`);
  if (card.laterPeriod) out.say(`  往期验证（用更早一期训练、本期检验）：ROC AUC ${card.laterPeriod.rocAuc.toFixed(3)}，PR AUC ${card.laterPeriod.prAuc.toFixed(3)}`);
  else out.say('  往期验证：数据不足一个完整的更早周期，已跳过');
  out.say(`  最重要的特征：${card.featureImportance.slice(0, 5).map((f) => `${f.label} ${pct(f.importance)}`).join('、')}`);
  out.say(`  训练用时 ${card.trainSeconds.toFixed(1)} 秒`);
}

async function churnScore(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  const workspace = resolve(requireOption(args, 'workspace', '工作区文件，如 branch.bpw'));
  await openWorkspace(host, workspace);
  const model = str(args, 'model');
  const request = model === undefined ? {} : { modelId: intOption(args, 'model', 0) };
  out.say(model === undefined ? '正在用最新的流失模型为客户打分 …' : `正在用流失模型 #${model} 为客户打分 …`);
  const summary = await host.runJob('churn.score', request, out.progress());
  const { churn } = await host.call('settings.get', {});
  const lost = summary.excluded.churned + summary.excluded.dormant;
  out.say(`\n模型 #${summary.modelId} 已为 ${fmt(summary.scored)} 位客户打分（数据截至 ${summary.asOf}），用时 ${summary.seconds.toFixed(1)} 秒：`);
  const from = { high: `≥ ${formatThreshold(churn.highBand)}`, medium: `${formatThreshold(churn.mediumBand)}–${formatThreshold(churn.highBand)}`, low: `< ${formatThreshold(churn.mediumBand)}` };
  for (const band of ['high', 'medium', 'low'] as const) out.say(`  流失风险${CHURN_BAND_LABELS[band]}（${from[band]}）：${fmt(summary.counts[band])} 位`);
  out.say(`  未打分：已流失或沉睡的 ${fmt(lost)} 位客户（已流失 ${fmt(summary.excluded.churned)} 位，可挽回的沉睡客户 ${fmt(summary.excluded.dormant)} 位），另列挽回名单`);
  out.say(`  在险资产（流失风险为高的客户近3个月日均资产之和）${formatWan(summary.aumAtRisk, 1)} 万元；预期流失资产（流失概率 × 近3个月日均资产）${formatWan(summary.expectedLoss, 1)} 万元`);
  return out.finish({
    ok: true,
    run_id: summary.runId,
    model_id: summary.modelId,
    as_of: summary.asOf,
    scored: summary.scored,
    counts: summary.counts,
    excluded: { ...summary.excluded, total: lost },
    bands: { high: churn.highBand, medium: churn.mediumBand },
    aum_at_risk: summary.aumAtRisk,
    expected_loss: summary.expectedLoss,
    seconds: summary.seconds,
  });
}

/** The customers left out of the warning as already lost, for win-back: 已流失 and 可挽回, richest first. */
async function churnLost(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  const workspace = resolve(requireOption(args, 'workspace', '工作区文件，如 branch.bpw'));
  const group = str(args, 'group');
  if (group !== undefined && !(LOST_GROUPS as readonly string[]).includes(group)) {
    throw new EngineError('bad_input', `--group 只能是 gone（已流失）或 recoverable（可挽回），收到“${group}”`);
  }
  const limit = intOption(args, 'limit', 20);
  if (limit < 1 || limit > 1000) throw new EngineError('bad_input', '--limit 应在 1 到 1000 之间');
  await openWorkspace(host, workspace);
  const overview = await host.call('churn.summary', {});
  if (!overview) throw new EngineError('not_found', '还没有流失打分，请先运行 churn score');
  const page = await host.call('churn.lostList', { ...(group ? { group: group as LostGroup } : {}), limit });
  out.say(`数据截至 ${overview.asOf ?? '—'}：已流失 ${fmt(overview.lost.gone)} 位，可挽回（沉睡）${fmt(overview.lost.recoverable)} 位；不在流失预警名单中`);
  out.say(`按近12个月日均资产从高到低，前 ${fmt(page.rows.length)} 位${group ? `（${LOST_GROUP_LABELS[group as LostGroup]}）` : ''}：`);
  for (const r of page.rows) out.say(`  ${r.customer_id}  ${r.name ?? ''}  ${LOST_GROUP_LABELS[r.group]}  ${r.reason}  → ${r.action}`);
  return out.finish({ ok: true, as_of: overview.asOf, lost: overview.lost, total: page.total, rows: page.rows });
}

/** --n-jobs N, or `auto` (the default): threads start only when the forest is big enough to repay them. */
function threadsOption(args: CommandArgs): number | 'auto' {
  const value = str(args, 'n-jobs');
  if (value === undefined || value === 'auto') return 'auto';
  const n = intOption(args, 'n-jobs', 0);
  if (n < 1) throw new EngineError('bad_input', `--n-jobs 应为正整数或 auto，收到“${value}”`);
  return n;
}

async function forestEvaluate(args: CommandArgs, out: CliOutput): Promise<number> {
  const file = resolve(requireOption(args, 'file', '要建模的 CSV 或 XLSX 文件'));
  const testFileOption = str(args, 'test-file');
  const testFile = testFileOption === undefined ? null : resolve(testFileOption);
  const target = requireOption(args, 'target', '要预测的列名，如 y');
  const exclude = (str(args, 'exclude') ?? '').split(',').map((c) => c.trim()).filter((c) => c.length > 0);
  const categorical = (str(args, 'categorical') ?? 'onehot') as CategoricalEncoding;
  if (categorical !== 'onehot' && categorical !== 'ordinal') throw new EngineError('bad_input', `--categorical 只能是 onehot（独热编码）或 ordinal（序号编码），收到“${categorical}”`);
  const testShare = numberOption(args, 'test-share', 0.2);
  if (!(testShare > 0 && testShare < 1)) throw new EngineError('bad_input', `--test-share 应在 0 和 1 之间（不含），如 0.2，收到“${testShare}”`);
  if (testFile !== null && str(args, 'test-share') !== undefined) throw new EngineError('bad_input', '--test-file 与 --test-share 只能选一个：给了检验文件就不再从训练文件中留出检验集');
  // The defaults are the benchmark's settings (scripts/bench/forest.ts): depth 12 and leaves of at least two
  // rows keep single noisy rows from becoming rules of their own.
  const options = {
    testShare,
    seed: intOption(args, 'seed', 1),
    trees: intOption(args, 'trees', 100),
    maxDepth: depthOption(args, 12),
    minSamplesLeaf: intOption(args, 'min-samples-leaf', 2),
    nJobs: threadsOption(args),
  };
  if (options.trees < 1 || options.minSamplesLeaf < 1 || (options.maxDepth !== null && options.maxDepth < 1)) {
    throw new EngineError('bad_input', '--trees、--min-samples-leaf 和 --max-depth 都应为正整数');
  }

  const encoded = await readEncoded(out, file, target, exclude, categorical, args);
  if (encoded.encoding.targetKind !== 'binary') {
    throw new EngineError('bad_input', `目标列“${target}”应只有两种取值（如 是/否、yes/no、1/0），实际为${encoded.encoding.targetKind === 'numeric' ? '连续数值' : `${encoded.encoding.targetLevels.length} 类`}`);
  }
  const test = testFile === null ? null : await readTestTable(out, testFile, encoded, args);
  const how = test === null ? `留出 ${pct(options.testShare)} 检验` : `用 ${basename(testFile!)} 的 ${fmt(test.y.length)} 行检验`;
  out.say(`正在训练：${options.trees} 棵树，最大深度 ${options.maxDepth ?? '不限'}，叶节点至少 ${options.minSamplesLeaf} 行，${how} …`);
  const progress = out.progress();
  const onProgress = (done: number, total: number) => progress('训练随机森林', done, total);
  const { report } = test === null ? await evaluateHoldOut(encoded, { ...options, onProgress }) : await evaluateOnTestTable(encoded, test, { ...options, onProgress });
  printHoldOut(out, report);
  return out.finish({
    ok: true,
    file: basename(file),
    test_file: testFile === null ? null : basename(testFile),
    rows: report.rows,
    train_rows: report.trainRows,
    test_rows: report.testRows,
    features: report.features,
    target,
    positive_label: report.positiveLabel,
    test_positive_rate: report.testPositiveRate,
    roc_auc: report.rocAuc,
    pr_auc: report.prAuc,
    brier: report.brierScore,
    best_f1: report.bestF1,
    lift: report.lift,
    importances: report.importances.slice(0, 20),
    settings: { ...options, testShare: test === null ? options.testShare : null, categorical, exclude },
    threads: report.threads,
    train_s: report.trainSeconds,
  });
}

async function readEncoded(out: CliOutput, file: string, target: string, exclude: string[], categorical: CategoricalEncoding, args: CommandArgs): Promise<EncodedTable> {
  out.say(`正在读取 ${file} …`);
  const table = await readTableFile({ file, ...(str(args, 'sheet') ? { sheet: str(args, 'sheet') } : {}) });
  for (const name of [target, ...exclude]) {
    if (!table.header.includes(name)) throw new EngineError('bad_input', `文件中没有名为“${name}”的列。现有的列：${table.header.join('、')}`);
  }
  let encoded: EncodedTable;
  try {
    encoded = encodeTable(table.header, table.rows, { target, exclude, categorical });
  } catch (error) {
    throw new EngineError('bad_input', `无法用这个文件建模：${(error as Error).message}`);
  }
  const categoricalColumns = encoded.encoding.columns.filter((c) => c.kind === 'categorical').length;
  out.say(`  ${fmt(table.rows.length)} 行，${encoded.encoding.columns.length} 列特征（其中 ${categoricalColumns} 列为类别，按${categorical === 'onehot' ? '独热' : '序号'}编码为 ${encoded.featureNames.length} 个特征），目标“${target}”的正类为“${encoded.encoding.targetLevels[1]}”`);
  return encoded;
}

/** The test file, encoded with the training file's columns, levels and target coding. */
async function readTestTable(out: CliOutput, file: string, train: EncodedTable, args: CommandArgs): Promise<{ X: EncodedTable['X']; y: Float64Array }> {
  out.say(`正在读取检验文件 ${file} …`);
  const table = await readTableFile({ file, ...(str(args, 'sheet') ? { sheet: str(args, 'sheet') } : {}) });
  const needed = [train.encoding.target, ...train.encoding.columns.map((c) => c.name)];
  const missing = needed.filter((name) => !table.header.includes(name));
  if (missing.length > 0) throw new EngineError('bad_input', `检验文件缺少训练文件中的列：${missing.slice(0, 10).join('、')}。两个文件的表头应一致`);
  try {
    const X = applyEncoding(train.encoding, table.header, table.rows);
    const y = applyTargetEncoding(train.encoding, table.header, table.rows);
    if (!y.includes(0) || !y.includes(1)) throw new Error('检验文件中的目标列只有一种取值，无法计算 ROC AUC');
    return { X, y };
  } catch (error) {
    throw new EngineError('bad_input', `无法用这个检验文件评估：${(error as Error).message}`);
  }
}

function printHoldOut(out: CliOutput, report: HoldOutReport): void {
  out.say(`\n检验集 ${fmt(report.testRows)} 行（正类占 ${pct(report.testPositiveRate)}）：ROC AUC ${report.rocAuc.toFixed(4)}，PR AUC ${report.prAuc.toFixed(4)}，Brier ${report.brierScore.toFixed(4)}`);
  out.say(`  前 10% 提升度 ${report.lift[0]!.lift.toFixed(2)} 倍，覆盖 ${pct(report.lift[0]!.captureRate)} 的正类`);
  out.say(`  F1 最高的阈值 ${report.bestF1.threshold.toFixed(3)}：精确率 ${pct(report.bestF1.precision)}，召回率 ${pct(report.bestF1.recall)}，F1 ${report.bestF1.f1.toFixed(3)}`);
  out.say(`  最重要的特征：${report.importances.slice(0, 5).map((f) => `${f.name} ${pct(f.importance)}`).join('、')}`);
  out.say(`  训练用时 ${report.trainSeconds.toFixed(2)} 秒（${report.threads} 个线程）`);
}
