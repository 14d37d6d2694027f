/**
 * Group portrait (群体画像): any group a rule selects (segments and tags are rule fields) beside the whole
 * branch, dimension by dimension: age, gender, occupation, tier, AUM, products held, channel mix,
 * lifecycle and community, with summary figures. The rule goes through the customer list's catalog
 * (latest runs, ages today), so the group is exactly the customers the list counts for the same filter.
 *
 * All aggregation is SQL over one temporary row per customer (portrait/group-rows.ts); only a few dozen
 * numbers come back to JavaScript.
 */
import type { GroupPortrait } from '../../../shared/analytics';
import type { ParsedRequestOf } from '../../../shared/api';
import { compileRule, describeRule, RuleError, validateRule } from '../../../shared/rule-compiler';
import { listContext } from '../customers/list-context';
import type { Db } from '../db/workspace';
import { EngineError } from '../errors';
import { readSettings } from '../settings-store';
import { buildGroupRows, dropGroupRows, ROWS, type RowSources } from './portrait/group-rows';
import { portraitDimensions } from './portrait/dimensions';

export function groupPortrait(db: Db, request: ParsedRequestOf<'groups.portrait'>): GroupPortrait {
  const context = listContext(db);
  const issues = validateRule(request.filter, context.catalog);
  if (issues.length > 0) throw new EngineError('bad_input', new RuleError(issues).message);
  const group = compileRule(request.filter, context.catalog);
  const description = request.description?.trim() || describeRule(request.filter, context.catalog);

  const settings = readSettings(db);
  try {
    const sources = buildGroupRows(db, context.catalog, context.runs, settings, group, context.today);
    const sizes = db.prepare(`SELECT count(*) AS branch, coalesce(sum(in_group), 0) AS grp FROM ${ROWS}`).get() as { branch: number; grp: number };
    return {
      size: sizes.grp,
      branchSize: sizes.branch,
      description,
      dimensions: portraitDimensions(db, sources, { branch: sizes.branch, group: sizes.grp }),
      summary: summary(db, sources),
      headlineMinPoints: settings.groupPortrait.headlineMinPoints,
    };
  } finally {
    dropGroupRows(db);
  }
}

/** Headline figures, group against branch; null where the data for a figure is missing. */
function summary(db: Db, sources: RowSources): GroupPortrait['summary'] {
  const row = db
    .prepare(
      `SELECT
         count(*) AS n, sum(in_group) AS ng,
         avg(age) AS age, avg(CASE WHEN in_group THEN age END) AS age_g,
         avg(aum) AS aum, avg(CASE WHEN in_group THEN aum END) AS aum_g,
         avg(products) AS products, avg(CASE WHEN in_group THEN products END) AS products_g,
         sum(mobile) / nullif(sum(txn), 0) AS mobile, sum(in_group * mobile) / nullif(sum(in_group * txn), 0) AS mobile_g,
         sum(churn_band IS NOT NULL) AS scored, sum(in_group * (churn_band IS NOT NULL)) AS scored_g,
         sum(churn_band = 'high') AS high, sum(in_group * (churn_band = 'high')) AS high_g
       FROM ${ROWS}`,
    )
    .get() as Record<string, number | null>;
  const ratio = (count: number | null, total: number | null) => (total ? (count ?? 0) / total : null);
  const items: GroupPortrait['summary'] = [
    { key: 'customers', label: '客户数', group: row.ng ?? 0, branch: row.n ?? 0, unit: '人' },
    { key: 'avg_age', label: '平均年龄', group: row.age_g ?? null, branch: row.age ?? null, unit: '岁' },
    { key: 'avg_aum', label: '户均资产（近3个月日均）', group: row.aum_g ?? null, branch: row.aum ?? null, unit: '元' },
    { key: 'avg_products', label: '户均持有产品数', group: row.products_g ?? null, branch: row.products ?? null, unit: '个' },
  ];
  if (sources.features) items.push({ key: 'mobile_share', label: '手机银行交易占比', group: row.mobile_g ?? null, branch: row.mobile ?? null, unit: '比例' });
  // Only when churn has been scored: a share of nobody scored would read as "no risk".
  if ((row.scored ?? 0) > 0) {
    items.push({ key: 'churn_high_share', label: '流失高风险占比', group: ratio(row.high_g, row.scored_g), branch: ratio(row.high, row.scored), unit: '比例' });
  }
  return items;
}
