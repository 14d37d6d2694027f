/**
 * "Whom should I offer product X?" (issue #9 §5): the customers of the latest matching run with X among
 * their recommendations, by propensity or by propensity × value (priority), filtered by any rule over the
 * customer catalog (the rule compiler is the only way a filter reaches SQL) and paged by key on the
 * (run, product, order column, customer) indexes of migration 005. Names and mobiles are masked unless
 * the workspace turned masking off.
 */
import type { ProductListPage, ProductListRow } from '../../../shared/matching';
import { maskValue } from '../../../shared/masking';
import { compileRule, describeRule, RuleError } from '../../../shared/rule-compiler';
import { customerFieldCatalog, type FieldCatalog, type SqlFragment, type SqlParam } from '../../../shared/rule-fields';
import type { RuleNode } from '../../../shared/rules';
import { referencedJoins } from '../customers/keyset';
import { latestRuns } from '../customers/latest-runs';
import type { Db } from '../db/workspace';
import { EngineError } from '../errors';
import { readSettings } from '../settings-store';
import { latestScoringRun, type ScoringRunRef } from './model-store';

export interface ProductListQuery {
  productId: string;
  sort: 'propensity' | 'priority';
  filter?: RuleNode | undefined;
  contactableOnly: boolean;
}

/** Customers who may be marketed to: not 勿扰 and marketing consent given. */
export const CONTACTABLE_SQL = 'coalesce(c.do_not_contact, 0) = 0 AND c.consent_marketing = 1';

interface Prepared {
  run: ScoringRunRef;
  from: string;
  where: SqlFragment[];
  order: 'propensity' | 'priority';
  catalog: FieldCatalog;
}

/** The catalog over the analysis the matching run scored (ages on its as-of date, like its features). */
function catalogFor(db: Db, run: ScoringRunRef): FieldCatalog {
  const runs = latestRuns(db);
  const tags = db.prepare('SELECT tag_id AS id, name FROM tags ORDER BY tag_id').all() as { id: string; name: string }[];
  const segments = db.prepare('SELECT segment_id AS id, name FROM segments ORDER BY segment_id').all() as { id: number; name: string }[];
  const hasFeatures = db.prepare('SELECT 1 FROM customer_features WHERE run_id = ? LIMIT 1').get(run.analysisRunId) !== undefined;
  return customerFieldCatalog({ featureRunId: hasFeatures ? run.analysisRunId : null, scoreRunId: run.analysisRunId, tagRunId: runs.tagRunId, asOf: run.asOf, tags, segments });
}

function prepare(db: Db, query: ProductListQuery): Prepared | null {
  const run = latestScoringRun(db);
  if (!run) return null;
  const catalog = catalogFor(db, run);
  const where: SqlFragment[] = [{ sql: 'r.run_id = ? AND r.product_id = ?', params: [run.runId, query.productId] }];
  if (query.filter) {
    try {
      const compiled = compileRule(query.filter, catalog);
      if (compiled.sql !== '1') where.push(compiled);
    } catch (error) {
      if (error instanceof RuleError) throw new EngineError('bad_input', `${error.message}。请修改筛选条件后重试`, JSON.stringify(error.issues));
      throw error;
    }
  }
  if (query.contactableOnly) where.push({ sql: CONTACTABLE_SQL, params: [] });
  const needsCustomer = where.length > 1;
  const joins = needsCustomer ? referencedJoins(catalog.joins, where.map((w) => w.sql).join(' ')) : [];
  const from = needsCustomer ? `recommendations r JOIN ${catalog.from} ON c.customer_id = r.customer_id${joins.map((j) => ` ${j.sql}`).join('')}` : 'recommendations r';
  // Join parameters come before the WHERE's, in the order they appear in the SQL.
  if (joins.length > 0) where.unshift({ sql: '1', params: joins.flatMap((j) => j.params) });
  return { run, from, where, order: query.sort, catalog };
}

const whereSql = (where: readonly SqlFragment[]) => where.map((w) => w.sql).join(' AND ');
const whereParams = (where: readonly SqlFragment[]): SqlParam[] => where.flatMap((w) => [...w.params]);

/** Keys of one page: (order value, customer id), after the previous page's last key. */
function pageKeys(db: Db, p: Prepared, after: { value: number; id: string } | null, limit: number): { value: number; id: string }[] {
  const column = p.order === 'priority' ? 'r.priority' : 'r.propensity';
  const keyset: SqlFragment[] = after ? [{ sql: `(${column} < ? OR (${column} = ? AND r.customer_id > ?))`, params: [after.value, after.value, after.id] }] : [];
  const where = [...p.where, ...keyset];
  const sql = `SELECT ${column} AS value, r.customer_id AS id FROM ${p.from} WHERE ${whereSql(where)} ORDER BY ${column} DESC, r.customer_id LIMIT ?`;
  return db.prepare(sql).all(...whereParams(where), limit) as { value: number; id: string }[];
}

function count(db: Db, p: Prepared): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${p.from} WHERE ${whereSql(p.where)}`).get(...whereParams(p.where)) as { n: number }).n;
}

interface RowRaw {
  customer_id: string;
  name: string | null;
  mobile: string | null;
  consent_marketing: number | null;
  do_not_contact: number | null;
  value_tier: string | null;
  manager_name: string | null;
  rank: number;
  propensity: number;
  expected_value: number;
  priority: number;
  score: number;
  reasons_json: string;
  flags_json: string;
  last_contact: string | null;
}

/** The rows of `ids` (in that order) for the product. */
function rowsOf(db: Db, run: ScoringRunRef, productId: string, ids: readonly string[], maskPii: boolean): ProductListRow[] {
  if (ids.length === 0) return [];
  const raw = db
    .prepare(
      `SELECT r.customer_id, c.name, c.mobile, c.consent_marketing, c.do_not_contact, s.value_tier, m.name AS manager_name,
         r.rank, r.propensity, r.expected_value, r.priority, r.score, r.reasons_json, r.flags_json,
         (SELECT max(d) FROM (
            SELECT max(i.date) AS d FROM interactions i WHERE i.customer_id = r.customer_id AND i.kind <> 'complaint' AND i.date <= @asOf
            UNION ALL SELECT max(substr(cr.responded_at, 1, 10)) FROM campaign_responses cr WHERE cr.customer_id = r.customer_id AND cr.responded_at <= @asOf
          )) AS last_contact
       FROM recommendations r
       JOIN customers c ON c.customer_id = r.customer_id
       LEFT JOIN customer_scores s ON s.customer_id = r.customer_id AND s.run_id = @analysis
       LEFT JOIN managers m ON m.manager_id = c.manager_id
       WHERE r.run_id = @run AND r.product_id = @product AND r.customer_id IN (SELECT value FROM json_each(@ids))`,
    )
    .all({ run: run.runId, analysis: run.analysisRunId, asOf: `${run.asOf}\uffff`, product: productId, ids: JSON.stringify(ids) }) as RowRaw[];
  const byId = new Map(raw.map((r) => [r.customer_id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    return [
      {
        customer_id: r.customer_id,
        name: maskPii ? maskValue('name', r.name) : r.name,
        mobile: maskPii ? maskValue('mobile', r.mobile) : r.mobile,
        value_tier: r.value_tier,
        manager_name: r.manager_name,
        consent_marketing: r.consent_marketing,
        do_not_contact: r.do_not_contact,
        last_contact: r.last_contact,
        rank: r.rank,
        propensity: r.propensity,
        expected_value: r.expected_value,
        priority: r.priority,
        score: r.score,
        reasons: JSON.parse(r.reasons_json) as string[],
        flags: JSON.parse(r.flags_json) as string[],
      },
    ];
  });
}

export function productListPage(db: Db, query: ProductListQuery, after: { value: number; id: string } | null, limit: number): ProductListPage {
  const p = prepare(db, query);
  if (!p) return { rows: [], next: null, total: 0 };
  const keys = pageKeys(db, p, after, limit + 1);
  const page = keys.slice(0, limit);
  const last = page[page.length - 1];
  return {
    rows: rowsOf(db, p.run, query.productId, page.map((k) => k.id), readSettings(db).maskPii),
    next: keys.length > limit && last ? last : null,
    total: count(db, p),
  };
}

/** Every row of the list, a chunk at a time (for the export), with its description. */
export function productListChunks(db: Db, query: ProductListQuery, chunk: number): { total: number; filterText: string; asOf: string; chunks: () => Iterable<ProductListRow[]> } {
  const p = prepare(db, query);
  if (!p) throw new EngineError('not_found', '还没有产品匹配结果，请先训练并运行产品匹配');
  const maskPii = readSettings(db).maskPii;
  return {
    total: count(db, p),
    filterText: query.filter ? describeRule(query.filter, p.catalog) : '全部推荐客户',
    asOf: p.run.asOf,
    chunks: function* () {
      let after: { value: number; id: string } | null = null;
      for (;;) {
        const keys = pageKeys(db, p, after, chunk);
        if (keys.length === 0) return;
        yield rowsOf(db, p.run, query.productId, keys.map((k) => k.id), maskPii);
        after = keys[keys.length - 1]!;
      }
    },
  };
}
