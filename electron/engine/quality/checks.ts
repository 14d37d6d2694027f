/**
 * What the data-quality report checks in each table, derived from the data dictionary: which values count
 * as present, which are invalid, which columns get distinct counts, which codes must exist in another table,
 * and which date says how fresh the table is. Everything here is SQL over a whitelisted table alias `t`;
 * column names come from the dictionary, values are bound parameters.
 */
import { ENTITIES, type EntityDef, type EntityKey, type FieldDef } from '../../../shared/dictionary';
import type { SqlFragment, SqlParam } from '../../../shared/rule-fields';

/** How a column's distinct count is found: as a set of values (few, mergeable across chunks), a full count, or known. */
export type DistinctMode = 'values' | 'count' | 'key' | null;

export interface FieldCheck {
  readonly field: FieldDef;
  /** Why the field may legitimately be empty; its completeness is then not judged. */
  readonly mayBeEmpty: string | null;
  /** A value is there: not NULL, and for text not empty. */
  readonly present: string;
  /** The value where present, NULL otherwise: count() of it counts present values (cheaper than a CASE). */
  readonly presentValue: string;
  /** Among present values, the invalid ones; null when nothing can be checked (free text). */
  readonly invalid: SqlFragment | null;
  readonly distinct: DistinctMode;
  /** A soft reference (no foreign key) whose codes must exist in `table.key`. */
  readonly reference: { readonly table: string; readonly key: string } | null;
}

export interface TableChecks {
  readonly entity: EntityDef;
  readonly fields: readonly FieldCheck[];
  /** The column whose latest valid value tells how fresh the table is. */
  readonly freshness: { readonly field: string; readonly kind: 'date' | 'month' } | null;
}

/**
 * References without a foreign key (migration 1: a branch often receives customers before the community
 * register), so unmatched codes can exist and are reported as orphans. References with a foreign key
 * cannot be broken and are not checked.
 */
const SOFT_REFERENCES: Readonly<Partial<Record<EntityKey, Readonly<Record<string, { table: string; key: string }>>>>> = {
  customers: { community_id: { table: 'communities', key: 'community_id' }, manager_id: { table: 'managers', key: 'manager_id' } },
  communities: { manager_id: { table: 'managers', key: 'manager_id' } },
  transactions: { product_id: { table: 'products', key: 'product_id' } },
};

const FRESHNESS: Readonly<Partial<Record<EntityKey, { field: string; kind: 'date' | 'month' }>>> = {
  customers: { field: 'open_date', kind: 'date' },
  holdings: { field: 'opened_at', kind: 'date' },
  balances: { field: 'month', kind: 'month' },
  transactions: { field: 'txn_date', kind: 'date' },
  interactions: { field: 'date', kind: 'date' },
  campaign_responses: { field: 'responded_at', kind: 'date' },
};

/**
 * Fields that are empty by the nature of the record, not by a defect (issue #14: 结清日期 of open holdings
 * counted against completeness). Their completeness is shown but not judged.
 */
const MAY_BE_EMPTY: Readonly<Record<string, string>> = {
  'holdings.closed_at': '未结清的持有没有结清日期',
  'holdings.balance': '信用卡、代扣等签约类产品没有余额',
  'balances.deposit': '没有存款的客户可不填',
  'balances.wealth': '没有理财的客户可不填',
  'balances.loan': '没有贷款的客户可不填',
  'transactions.product_id': '转账、消费等交易不涉及产品',
  'transactions.channel': '结息、扣费等由银行记账的交易没有渠道',
  'transactions.type': '部分系统不导出交易类型',
  'interactions.outcome': '并非每次接触都记录结果',
  'interactions.score': '只有满意度调查有评分',
  'campaign_responses.responded_at': '未响应的客户没有响应日期',
  'campaign_responses.amount': '未成交的客户没有成交金额',
  'products.term_months': '活期、信用卡等产品没有期限',
  'products.min_age': '多数产品不限年龄',
  'products.max_age': '多数产品不限年龄',
  'products.min_amount': '部分产品不设起购金额',
  'communities.grid_id': '未划分网格的社区没有网格编号',
  'communities.grid_name': '未划分网格的社区没有网格名称',
};

/** Money that may be negative: a transaction amount is signed in some bank exports (the direction says which way). */
const SIGNED_MONEY = new Set(['transactions.amount']);

/** Tables describing things rather than events: small enough, up to a size, to count every column's distinct values. */
const DIMENSIONS = new Set<EntityKey>(['communities', 'managers', 'products', 'customers']);

const DATE_SHAPE = "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'";
const MONTH_SHAPE = "'[0-9][0-9][0-9][0-9]-[0-9][0-9]'";

export interface CheckOptions {
  /** 'YYYY-MM-DD': dates after it are invalid. */
  today: string;
  /** Count distinct values of every column of dimension tables (they are small enough). */
  fullDistinct: (entity: EntityKey) => boolean;
}

export function tableChecks(entity: EntityDef, options: CheckOptions): TableChecks {
  const fields = entity.fields.map((field) => fieldCheck(entity, field, options));
  return { entity, fields, freshness: FRESHNESS[entity.key] ?? null };
}

export function allTableChecks(options: CheckOptions): TableChecks[] {
  return ENTITIES.map((e) => tableChecks(e, options));
}

export const isDimension = (key: EntityKey) => DIMENSIONS.has(key);

function fieldCheck(entity: EntityDef, field: FieldDef, options: CheckOptions): FieldCheck {
  const col = `t.${field.key}`;
  const singleKey = entity.keyFields.length === 1 && entity.keyFields[0] === field.key;
  const bounded = field.type === 'enum' || field.type === 'boolean' || field.type === 'month';
  const textual = field.type === 'text' || field.type === 'enum';
  return {
    field,
    mayBeEmpty: MAY_BE_EMPTY[`${entity.key}.${field.key}`] ?? null,
    present: textual ? `(${col} IS NOT NULL AND ${col} <> '')` : `${col} IS NOT NULL`,
    presentValue: textual ? `NULLIF(${col}, '')` : col,
    invalid: invalidTest(entity, field, col, options.today),
    distinct: singleKey ? 'key' : options.fullDistinct(entity.key) ? 'count' : bounded ? 'values' : null,
    reference: SOFT_REFERENCES[entity.key]?.[field.key] ?? null,
  };
}

const frag = (sql: string, ...params: SqlParam[]): SqlFragment => ({ sql, params });
const notNumeric = (col: string) => `typeof(${col}) NOT IN ('integer', 'real')`;

function bounds(field: FieldDef, col: string): string[] {
  return [...(field.min !== undefined ? [`${col} < ${Number(field.min)}`] : []), ...(field.max !== undefined ? [`${col} > ${Number(field.max)}`] : [])];
}

function invalidTest(entity: EntityDef, field: FieldDef, col: string, today: string): SqlFragment | null {
  switch (field.type) {
    case 'text':
      return null;
    case 'enum': {
      // Open enums (transaction types) keep codes the dictionary does not know: nothing to check.
      if (field.openEnum || !field.enumValues || field.enumValues.length === 0) return null;
      return frag(`${col} NOT IN (${field.enumValues.map(() => '?').join(', ')})`, ...field.enumValues);
    }
    case 'date':
      // date() normalises what it parses, so a date it does not return unchanged (2024-02-30) is not a date.
      return frag(`NOT (${col} GLOB ${DATE_SHAPE} AND date(${col}) IS ${col} AND ${col} <= ?)`, today);
    case 'month':
      return frag(`NOT (${col} GLOB ${MONTH_SHAPE} AND substr(${col}, 6, 2) BETWEEN '01' AND '12' AND ${col} <= ?)`, today.slice(0, 7));
    case 'boolean':
      return frag(`${col} NOT IN (0, 1)`);
    case 'money': {
      const signed = SIGNED_MONEY.has(`${entity.table}.${field.key}`);
      return frag([notNumeric(col), ...(signed ? [] : [`${col} < 0`]), ...bounds(field, col)].join(' OR '));
    }
    case 'integer':
      return frag([notNumeric(col), `${col} <> CAST(${col} AS INTEGER)`, ...bounds(field, col)].join(' OR '));
    case 'number':
    case 'ratio':
      return frag([notNumeric(col), ...bounds(field, col)].join(' OR '));
  }
}

/**
 * The SQL test of values that count for freshness: shaped like a date or month and not in the future. The
 * shape alone, without date()'s calendar check: it runs on every row of the biggest tables, and a 2024-02-30
 * is already reported as invalid.
 */
export function freshnessTest(kind: 'date' | 'month', col: string, today: string): SqlFragment {
  return kind === 'date' ? frag(`${col} GLOB ${DATE_SHAPE} AND ${col} <= ?`, today) : frag(`${col} GLOB ${MONTH_SHAPE} AND ${col} <= ?`, today.slice(0, 7));
}
