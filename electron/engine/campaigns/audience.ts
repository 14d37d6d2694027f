/**
 * A campaign's audience: the customers of an AudienceSource. Rules, segments, tags and communities compile
 * through the rule DSL over the customer list's field catalog (the only way a filter reaches SQL), so the
 * audience is exactly what the customer list counts for the same filter. The churn bands read the latest
 * churn scoring, as the risk list does; a product reads the recommendations of the latest product-matching
 * run (the newest succeeded analysis_runs row of kind 'matching').
 *
 * The resolved ids go to a temporary table (temp.campaign_audience) that the later steps join on, so a
 * large audience is never spliced into SQL nor looked up one by one.
 */
import type { AudienceSource } from '../../../shared/campaigns';
import { CHURN_BAND_LABELS } from '../../../shared/rule-fields';
import { compileRule, RuleError } from '../../../shared/rule-compiler';
import { fromClause } from '../../../shared/rule-fields';
import type { RuleNode } from '../../../shared/rules';
import { latestScoredRun } from '../analytics/churn/scored-run';
import { listContext } from '../customers/list-context';
import type { Db } from '../db/workspace';
import { EngineError } from '../errors';

export const MATCHING_RUN_KIND = 'matching';

export interface ResolvedAudience {
  /** Customers of the workspace in the audience, each once. */
  ids: string[];
  /** Ids of an explicit selection that are not customers of the workspace. */
  unknown: number;
  /** What the source is, in words: “流失风险高、中的客户”. */
  label: string;
  /** The recommendation behind each customer, for a product source. */
  recommendations: Map<string, Recommendation> | null;
}

export interface Recommendation {
  score: number;
  reasons: string[];
}

/** The run whose recommendations a product campaign reads, or null before product matching has run. */
export function latestMatchingRun(db: Db): number | null {
  const row = db.prepare("SELECT max(run_id) AS id FROM analysis_runs WHERE kind = ? AND status = 'succeeded'").get(MATCHING_RUN_KIND) as { id: number | null };
  return row.id;
}

export function resolveAudience(db: Db, source: AudienceSource): ResolvedAudience {
  switch (source.kind) {
    case 'rule':
      return { ...byRule(db, source.rule), label: '规则筛选', unknown: 0, recommendations: null };
    case 'segment': {
      const segment = db.prepare('SELECT name FROM segments WHERE segment_id = ?').get(source.segmentId) as { name: string } | undefined;
      if (!segment) throw new EngineError('not_found', `找不到客群 ${source.segmentId}，请在“客群细分”中确认客群编号`);
      return { ...byRule(db, { field: 'segment', op: '=', value: String(source.segmentId) }), label: `客群：${segment.name}`, unknown: 0, recommendations: null };
    }
    case 'tag': {
      const tag = db.prepare('SELECT name FROM tags WHERE tag_id = ? OR name = ? ORDER BY tag_id = ? DESC LIMIT 1').get(source.tagId, source.tagId, source.tagId) as { name: string } | undefined;
      if (!tag) throw new EngineError('not_found', `找不到标签“${clip(source.tagId)}”，请在“标签与规则”中确认标签编号或名称`);
      return { ...byRule(db, { field: 'tag', op: 'has_tag', value: source.tagId }), label: `标签：${tag.name}`, unknown: 0, recommendations: null };
    }
    case 'community': {
      const community = db.prepare('SELECT name FROM communities WHERE community_id = ?').get(source.communityId) as { name: string } | undefined;
      const ids = db.prepare('SELECT customer_id FROM customers WHERE community_id = ? ORDER BY customer_id').pluck().all(source.communityId) as string[];
      if (!community && ids.length === 0) throw new EngineError('not_found', `找不到社区“${clip(source.communityId)}”，请确认社区编号`);
      return { ids, label: `社区：${community?.name ?? source.communityId}`, unknown: 0, recommendations: null };
    }
    case 'churn':
      return byChurnBands(db, source.bands);
    case 'product':
      return byRecommendations(db, source.productId, source.top);
    case 'customers':
      return byIds(db, source.customerIds);
  }
}

function byRule(db: Db, rule: RuleNode): { ids: string[] } {
  const { catalog } = listContext(db);
  let compiled;
  try {
    compiled = compileRule(rule, catalog);
  } catch (error) {
    if (error instanceof RuleError) throw new EngineError('bad_input', `${error.message}。请修改受众条件后重试`, JSON.stringify(error.issues));
    throw error;
  }
  const from = fromClause(catalog);
  const ids = db.prepare(`SELECT c.customer_id FROM ${from.sql} WHERE ${compiled.sql} ORDER BY c.customer_id`).pluck().all(...from.params, ...compiled.params) as string[];
  return { ids };
}

function byChurnBands(db: Db, bands: readonly ('high' | 'medium' | 'low')[]): ResolvedAudience {
  const scored = latestScoredRun(db);
  if (!scored) throw new EngineError('bad_input', '还没有流失打分结果，请先在“流失预警”中训练模型并打分');
  const ids = db
    .prepare('SELECT customer_id FROM customer_scores WHERE run_id = ? AND churn_band IN (SELECT value FROM json_each(?)) ORDER BY customer_id')
    .pluck()
    .all(scored.analysisRunId, JSON.stringify(bands)) as string[];
  return { ids, unknown: 0, label: `流失风险${bands.map((b) => CHURN_BAND_LABELS[b]).join('、')}的客户`, recommendations: null };
}

function byRecommendations(db: Db, productId: string, top: number | undefined): ResolvedAudience {
  const runId = latestMatchingRun(db);
  if (runId === null) throw new EngineError('bad_input', '还没有产品匹配结果，请先在“产品匹配”中运行匹配');
  const product = db.prepare('SELECT name FROM products WHERE product_id = ?').get(productId) as { name: string } | undefined;
  if (!product) throw new EngineError('not_found', `找不到产品“${clip(productId)}”，请确认产品代码`);
  const rows = db
    .prepare('SELECT customer_id, score, reasons_json FROM recommendations WHERE run_id = ? AND product_id = ? ORDER BY score DESC, customer_id LIMIT ?')
    .all(runId, productId, top ?? -1) as { customer_id: string; score: number; reasons_json: string }[];
  const recommendations = new Map(rows.map((r) => [r.customer_id, { score: r.score, reasons: parseReasons(r.reasons_json) }]));
  return { ids: rows.map((r) => r.customer_id).sort(), unknown: 0, label: `产品匹配：${product.name}`, recommendations };
}

function byIds(db: Db, customerIds: readonly string[]): ResolvedAudience {
  const wanted = [...new Set(customerIds)];
  const ids = db.prepare('SELECT customer_id FROM customers WHERE customer_id IN (SELECT value FROM json_each(?)) ORDER BY customer_id').pluck().all(JSON.stringify(wanted)) as string[];
  return { ids, unknown: wanted.length - ids.length, label: `选定的 ${wanted.length} 位客户`, recommendations: null };
}

/** Recommendations of `productId` in the latest matching run for some customers (ranking, reasons). */
export function recommendationsFor(db: Db, productId: string): Map<string, Recommendation> | null {
  const runId = latestMatchingRun(db);
  if (runId === null) return null;
  const rows = db
    .prepare('SELECT r.customer_id, r.score, r.reasons_json FROM recommendations r JOIN temp.campaign_audience a ON a.customer_id = r.customer_id WHERE r.run_id = ? AND r.product_id = ?')
    .all(runId, productId) as { customer_id: string; score: number; reasons_json: string }[];
  return new Map(rows.map((r) => [r.customer_id, { score: r.score, reasons: parseReasons(r.reasons_json) }]));
}

/**
 * The reasons of a recommendation as sentences. Matching stores them as JSON: a list of sentences, or of
 * objects carrying the sentence in `text` (or `reason`); anything else yields none rather than failing.
 */
export function parseReasons(json: string | null): string[] {
  if (!json) return [];
  try {
    const parsed = JSON.parse(json) as unknown;
    if (!Array.isArray(parsed)) return [];
    return parsed
      .map((r) => (typeof r === 'string' ? r : typeof r === 'object' && r !== null ? ((r as { text?: unknown; reason?: unknown }).text ?? (r as { reason?: unknown }).reason) : null))
      .filter((r): r is string => typeof r === 'string' && r.trim() !== '')
      .slice(0, 3);
  } catch {
    return [];
  }
}

/** Puts the audience in temp.campaign_audience (this connection only), replacing what was there. */
export function stageAudience(db: Db, ids: readonly string[]): void {
  db.exec('CREATE TEMP TABLE IF NOT EXISTS campaign_audience (customer_id TEXT PRIMARY KEY) WITHOUT ROWID');
  db.exec('DELETE FROM temp.campaign_audience');
  const insert = db.prepare('INSERT OR IGNORE INTO temp.campaign_audience (customer_id) VALUES (?)');
  db.transaction(() => {
    for (const id of ids) insert.run(id);
  })();
}

export const clip = (text: string, max = 40) => ([...text].length > max ? `${[...text].slice(0, max).join('')}…` : text);
