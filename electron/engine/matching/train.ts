/**
 * Trains product matching (issue #9 §2–3): one propensity forest per model unit, time-honest, with a
 * held-out check of the whole ranking against a popularity baseline.
 *
 *   T = the data's as-of date, h = the horizon (settings.matching.horizonMonths).
 *   Scoring forests: features as of T − h (window-data.ts), label = a new holding of the unit in (T − h, T]
 *     by a customer who did not hold it at T − h; a unit needs minPositives new holders (and as many who
 *     did not open it) for a forest, a family with fewer is ranked from co-holding lift.
 *   Held-out check: the same trained on features as of T − 2h and new holdings in (T − 2h, T − h], then
 *     used to rank the families of the customers as of T − h; the ranking is scored against what they
 *     opened in (T − h, T]: per unit ROC AUC and the new holders in the top 10%, per family precision@5,
 *     and MAP@5 against a popularity baseline (families ranked by how often they were newly opened in the
 *     training window) on the same customers and candidate families.
 *   The scoring forests are then trained on the latest window, so that they know the most recent behaviour;
 *   the held-out check says how much to trust a ranking built this way.
 *
 * Nothing is written until everything has succeeded; a cancelled or failed training leaves no model, no run
 * and no audit entry behind.
 */
import { availableParallelism } from 'node:os';
import type { FamilyCard, MatchingTrainingSummary } from '../../../shared/matching';
import { Random } from '../../../shared/random';
import { appendAudit } from '../audit';
import type { JobContext } from '../context';
import type { Db } from '../db/workspace';
import { EngineError } from '../errors';
import { completedMonths } from '../analytics/dates';
import { TreeWorkerPool, workerStartEstimate } from '../analytics/forest/index';
import { rocAuc } from '../analytics/metrics';
import { readSettings } from '../settings-store';
import { coHolding, fallbackPropensity } from './co-holding';
import { loadProducts } from './eligibility';
import { candidateUnits, familiesOnShelf, type ModelUnit } from './families';
import { captureTop, rankingMetrics } from './evaluation';
import { MATCH_FEATURE_KEYS, matchFeatureLabel, matchMatrix } from './match-features';
import { MATCH_MODEL_KIND, MATCH_TRAINING_KIND, toModelJson } from './model-store';
import { matchingAsOf, matchWindow, type MatchWindow } from './period';
import { propensities, trainUnitForest, type MatchTrainRequest, type UnitForest } from './unit-forest';
import { coreFeatureSource, holdsUnit, loadWindow, unitLabels, type MatchFeatureSource, type UnitLabels, type WindowData } from './window-data';

/** The forests left must take this many thread start-ups on one thread before a pool is started. */
const POOL_MARGIN = 4;
/** Customers the held-out ranking is evaluated on at most (a seeded sample beyond). */
export const MAX_EVAL_CUSTOMERS = 50_000;
const PHASE = '训练产品匹配模型';

export interface MatchTrainOptions {
  /** Where features come from; the analytics core unless a test wraps it. */
  features?: MatchFeatureSource;
}

const seconds = (since: number) => Math.round((performance.now() - since) / 10) / 100;
const round = (value: number, digits = 6) => Math.round(value * 10 ** digits) / 10 ** digits;

export async function trainMatching(ctx: JobContext, request: MatchTrainRequest, options: MatchTrainOptions = {}): Promise<MatchingTrainingSummary> {
  const db = ctx.db();
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const settings = readSettings(db);
  const { minPositives, maxTrainRows } = settings.matching;
  const horizon = request.horizonMonths ?? settings.matching.horizonMonths;
  const features = options.features ?? coreFeatureSource;
  const products = loadProducts(db);
  const families = familiesOnShelf(products);
  if (families.length === 0) throw new EngineError('bad_input', '产品目录中没有在售产品，请先导入产品信息（products），并确认“是否在售”一列');
  const excluded = new Set<string>(settings.matching.excludedFamilies);
  const units = candidateUnits(products).filter((u) => !excluded.has(u.category));
  const asOf = matchingAsOf(db);
  const main = matchWindow(asOf, horizon, 0);
  const past = matchWindow(asOf, horizon, 1);
  const timings: Record<string, number> = {};

  let t = performance.now();
  const latest = await loadWindow(ctx, features, main, families, horizon);
  const latestLabels = new Map(units.map((u) => [u.key, unitLabels(latest, u)] as const));
  requireNewHoldings(latestLabels, main);
  const earlier = reachesBack(db, past) ? await loadWindow(ctx, features, past, families, horizon) : null;
  const earlierLabels = earlier ? new Map(units.map((u) => [u.key, unitLabels(earlier, u)] as const)) : null;
  timings.data = seconds(t);

  const enough = (labels: UnitLabels | undefined) => labels !== undefined && labels.positives >= minPositives && labels.rows.length - labels.positives >= minPositives;
  // The held-out check ranks families; a product's own forest is trained for scoring only.
  const validated = earlierLabels ? units.filter((u) => u.kind === 'family' && enough(earlierLabels.get(u.key))) : [];
  const scoring = units.filter((u) => enough(latestLabels.get(u.key)));
  const forests = new ForestRunner(ctx, request, maxTrainRows, validated.length + scoring.length);
  let check: HeldOut | null = null;
  const fitted = new Map<string, UnitForest>();
  try {
    if (earlier && earlierLabels) check = await heldOutCheck({ earlier, earlierLabels, latest, families, units, validated, seed: request.seed, train: (data, labels) => forests.train(data, labels) });
    t = performance.now();
    for (const unit of scoring) fitted.set(unit.key, await forests.train(latest, latestLabels.get(unit.key)!));
    timings.train = seconds(t);
  } finally {
    await forests.close();
  }
  timings.heldOut = check?.seconds ?? 0;
  ctx.throwIfCancelled();

  const cards = units
    .filter((u) => u.kind === 'family' || fitted.has(u.key))
    .map((u) => familyCard(u, latestLabels.get(u.key)!, fitted.get(u.key) ?? null, check?.units.get(u.key) ?? null, main, minPositives));
  const summary: Omit<MatchingTrainingSummary, 'runId'> = {
    createdAt: new Date().toISOString(),
    horizonMonths: horizon,
    asOf,
    featuresAsOf: main.featuresAsOf,
    validation: check?.overall ?? null,
    families: cards,
    modelIds: [],
    params: { trees: request.trees, maxDepth: request.maxDepth, minSamplesLeaf: request.minSamplesLeaf, seed: request.seed, minPositives, maxTrainRows },
    trainSeconds: seconds(started),
  };
  return storeTraining(db, { summary, fitted, request, startedAt, timings, settingsUsed: { matching: settings.matching }, customers: latest.customerIds.length });
}

function requireNewHoldings(labels: ReadonlyMap<string, UnitLabels>, window: MatchWindow): void {
  let positives = 0;
  for (const [key, l] of labels) if (key.startsWith('family:')) positives += l.positives;
  if (positives === 0) {
    throw new EngineError(
      'bad_input',
      `${window.featuresAsOf} 至 ${window.labelTo} 期间没有客户新开产品，无法训练产品匹配模型。请导入带开立日期（opened_at）的持有产品数据，或在设置中调大产品匹配的预测期（月）`,
    );
  }
}

/** Whether the data reaches back to the earlier window's feature date: balances, or else accounts and holdings, by then. */
function reachesBack(db: Db, window: MatchWindow): boolean {
  const firstBalance = (db.prepare('SELECT min(month) AS m FROM balances').get() as { m: string | null }).m;
  if (firstBalance !== null) return firstBalance <= window.featuresAsOf.slice(0, 7);
  const holding = db.prepare('SELECT 1 FROM holdings WHERE opened_at <= ? LIMIT 1').get(window.featuresAsOf);
  const customer = db.prepare('SELECT 1 FROM customers WHERE open_date IS NULL OR open_date <= ? LIMIT 1').get(window.featuresAsOf);
  return holding !== undefined && customer !== undefined;
}

interface HeldOutInput {
  earlier: WindowData;
  earlierLabels: ReadonlyMap<string, UnitLabels>;
  latest: WindowData;
  families: readonly string[];
  units: readonly ModelUnit[];
  validated: readonly ModelUnit[];
  seed: number;
  train: (data: WindowData, labels: UnitLabels) => Promise<UnitForest>;
}

interface HeldOut {
  overall: NonNullable<MatchingTrainingSummary['validation']>;
  units: Map<string, NonNullable<FamilyCard['validation']>>;
  seconds: number;
}

/** Trains on the earlier window and ranks the later one (see the header). */
async function heldOutCheck(input: HeldOutInput): Promise<HeldOut> {
  const started = performance.now();
  const { earlier, earlierLabels, latest, families, units, validated, seed, train } = input;
  const evalRows = sampleRows(latest.customerIds.length, MAX_EVAL_CUSTOMERS, seed);
  const X = matchMatrix(latest.core, latest.facts, evalRows);
  const scores = new Map<string, Float64Array>();
  for (const unit of validated) {
    const fitted = await train(earlier, earlierLabels.get(unit.key)!);
    scores.set(unit.key, propensities(fitted.forest, fitted.negativeRate, X));
  }

  const unitChecks = new Map<string, NonNullable<FamilyCard['validation']>>();
  for (const unit of units) {
    const unitScores = scores.get(unit.key);
    if (!unitScores) continue;
    const y: number[] = [];
    const s: number[] = [];
    evalRows.forEach((row, k) => {
      if (holdsUnit(latest, unit, row)) return;
      const opened = latest.opened[row];
      y.push(opened !== undefined && unit.productIds.some((p) => opened.has(p)) ? 1 : 0);
      s.push(unitScores[k]!);
    });
    const positives = y.reduce((a, b) => a + b, 0);
    const both = positives > 0 && positives < y.length;
    unitChecks.set(unit.key, { positives, population: y.length, rocAuc: both ? round(rocAuc(y, s)) : null, precisionAt5: null, captureTop10: both ? round(captureTop(y, s) ?? 0) : null });
  }

  // The family ranking: forests where the earlier window had enough new holders, co-holding lift elsewhere.
  const co = coHolding(latest.facts, families);
  const familyUnits = units.filter((u) => u.kind === 'family');
  const candidate = familyUnits.map((u) => Uint8Array.from(evalRows, (row) => (holdsUnit(latest, u, row) ? 0 : 1)));
  const relevant = familyUnits.map((u) =>
    Uint8Array.from(evalRows, (row) => {
      const opened = latest.opened[row];
      return opened !== undefined && u.productIds.some((p) => opened.has(p)) ? 1 : 0;
    }),
  );
  const model = familyUnits.map((u) => {
    const fromForest = scores.get(u.key);
    if (fromForest) return fromForest;
    const labels = earlierLabels.get(u.key)!;
    const newRate = labels.rows.length > 0 ? labels.positives / labels.rows.length : 0;
    return Float64Array.from(evalRows, (row) => fallbackPropensity(co, latest.facts, row, u.category, newRate));
  });
  const popularity = familyUnits.map((u) => new Float64Array(evalRows.length).fill(earlierLabels.get(u.key)!.positives));
  const ranked = rankingMetrics({ scores: model, candidate, relevant });
  const baseline = rankingMetrics({ scores: popularity, candidate, relevant });
  familyUnits.forEach((u, f) => {
    const check = unitChecks.get(u.key);
    const precision = ranked.precisionAtK[f] ?? null;
    if (check) check.precisionAt5 = precision === null ? null : round(precision);
  });
  return {
    overall: {
      featuresAsOf: latest.window.featuresAsOf,
      labelFrom: latest.window.featuresAsOf,
      labelTo: latest.window.labelTo,
      customers: ranked.customers,
      mapAt5: round(ranked.map),
      baselineMapAt5: round(baseline.map),
    },
    units: unitChecks,
    seconds: seconds(started),
  };
}

/**
 * Trains the run's forests one after another, with progress over all of them. They share worker threads
 * started once (worker-pool.ts), when the first forest shows that the rest will repay the start-up: a small
 * branch trains on the calling thread alone, a large one on every core.
 */
class ForestRunner {
  private pool: TreeWorkerPool | null = null;
  private done = 0;

  constructor(
    private readonly ctx: JobContext,
    private readonly request: MatchTrainRequest,
    private readonly maxRows: number,
    private readonly total: number,
  ) {}

  async train(data: WindowData, labels: UnitLabels): Promise<UnitForest> {
    this.ctx.throwIfCancelled();
    const before = this.done * this.request.trees;
    const totalTrees = this.total * this.request.trees;
    const started = performance.now();
    const fitted = await trainUnitForest(this.ctx, data, labels, this.request, this.maxRows, (trees) => this.ctx.progress(PHASE, before + trees, totalTrees), this.pool);
    this.done++;
    const left = this.total - this.done;
    const threads = availableParallelism() - 1;
    if (!this.pool && threads > 0 && left > 0 && ((performance.now() - started) / 1000) * left > POOL_MARGIN * workerStartEstimate()) this.pool = new TreeWorkerPool(threads);
    return fitted;
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = null;
  }
}

const horizonOf = (window: MatchWindow) => completedMonths(window.featuresAsOf, window.labelTo);

/** `count` of `n` rows chosen uniformly and sorted (all rows when there are no more). */
function sampleRows(n: number, count: number, seed: number): Int32Array {
  if (n <= count) return Int32Array.from({ length: n }, (_, i) => i);
  const random = new Random(seed).fork('evaluation');
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + random.int(n - i);
    const tmp = order[i]!;
    order[i] = order[j]!;
    order[j] = tmp;
  }
  return order.subarray(0, count).sort();
}

function familyCard(unit: ModelUnit, labels: UnitLabels, fitted: UnitForest | null, validation: FamilyCard['validation'], window: MatchWindow, minPositives: number): FamilyCard {
  const population = labels.rows.length;
  return {
    unitKey: unit.key,
    kind: unit.kind,
    category: unit.category,
    label: unit.label,
    productIds: [...unit.productIds],
    modelId: null,
    positives: labels.positives,
    population,
    newRate: population > 0 ? round(labels.positives / population) : 0,
    fallback: fitted
      ? null
      : `近 ${horizonOf(window)} 个月新开${unit.label}的客户${labels.positives < minPositives ? `只有 ${labels.positives} 位，少于 ${minPositives} 位` : '与未开的客户相差太悬殊'}，不单独建模，按持有其他产品的关联程度（提升度）推荐`,
    validation,
    featureImportance: fitted
      ? fitted.forest
          .featureImportance()
          .map((importance, f) => ({ feature: MATCH_FEATURE_KEYS[f]!, label: matchFeatureLabel(MATCH_FEATURE_KEYS[f]!), importance: round(importance) }))
          .sort((a, b) => b.importance - a.importance)
          .slice(0, 8)
      : [],
  };
}

interface StoreInput {
  summary: Omit<MatchingTrainingSummary, 'runId'>;
  fitted: ReadonlyMap<string, UnitForest>;
  request: MatchTrainRequest;
  startedAt: string;
  timings: Record<string, number>;
  settingsUsed: Record<string, unknown>;
  /** Customers as of T − h, for the audit entry's row count. */
  customers: number;
}

/** The run, one model row per forest and the audit entry, in one transaction. */
function storeTraining(db: Db, input: StoreInput): MatchingTrainingSummary {
  const { summary, fitted, request, startedAt, timings, settingsUsed, customers } = input;
  return db.transaction((): MatchingTrainingSummary => {
    const runId = Number(
      db
        .prepare("INSERT INTO analysis_runs (kind, params_json, as_of, status, metrics_json, timings_json, started_at, finished_at) VALUES (?, ?, ?, 'succeeded', NULL, ?, ?, ?)")
        .run(MATCH_TRAINING_KIND, JSON.stringify({ ...request, horizonMonths: summary.horizonMonths, settings: settingsUsed }), summary.asOf, JSON.stringify(timings), startedAt, new Date().toISOString())
        .lastInsertRowid,
    );
    const insert = db.prepare('INSERT INTO models (kind, params_json, metrics_json, model_json, run_id, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    const families = summary.families.map((card) => {
      const unit = fitted.get(card.unitKey);
      if (!unit) return card;
      const params = { unitKey: card.unitKey, category: card.category, productIds: card.productIds, horizonMonths: summary.horizonMonths, featuresAsOf: summary.featuresAsOf, labelTo: summary.asOf, trainRows: unit.trainRows, negativeRate: unit.negativeRate, ...summary.params };
      const modelId = Number(insert.run(MATCH_MODEL_KIND, JSON.stringify(params), JSON.stringify(card), JSON.stringify(toModelJson(card.unitKey, unit.forest, unit.negativeRate)), runId, summary.createdAt).lastInsertRowid);
      return { ...card, modelId };
    });
    const stored: Omit<MatchingTrainingSummary, 'runId'> = { ...summary, families, modelIds: families.flatMap((c) => (c.modelId === null ? [] : [c.modelId])) };
    db.prepare('UPDATE analysis_runs SET metrics_json = ? WHERE run_id = ?').run(JSON.stringify(stored), runId);
    appendAudit(db, {
      action: 'model.train',
      params: {
        kind: MATCH_MODEL_KIND,
        runId,
        modelIds: stored.modelIds,
        horizonMonths: stored.horizonMonths,
        featuresAsOf: stored.featuresAsOf,
        labelTo: stored.asOf,
        mapAt5: stored.validation?.mapAt5 ?? null,
        baselineMapAt5: stored.validation?.baselineMapAt5 ?? null,
        ...stored.params,
      },
      rowCount: customers,
    });
    return { runId, ...stored };
  })();
}
