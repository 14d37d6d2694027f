/**
 * The churn screens' reads (query worker): model cards, the warning list and one customer's explanation.
 *
 * The warning list is the latest scoring's customers (scored-run.ts), filtered by any rule over the customer
 * catalog (tier, community, manager, features, scores, tags: the rule compiler is the only way a filter
 * reaches SQL) and paged by key like the customer list (customers/keyset.ts), sorted by churn probability
 * on its (run_id, churn_prob, customer_id) index or by 3-month AUM on customer_summary's index. Names are
 * masked unless the workspace turned masking off.
 */
import type { ChurnBand, ChurnExplanation, ModelCard, RiskRow, ValueTier } from '../../../../shared/analytics';
import type { ParsedRequestOf } from '../../../../shared/api';
import { maskValue } from '../../../../shared/masking';
import { compileRule, RuleError } from '../../../../shared/rule-compiler';
import { customerFieldCatalog, type FieldCatalog, type SqlFragment, type SqlParam } from '../../../../shared/rule-fields';
import { DEFAULT_WINDOWS, referencedJoins, scanWalk, whereClause, type KeyRow, type RowConditions } from '../../customers/keyset';
import { latestRuns, type LatestRuns } from '../../customers/latest-runs';
import { resolveSort, sortWalks, type Walk } from '../../customers/sort-fields';
import { localToday } from '../../customers/today';
import type { Db } from '../../db/workspace';
import { EngineError } from '../../errors';
import { readSettings } from '../../settings-store';
import { driverText } from './drivers';
import { decodeDrivers, driversOf } from './explanation';
import { FEATURE_LABELS, isFeatureKey } from './feature-labels';
import { cardOf, CHURN_MODEL_KIND, churnModelId } from './model-store';
import { latestScoredRun, type ScoredRun } from './scored-run';

type RiskListRequest = ParsedRequestOf<'churn.riskList'>;
type RiskPage = { rows: RiskRow[]; next: { value: number | null; id: string } | null; total: number };

export function churnModels(db: Db): ModelCard[] {
  const rows = db.prepare('SELECT model_id, metrics_json FROM models WHERE kind = ? ORDER BY model_id DESC').all(CHURN_MODEL_KIND) as { model_id: number; metrics_json: string | null }[];
  return rows.filter((r) => r.metrics_json !== null).map((r) => cardOf(r.model_id, r.metrics_json));
}

export function churnModel(db: Db, modelId?: number): ModelCard | null {
  const id = churnModelId(db, modelId);
  if (id === null) return null;
  const row = db.prepare('SELECT metrics_json FROM models WHERE model_id = ?').get(id) as { metrics_json: string | null };
  return cardOf(id, row.metrics_json);
}

/** The catalog and runs a risk-list query reads: the scored analysis for features and scores. */
function riskContext(db: Db, scored: ScoredRun): { runs: LatestRuns; catalog: FieldCatalog } {
  const runs: LatestRuns = {
    featureRunId: scored.hasFeatures ? scored.analysisRunId : null,
    scoreRunId: scored.analysisRunId,
    tagRunId: latestRuns(db).tagRunId,
    scoreAsOf: scored.asOf,
  };
  const tags = db.prepare('SELECT tag_id AS id, name FROM tags ORDER BY tag_id').all() as { id: string; name: string }[];
  const segments = db.prepare('SELECT segment_id AS id, name FROM segments ORDER BY segment_id').all() as { id: number; name: string }[];
  // Ages are computed on the scoring's as-of date, like the features next to them.
  const asOf = scored.asOf ?? localToday();
  const catalog = customerFieldCatalog({ featureRunId: runs.featureRunId, scoreRunId: runs.scoreRunId, tagRunId: runs.tagRunId, asOf, tags, segments, maskPii: readSettings(db).maskPii });
  return { runs, catalog };
}

function compileFilter(request: RiskListRequest, catalog: FieldCatalog): SqlFragment | null {
  if (!request.filter) return null;
  try {
    const compiled = compileRule(request.filter, catalog);
    return compiled.sql === '1' ? null : compiled;
  } catch (error) {
    if (error instanceof RuleError) throw new EngineError('bad_input', `${error.message}。请修改筛选条件后重试`, JSON.stringify(error.issues));
    throw error;
  }
}

/** The scored customers of the run, as a per-row condition over the catalog's `s` join. */
const SCORED: SqlFragment = { sql: 's.churn_prob IS NOT NULL', params: [] };

export function riskList(db: Db, request: RiskListRequest): RiskPage {
  const scored = latestScoredRun(db);
  if (!scored) return { rows: [], next: null, total: 0 };
  const { runs, catalog } = riskContext(db, scored);
  const filter = compileFilter(request, catalog);
  const byAum = request.sort.field === 'aum';
  const sort = resolveSort({ field: byAum ? 'aum_avg_3m' : 'churn_prob', direction: request.sort.direction }, runs);
  const walks = sortWalks(sort);
  // The churn walk only visits scored rows; the AUM walk crosses every customer and keeps the scored ones.
  const conditions: RowConditions = { joins: catalog.joins, conditions: [...(filter ? [filter] : []), ...(byAum ? [SCORED] : [])], selective: null, windows: DEFAULT_WINDOWS };

  const after = request.after ?? null;
  if (after && !byAum && typeof after.value !== 'number') throw new EngineError('bad_input', '翻页位置与排序列“流失概率”不符，请回到列表开头重新浏览');
  const need = request.limit + 1;
  const keys: KeyRow[] = [];
  const valuesWalk = walks.values as Walk;
  if (after === null || after.value !== null) {
    keys.push(...scanWalk(db, valuesWalk, conditions, after ? [after.value, after.id] : null, need));
  }
  if (byAum && keys.length < need) keys.push(...scanWalk(db, walks.nulls, conditions, after && after.value === null ? [after.id] : null, need - keys.length));

  const page = keys.slice(0, request.limit);
  const last = page[page.length - 1];
  return {
    rows: fetchRiskRows(db, scored.analysisRunId, page.map((k) => k.id), readSettings(db).maskPii),
    next: keys.length > request.limit && last ? { value: typeof last.value === 'number' ? last.value : null, id: last.id } : null,
    total: countScored(db, scored.analysisRunId, catalog, filter),
  };
}

function countScored(db: Db, runId: number, catalog: FieldCatalog, filter: SqlFragment | null): number {
  if (!filter) {
    return (db.prepare('SELECT count(*) AS n FROM customer_scores INDEXED BY customer_scores_churn WHERE run_id = ? AND churn_prob IS NOT NULL').get(runId) as { n: number }).n;
  }
  const where = [SCORED, filter];
  const joins = referencedJoins(catalog.joins, where.map((w) => w.sql).join(' '));
  const sql = `SELECT count(*) AS n FROM ${catalog.from}${joins.map((j) => ` ${j.sql}`).join('')}${whereClause(where)}`;
  const params: SqlParam[] = [...joins.flatMap((j) => j.params), ...where.flatMap((w) => w.params)];
  return (db.prepare(sql).get(...params) as { n: number }).n;
}

interface RiskRaw {
  customer_id: string;
  name: string | null;
  value_tier: string | null;
  community_name: string | null;
  manager_name: string | null;
  churn_prob: number;
  churn_band: string;
  churn_drivers_json: string | null;
  aum: number | null;
}

/**
 * The page's rows by id. AUM is the customer list's 3-month average (customer_summary, what the AUM sort
 * walks), or the scored analysis's own figure for a customer the summary has not caught up with yet.
 */
function fetchRiskRows(db: Db, runId: number, ids: readonly string[], maskPii: boolean): RiskRow[] {
  if (ids.length === 0) return [];
  const rows = db
    .prepare(
      `SELECT c.customer_id, c.name, s.value_tier, cm.name AS community_name, m.name AS manager_name,
         s.churn_prob, s.churn_band, s.churn_drivers_json, coalesce(cs.aum_avg_3m, f.aum_avg_3m) AS aum
       FROM customers c
       JOIN customer_scores s ON s.customer_id = c.customer_id AND s.run_id = ?
       LEFT JOIN communities cm ON cm.community_id = c.community_id
       LEFT JOIN managers m ON m.manager_id = c.manager_id
       LEFT JOIN customer_summary cs ON cs.customer_id = c.customer_id
       LEFT JOIN customer_features f ON f.customer_id = c.customer_id AND f.run_id = s.run_id
       WHERE c.customer_id IN (SELECT value FROM json_each(?))`,
    )
    .all(runId, JSON.stringify(ids)) as RiskRaw[];
  const byId = new Map(rows.map((r) => [r.customer_id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    return [
      {
        customer_id: r.customer_id,
        name: maskPii ? maskValue('name', r.name) : r.name,
        value_tier: r.value_tier as ValueTier | null,
        community_name: r.community_name,
        manager_name: r.manager_name,
        churn_prob: r.churn_prob,
        churn_band: r.churn_band as ChurnBand,
        drivers: decodeDrivers(r.churn_drivers_json)?.drivers.map((d) => d.text) ?? [],
        aum: r.aum,
      },
    ];
  });
}

/**
 * One customer's churn explanation from the latest scoring: the drivers, then the other features that
 * move the probability most (their sentences rebuilt from the customer's stored feature row), and the rest
 * as one sum. null when the customer was not scored.
 */
export function explainChurn(db: Db, customerId: string): ChurnExplanation | null {
  const scored = latestScoredRun(db);
  if (!scored) return null;
  const row = db
    .prepare('SELECT churn_prob, churn_band, churn_drivers_json FROM customer_scores WHERE run_id = ? AND customer_id = ?')
    .get(scored.analysisRunId, customerId) as { churn_prob: number | null; churn_band: string | null; churn_drivers_json: string | null } | undefined;
  if (!row || row.churn_prob === null) return null;
  const stored = decodeDrivers(row.churn_drivers_json);
  if (!stored) return null;

  const waterfall = stored.waterfall.filter(([feature]) => isFeatureKey(feature));
  const features = waterfall.length > 0 && scored.hasFeatures ? featureRow(db, scored.analysisRunId, customerId, waterfall.map(([f]) => f)) : {};
  const options = { riskAssessmentValidMonths: readSettings(db).suitability.riskAssessmentValidMonths };
  let unlisted = 0;
  const rest = waterfall.flatMap(([feature, contribution]) => {
    const value = features[feature];
    // Without the feature row there is no sentence to show: the contribution joins "other" instead.
    if (value === undefined) {
      unlisted += contribution;
      return [];
    }
    return [{ feature, label: FEATURE_LABELS[feature], contribution, text: driverText(feature, value, options) }];
  });
  return {
    modelId: stored.modelId,
    probability: row.churn_prob,
    band: row.churn_band as ChurnBand,
    bias: stored.bias,
    drivers: [...driversOf(stored), ...rest],
    other: Math.round((stored.other + unlisted) * 1e5) / 1e5,
  };
}

/** Some features of one customer in a run; NULL comes back as NaN (the driver's "missing" sentence). */
function featureRow(db: Db, runId: number, customerId: string, keys: readonly string[]): Record<string, number> {
  // Keys are checked FEATURE_KEYS (isFeatureKey above), never request text.
  const row = db.prepare(`SELECT ${keys.join(', ')} FROM customer_features WHERE run_id = ? AND customer_id = ?`).get(runId, customerId) as Record<string, number | null> | undefined;
  if (!row) return {};
  return Object.fromEntries(keys.map((k) => [k, row[k] ?? Number.NaN]));
}
