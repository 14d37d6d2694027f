/**
 * The churn screens' reads (query worker): model cards, the warning list and one customer's explanation.
 *
 * The warning list is the latest scoring's customers (scored-run.ts): the population the model was trained
 * for, never a customer already lost (population.ts). It is filtered by any rule over the customer catalog
 * (tier, community, manager, features, scores, tags: the rule compiler is the only way a filter reaches
 * SQL) and paged by key like the customer list (customers/keyset.ts), sorted by churn probability on its
 * (run_id, churn_prob, customer_id) index, by 预期流失资产 (probability × 3-month AUM) on its own index, or
 * by 3-month AUM on customer_summary's index. Names are masked unless the workspace turned masking off.
 */
import type { ChurnBand, ChurnExplanation, ModelCard, RiskRow, ValueTier } from '../../../../shared/analytics';
import type { LostNote } from '../../../../shared/churn';
import type { ParsedRequestOf } from '../../../../shared/api';
import { maskValue } from '../../../../shared/masking';
import { compileRule, RuleError } from '../../../../shared/rule-compiler';
import { customerFieldCatalog, type FieldCatalog, type SqlFragment, type SqlParam } from '../../../../shared/rule-fields';
import { DEFAULT_WINDOWS, referencedJoins, scanWalk, whereClause, type KeyRow, type RowConditions } from '../../customers/keyset';
import { latestRuns, type LatestRuns } from '../../customers/latest-runs';
import { resolveSort, sortWalks, type ResolvedSort, type SortableField, type Walk } from '../../customers/sort-fields';
import { localToday } from '../../customers/today';
import type { Db } from '../../db/workspace';
import { EngineError } from '../../errors';
import { contactColumns } from '../../campaigns/contact-columns';
import { readSettings } from '../../settings-store';
import { decodeExplanation, explanationSteps, reasonsOf } from './explanation';
import { lostNote } from './lost-list';
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
  const catalog = customerFieldCatalog({ featureRunId: runs.featureRunId, scoreRunId: runs.scoreRunId, tagRunId: runs.tagRunId, asOf, tags, segments });
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

/**
 * Sorting by 预期流失资产 (probability × 3-month average AUM) walks the column scoring stores for it, on its
 * (run_id, churn_expected_loss, customer_id) index (migration 4), like the customer list's score sorts.
 */
const EXPECTED_LOSS_SORT: SortableField = {
  key: 'expected_loss',
  label: '预期流失资产',
  source: 'scores',
  column: 'churn_expected_loss',
  index: 'customer_scores_churn_expected_loss',
  valueType: 'number',
};

function riskSort(request: RiskListRequest, runs: LatestRuns): ResolvedSort {
  const { field, direction } = request.sort;
  if (field === 'expected_loss') return { field: EXPECTED_LOSS_SORT, desc: direction === 'desc', scoreRunId: runs.scoreRunId };
  return resolveSort({ field: field === 'aum' ? 'aum_avg_3m' : 'churn_prob', direction }, runs);
}

export function riskList(db: Db, request: RiskListRequest): RiskPage {
  const scored = latestScoredRun(db);
  if (!scored) return { rows: [], next: null, total: 0 };
  const { runs, catalog } = riskContext(db, scored);
  const filter = compileFilter(request, catalog);
  const byProbability = request.sort.field === 'churn_prob';
  const walks = sortWalks(riskSort(request, runs));
  // The probability walk only visits scored rows; the other walks may cross customers left unscored (already
  // lost, or without a figure) and keep the scored ones.
  const conditions: RowConditions = { joins: catalog.joins, conditions: [...(filter ? [filter] : []), ...(byProbability ? [] : [SCORED])], selective: null, windows: DEFAULT_WINDOWS };

  const after = request.after ?? null;
  if (after && byProbability && typeof after.value !== 'number') throw new EngineError('bad_input', '翻页位置与排序列“流失概率”不符，请回到列表开头重新浏览');
  const need = request.limit + 1;
  const keys: KeyRow[] = [];
  const valuesWalk = walks.values as Walk;
  if (after === null || after.value !== null) {
    keys.push(...scanWalk(db, valuesWalk, conditions, after ? [after.value, after.id] : null, need));
  }
  if (!byProbability && keys.length < need) keys.push(...scanWalk(db, walks.nulls, conditions, after && after.value === null ? [after.id] : null, need - keys.length));

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
  churn_expected_loss: number | null;
  aum: number | null;
}

/**
 * The page's rows by id. AUM is the scored analysis's own 3-month average (customer_features), the figure the
 * expected loss, the AUM at risk and the tiers of that analysis were computed from; the customer list's
 * summary stands in for a customer whose feature row is gone.
 */
function fetchRiskRows(db: Db, runId: number, ids: readonly string[], maskPii: boolean): RiskRow[] {
  if (ids.length === 0) return [];
  const rows = db
    .prepare(
      `SELECT c.customer_id, c.name, s.value_tier, cm.name AS community_name, m.name AS manager_name,
         s.churn_prob, s.churn_band, s.churn_drivers_json, s.churn_expected_loss, coalesce(f.aum_avg_3m, cs.aum_avg_3m) AS aum
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
  const contacts = contactColumns(db, ids, maskPii);
  return ids.flatMap((id) => {
    const r = byId.get(id);
    const contact = contacts.get(id);
    if (!r || !contact) return [];
    const reasons = reasonsOf(decodeExplanation(r.churn_drivers_json));
    return [
      {
        customer_id: r.customer_id,
        name: maskPii ? maskValue('name', r.name) : r.name,
        value_tier: r.value_tier as ValueTier | null,
        community_name: r.community_name,
        manager_name: r.manager_name,
        churn_prob: r.churn_prob,
        churn_band: r.churn_band as ChurnBand,
        drivers: reasons.map((reason) => reason.text),
        reasons,
        aum: r.aum,
        expected_loss: r.churn_expected_loss,
        ...contact,
      },
    ];
  });
}

/**
 * One customer's churn explanation from the latest scoring: the reasons, the other topics that move the
 * probability by a meaningful amount, and the rest as one sum. For a customer the scoring left out as
 * already lost, the note that says so (lost-list.ts); null when the customer is in neither.
 */
export function explainChurn(db: Db, customerId: string): ChurnExplanation | LostNote | null {
  const scored = latestScoredRun(db);
  if (!scored) return null;
  const row = db
    .prepare('SELECT churn_prob, churn_band, churn_drivers_json FROM customer_scores WHERE run_id = ? AND customer_id = ?')
    .get(scored.analysisRunId, customerId) as { churn_prob: number | null; churn_band: string | null; churn_drivers_json: string | null } | undefined;
  if (!row) return null;
  if (row.churn_prob === null) return lostNote(db, scored.analysisRunId, customerId);
  const stored = decodeExplanation(row.churn_drivers_json);
  if (!stored) return null;
  return { modelId: stored.modelId, probability: row.churn_prob, band: row.churn_band as ChurnBand, bias: stored.bias, ...explanationSteps(stored), other: stored.other };
}
