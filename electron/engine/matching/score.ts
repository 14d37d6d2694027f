/**
 * Scores product matching (issue #9 §1–2): for every customer of the latest customer analysis who has not
 * already left (流失), every product on sale that passes the eligibility rules gets
 *
 *   propensity  the unit's forest on the customer's features as of the analysis date (the product's own
 *               forest where it has one, else its family's), or for a family without one its rate of new
 *               holders times the strongest co-holding lift from a family the customer holds;
 *   value       the expected annual contribution (value.ts);
 *   score       propensity × (1 + rules × Σ boosts of the seed rules that fire)
 *                          × (1 + value × v / (v + v₀))   (weights: settings.matching.weights).
 *
 * The customer's `top` products by score are stored in `recommendations` with up to three reasons and the
 * eligibility flags, under a new analysis run of kind 'matching'; the previous runs' rows are removed (the
 * run rows stay, with their figures). Then the suitability audit re-checks what was stored. Everything is
 * written in one transaction: a cancelled or failed scoring leaves the previous recommendations in place.
 */
import type { MatchingScoringSummary, ProductMatchStats } from '../../../shared/matching';
import type { JobContext } from '../context';
import type { Db } from '../db/workspace';
import { EngineError } from '../errors';
import { latestFeatureRun, readRunFeatures } from '../analytics/churn/run-features';
import { readSettings } from '../settings-store';
import type { ParsedRequestOf } from '../../../shared/api';
import { RECOMMENDATION_INDEXES } from '../db/migrations/005-matching';
import { auditRecommendations } from './audit';
import { activeRules, firedRules, type RuleCustomer } from './boost-rules';
import { coHolding, fallbackPropensity, strongRules } from './co-holding';
import { eligibilityRules, judgeEligibility, loadEligibilityCustomers, loadProducts, type EligibilityProduct } from './eligibility';
import { categoryLabel, familiesOnShelf } from './families';
import { holdingFacts } from './holding-facts';
import { CORE_MATCH_FEATURES, matchMatrix, type CoreColumns } from './match-features';
import { cardsByUnit, latestTrainingRun, loadUnitModels, MATCH_RUN_KIND, type LoadedUnitModel } from './model-store';
import { PeerPenetration, reasonsFor, type ReasonSources } from './reasons';
import { propensities } from './unit-forest';
import { expectedValue, valueModel } from './value';

const WRITE_CHUNK = 20_000;

interface Candidate {
  p: number;
  propensity: number;
  value: number;
  score: number;
  rules: string[];
  flags: string[];
}

const lap = (since: number) => Math.round(performance.now() - since) / 1000;

export async function scoreMatching(ctx: JobContext, request: ParsedRequestOf<'matching.score'>): Promise<MatchingScoringSummary> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const timings: Record<string, number> = {};
  const db = ctx.db();
  const settings = readSettings(db);
  const training = latestTrainingRun(db);
  if (!training) throw new EngineError('not_found', '还没有产品匹配模型，请先训练产品匹配模型（产品匹配 → 训练模型，或命令 match train）');
  const analysis = latestFeatureRun(db);
  const asOf = analysis.asOf;
  const top = request.top ?? settings.matching.topPerCustomer;
  const horizon = training.summary.horizonMonths;
  const cards = cardsByUnit(training.summary);
  const allProducts = loadProducts(db);
  const excludedFamilies = new Set<string>(settings.matching.excludedFamilies);
  const products = allProducts.filter((p) => p.active && !excludedFamilies.has(p.category));
  const families = familiesOnShelf(allProducts);
  const P = products.length;
  // Each product is scored by its own forest where it has one, else by its family's.
  const unitKeyOf = products.map((p) => [`product:${p.productId}`, `family:${p.category}`].find((key) => (cards.get(key)?.modelId ?? null) !== null) ?? null);
  const models = loadUnitModels(db, training.runId, [...new Set(unitKeyOf.flatMap((key) => (key ? [cards.get(key)!.modelId!] : [])))]);

  // --- The customers and what is known about them on the analysis date ---------------------------------
  let t = performance.now();
  ctx.progress('读取客户特征', 0, 1);
  const features = readRunFeatures(db, analysis.runId, CORE_MATCH_FEATURES);
  const ids = features.customerIds;
  const n = ids.length;
  if (n === 0) throw new EngineError('not_found', '最新的客户分析没有客户特征，请重新运行客户分析后再做产品匹配');
  const core: CoreColumns = Object.fromEntries(CORE_MATCH_FEATURES.map((key, c) => [key, features.X.data.subarray(c * n, (c + 1) * n)]));
  const index = new Map(ids.map((id, i) => [id, i] as const));
  const tier: (string | null)[] = new Array(n).fill(null);
  const churned = new Uint8Array(n);
  for (const r of db.prepare('SELECT customer_id, value_tier, lifecycle_stage FROM customer_scores WHERE run_id = ?').iterate(analysis.runId) as IterableIterator<{ customer_id: string; value_tier: string | null; lifecycle_stage: string | null }>) {
    const i = index.get(r.customer_id);
    if (i === undefined) continue;
    tier[i] = r.value_tier;
    if (r.lifecycle_stage === 'churned') churned[i] = 1;
  }
  const occupation: (string | null)[] = new Array(n).fill(null);
  for (const r of db.prepare('SELECT customer_id, occupation FROM customers').iterate() as IterableIterator<{ customer_id: string; occupation: string | null }>) {
    const i = index.get(r.customer_id);
    if (i !== undefined) occupation[i] = r.occupation;
  }
  const facts = holdingFacts(db, asOf, index, families, horizon);
  const eligibility = loadEligibilityCustomers(db, asOf, undefined, settings.suitability.amountBasis);
  const rules = eligibilityRules(settings, asOf);
  const co = coHolding(facts, families);
  const ages = core.age!;
  const aum = core.aum_avg_3m!;
  const value = valueModel(db, {
    asOf,
    settings,
    tierOf: new Map(ids.map((id, i) => [id, tier[i]!] as const)),
    aumOf: new Map(ids.map((id, i) => [id, aum[i]!] as const)),
  });
  const peers = new PeerPenetration();
  const heldFamilies = (i: number) => families.filter((f) => facts.heldCategory.get(f)![i] === 1);
  for (let i = 0; i < n; i++) if (!churned[i]) peers.add(age(ages[i]!), tier[i]!, heldFamilies(i));
  timings.read = lap(t);
  ctx.throwIfCancelled();

  // --- Eligibility of every product for every customer ---------------------------------------------------
  t = performance.now();
  const eligible = products.map(() => new Uint8Array(n));
  const flagsOf = new Map<number, string[]>();
  const stats: ProductMatchStats[] = products.map((p) => ({
    productId: p.productId,
    name: p.name,
    category: p.category,
    categoryLabel: categoryLabel(p.category),
    riskRating: p.riskRating === null ? null : `R${p.riskRating}`,
    eligible: 0,
    recommended: 0,
    excluded: {},
  }));
  let scored = 0;
  for (let i = 0; i < n; i++) {
    if (churned[i]) continue;
    scored++;
    const customer = eligibility.get(ids[i]!);
    if (!customer) continue;
    for (let p = 0; p < P; p++) {
      const verdict = judgeEligibility(customer, products[p]!, rules);
      if (verdict.eligible) {
        eligible[p]![i] = 1;
        stats[p]!.eligible++;
        if (verdict.flags.length > 0) flagsOf.set(i * P + p, verdict.flags);
      } else if (verdict.code) stats[p]!.excluded[verdict.code] = (stats[p]!.excluded[verdict.code] ?? 0) + 1;
    }
    if ((i & 4095) === 0) {
      ctx.progress('核对适当性', i, n);
      ctx.throwIfCancelled();
    }
  }
  timings.eligibility = lap(t);

  // --- Propensities: each forest over the customers eligible for one of its products --------------------
  t = performance.now();
  const unitOf = unitKeyOf.map((key) => (key ? models.get(key)! : null));
  const forests = [...new Set(unitOf.filter((m): m is LoadedUnitModel => m !== null))];
  const propensity = new Map<string, Float64Array>();
  for (const [k, model] of forests.entries()) {
    ctx.progress('计算购买可能性', k, forests.length);
    ctx.throwIfCancelled();
    const served = eligible.filter((_, p) => unitOf[p] === model);
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (served.some((column) => column[i] === 1)) rows.push(i);
    const values = new Float64Array(n).fill(Number.NaN);
    if (rows.length > 0) {
      const predicted = propensities(model.forest, model.negativeRate, matchMatrix(core, facts, rows));
      rows.forEach((row, k2) => (values[row] = predicted[k2]!));
      propensity.set(model.unitKey, values);
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  timings.propensity = lap(t);

  // --- Score, rank, keep the top, with reasons ------------------------------------------------------------
  t = performance.now();
  const weights = settings.matching.weights;
  const active = activeRules(settings.matching);
  const reasonSources: ReasonSources = { facts, co, peers, horizonMonths: horizon, newHolders: (family) => cards.get(`family:${family}`)?.positives ?? 0 };
  // Propensities of each product's candidates, for the customer's place among them (a reason).
  const candidateValues = products.map(() => [] as number[]);
  const inflow = core.inflow_3m!;
  const kept: { row: number; picks: Candidate[] }[] = [];
  const familyRate = (category: string) => cards.get(`family:${category}`)?.newRate ?? 0;
  // Expected balances by product and tier, worked out once.
  const balanceOf = products.map((product) => {
    const byTier = new Map<string | null, number>();
    return (customerTier: string | null): number => {
      let balance = byTier.get(customerTier);
      if (balance === undefined) byTier.set(customerTier, (balance = value.expectedBalance(product.category, customerTier) ?? 0));
      return balance;
    };
  });
  for (let i = 0; i < n; i++) {
    if (churned[i]) continue;
    const customerAge = age(ages[i]!);
    const ruleCustomer: RuleCustomer = { age: customerAge, tier: tier[i]!, occupation: occupation[i]!, holds: (c) => facts.heldCategory.get(c)?.[i] === 1 };
    const applying = active.map(({ rule }) => rule.applies(ruleCustomer));
    const investable = eligibility.get(ids[i]!)?.investable ?? null;
    const candidates: Candidate[] = [];
    for (let p = 0; p < P; p++) {
      if (!eligible[p]![i]) continue;
      const product = products[p]!;
      const model = unitOf[p];
      const prob = model ? (propensity.get(model.unitKey)?.[i] ?? 0) : fallbackPropensity(co, facts, i, product.category, familyRate(product.category));
      const v = expectedValue(value, product, balanceOf[p]!(tier[i]!), investable);
      const fired = firedRules(active, applying, product);
      const valueLever = value.reference > 0 ? v / (v + value.reference) : 0;
      const score = prob * (1 + weights.rules * fired.boost) * (1 + weights.value * valueLever);
      // Nobody took the family up lately and nothing points to it: not a recommendation.
      if (!(score > 0)) continue;
      candidates.push({ p, propensity: prob, value: v, score, rules: fired.reasons, flags: flagsOf.get(i * P + p) ?? [] });
      candidateValues[p]!.push(prob);
    }
    candidates.sort((a, b) => b.score - a.score || a.p - b.p);
    if (candidates.length > top) candidates.length = top;
    if (candidates.length > 0) kept.push({ row: i, picks: candidates });
    if ((i & 4095) === 0) {
      ctx.progress('排序与推荐理由', i, n);
      ctx.throwIfCancelled();
    }
  }
  const sortedCandidates = candidateValues.map((values) => Float64Array.from(values).sort());
  timings.rank = lap(t);

  return write(ctx, {
    kept,
    products,
    ids,
    asOf,
    top,
    trainingRunId: training.runId,
    analysisRunId: analysis.runId,
    scored,
    stats,
    valueReference: value.reference,
    coHolding: strongRules(co),
    reasonsOf: (row, c) =>
      reasonsFor(reasonSources, {
        row,
        family: products[c.p]!.category,
        age: age(ages[row]!),
        tier: tier[row]!,
        inflow3m: Number.isFinite(inflow[row]!) ? inflow[row]! : 0,
        ruleReasons: c.rules,
        percentile: percentileOf(sortedCandidates[c.p], c.propensity),
      }),
    settings,
    started,
    startedAt,
    timings,
  });
}

const age = (value: number): number | null => (Number.isFinite(value) ? value : null);

/** Share of the product's candidates with a lower propensity. */
function percentileOf(sorted: Float64Array | undefined, value: number): number | null {
  if (!sorted || sorted.length === 0) return null;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo / sorted.length;
}

interface WriteInput {
  kept: { row: number; picks: Candidate[] }[];
  products: EligibilityProduct[];
  ids: readonly string[];
  asOf: string;
  top: number;
  trainingRunId: number;
  analysisRunId: number;
  scored: number;
  stats: ProductMatchStats[];
  valueReference: number;
  coHolding: ReturnType<typeof strongRules>;
  reasonsOf: (row: number, candidate: Candidate) => string[];
  settings: ReturnType<typeof readSettings>;
  started: number;
  startedAt: string;
  timings: Record<string, number>;
}

/** The run, its recommendations and the audit, in one transaction. */
async function write(ctx: JobContext, input: WriteInput): Promise<MatchingScoringSummary> {
  const db = ctx.db();
  const { kept, products, ids, asOf, stats } = input;
  let t = performance.now();
  db.exec('BEGIN IMMEDIATE');
  try {
    const runId = Number(
      db
        .prepare("INSERT INTO analysis_runs (kind, params_json, as_of, status, started_at) VALUES (?, ?, ?, 'running', ?)")
        .run(
          MATCH_RUN_KIND,
          JSON.stringify({ trainingRunId: input.trainingRunId, analysisRunId: input.analysisRunId, top: input.top, matching: input.settings.matching, suitability: input.settings.suitability, marginRates: input.settings.value.marginRates }),
          asOf,
          input.startedAt,
        ).lastInsertRowid,
    );
    // The indexes go first, so that neither the delete nor the insert maintains them row by row.
    for (const index of RECOMMENDATION_INDEXES) db.exec(`DROP INDEX IF EXISTS ${index.name}`);
    removeEarlierRecommendations(db, runId);
    const insert = db.prepare(
      'INSERT INTO recommendations (run_id, customer_id, product_id, rank, score, suitability, reasons_json, family, propensity, expected_value, priority, flags_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    let written = 0;
    for (let k = 0; k < kept.length; k++) {
      const { row, picks } = kept[k]!;
      picks.forEach((c, rank) => {
        const product = products[c.p]!;
        stats[c.p]!.recommended++;
        insert.run(
          runId,
          ids[row],
          product.productId,
          rank + 1,
          round(c.score),
          c.flags.length > 0 ? 'eligible_flagged' : 'eligible',
          JSON.stringify(input.reasonsOf(row, c)),
          product.category,
          round(c.propensity),
          Math.round(c.value * 100) / 100,
          Math.round(c.propensity * c.value * 100) / 100,
          JSON.stringify(c.flags),
        );
        written++;
      });
      if (k % WRITE_CHUNK === 0) {
        ctx.progress('写入推荐结果', k, kept.length);
        ctx.throwIfCancelled();
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    ctx.progress('写入推荐结果', kept.length, kept.length);
    for (const index of RECOMMENDATION_INDEXES) db.exec(index.sql);
    input.timings.write = lap(t);
    t = performance.now();
    ctx.progress('适当性检查', 0, 1);
    const audit = auditRecommendations(db, runId, asOf, input.settings);
    input.timings.audit = lap(t);
    const summary: Omit<MatchingScoringSummary, 'runId'> = {
      trainingRunId: input.trainingRunId,
      asOf,
      customers: input.scored,
      recommendations: written,
      unsuitable: audit.unsuitable,
      audit,
      products: stats,
      valueReference: Math.round(input.valueReference * 100) / 100,
      seconds: lap(input.started),
    };
    db.prepare("UPDATE analysis_runs SET status = 'succeeded', metrics_json = ?, timings_json = ?, finished_at = ? WHERE run_id = ?").run(
      JSON.stringify({ ...summary, coHolding: input.coHolding }),
      JSON.stringify(input.timings),
      new Date().toISOString(),
      runId,
    );
    db.exec('COMMIT');
    return { runId, ...summary };
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/** Only the latest run's recommendations are kept: older runs' rows go, their run rows and figures stay. */
function removeEarlierRecommendations(db: Db, runId: number): void {
  db.prepare('DELETE FROM recommendations WHERE run_id IN (SELECT run_id FROM analysis_runs WHERE kind = ? AND run_id <> ?)').run(MATCH_RUN_KIND, runId);
}

const round = (value: number) => Math.round(value * 1e6) / 1e6;
