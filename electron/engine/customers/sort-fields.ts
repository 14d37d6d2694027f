/**
 * The columns the customer list can be sorted by, and how each is walked in order. A sort is only offered
 * where an index serves `ORDER BY <column>, customer_id` directly (migration 2), because anything else means
 * sorting a million rows per page. Feature columns are therefore filterable but not sortable; adding one
 * means adding its index first.
 */
import { field as dictionaryField } from '../../../shared/dictionary';
import type { SqlFragment, SqlParam } from '../../../shared/rule-fields';
import { EngineError } from '../errors';
import type { LatestRuns } from './latest-runs';

export interface SortableField {
  readonly key: string;
  readonly label: string;
  /** The table holding the sort column: customers (c), customer_summary (cs) or customer_scores (sd). */
  readonly source: 'customers' | 'summary' | 'scores';
  readonly column: string;
  /** The (column, customer_id) index that yields rows in order. */
  readonly index: string;
  readonly valueType: 'text' | 'number';
  /** Age sorts by birth date, the other way round. */
  readonly inverted?: boolean;
  /**
   * The sort value is personal (a name, a birth date): the page cursor carries no value and the engine reads
   * it back from the cursor's row, so that the renderer never receives it.
   */
  readonly hiddenValue?: boolean;
}

const customerLabel = (key: string) => dictionaryField('customers', key)?.label ?? key;

/** The primary-key index SQLite creates for customers.customer_id (the table's only unique constraint). */
export const CUSTOMER_PK_INDEX = 'sqlite_autoindex_customers_1';

export const SORTABLE_FIELDS: readonly SortableField[] = [
  { key: 'customer_id', label: customerLabel('customer_id'), source: 'customers', column: 'customer_id', index: CUSTOMER_PK_INDEX, valueType: 'text' },
  { key: 'name', label: customerLabel('name'), source: 'customers', column: 'name', index: 'customers_name', valueType: 'text', hiddenValue: true },
  { key: 'age', label: '年龄', source: 'customers', column: 'birth_date', index: 'customers_birth_date', valueType: 'text', inverted: true, hiddenValue: true },
  { key: 'open_date', label: customerLabel('open_date'), source: 'customers', column: 'open_date', index: 'customers_open_date', valueType: 'text' },
  { key: 'risk_level', label: customerLabel('risk_level'), source: 'customers', column: 'risk_level', index: 'customers_risk_level', valueType: 'text' },
  { key: 'community_id', label: '所属社区', source: 'customers', column: 'community_id', index: 'customers_community', valueType: 'text' },
  { key: 'manager_id', label: '客户经理', source: 'customers', column: 'manager_id', index: 'customers_manager', valueType: 'text' },
  { key: 'aum_latest', label: '最新月日均资产', source: 'summary', column: 'aum_latest', index: 'customer_summary_aum_latest', valueType: 'number' },
  { key: 'aum_avg_3m', label: '近3个月日均资产', source: 'summary', column: 'aum_avg_3m', index: 'customer_summary_aum_avg_3m', valueType: 'number' },
  { key: 'churn_prob', label: '流失概率', source: 'scores', column: 'churn_prob', index: 'customer_scores_churn', valueType: 'number' },
];

export interface ResolvedSort {
  readonly field: SortableField;
  /** The direction of the walk over the column (age ascending walks birth dates descending). */
  readonly desc: boolean;
  readonly scoreRunId: number | null;
}

export function resolveSort(sort: { field: string; direction: 'asc' | 'desc' } | undefined, runs: LatestRuns): ResolvedSort {
  const key = sort?.field ?? 'customer_id';
  const available = SORTABLE_FIELDS.filter((f) => f.source !== 'scores' || runs.scoreRunId !== null);
  const field = available.find((f) => f.key === key);
  if (!field) {
    const needsRun = SORTABLE_FIELDS.some((f) => f.key === key && f.source === 'scores');
    throw new EngineError(
      'bad_input',
      needsRun
        ? `按“${SORTABLE_FIELDS.find((f) => f.key === key)?.label}”排序需要先运行客户分析`
        : `不支持按“${key}”排序。可排序的列：${available.map((f) => f.label).join('、')}`,
    );
  }
  const desc = (sort?.direction ?? 'asc') === 'desc';
  return { field, desc: field.inverted ? !desc : desc, scoreRunId: runs.scoreRunId };
}

/**
 * One ordered pass over a set of rows: the rows whose sort value is present, or those where it is missing
 * (NULLs come last in both directions, so they are a second pass ordered by customer_id alone).
 */
export interface Walk {
  /** FROM for the forced ordered walk: the driving table on its index, then `customers c` when it is another table. */
  readonly from: string;
  /** The driving table alone on its index, for locating window boundaries. */
  readonly driverFrom: string;
  /** Order keys on the driving table; the last is the customer id. */
  readonly keys: readonly string[];
  readonly desc: boolean;
  /** Conditions on the driving table alone. */
  readonly where: readonly SqlFragment[];
  /** Conditions that read other tables (tested per row like a filter). */
  readonly joinedWhere: readonly SqlFragment[];
  /** The same rows and order without a forced access path, for the planner to choose. */
  readonly free: { readonly from: SqlFragment; readonly keys: readonly string[]; readonly where: readonly SqlFragment[] };
}

const frag = (sql: string, ...params: SqlParam[]): SqlFragment => ({ sql, params });

/** The walks for a sort, in order: values present, then values missing. */
export function sortWalks(sort: ResolvedSort): { values: Walk | null; nulls: Walk } {
  const { field, desc } = sort;
  const col = field.column;
  if (field.key === 'customer_id') {
    const keys = ['c.customer_id'];
    return {
      values: null,
      nulls: { from: `customers c INDEXED BY ${field.index}`, driverFrom: `customers c INDEXED BY ${field.index}`, keys, desc, where: [], joinedWhere: [], free: { from: frag('customers c'), keys, where: [] } },
    };
  }
  switch (field.source) {
    case 'customers': {
      const from = `customers c INDEXED BY ${field.index}`;
      const present = frag(`c.${col} IS NOT NULL`);
      const missing = frag(`c.${col} IS NULL`);
      return {
        values: { from, driverFrom: from, keys: [`c.${col}`, 'c.customer_id'], desc, where: [present], joinedWhere: [], free: { from: frag('customers c'), keys: [`c.${col}`, 'c.customer_id'], where: [present] } },
        nulls: { from, driverFrom: from, keys: ['c.customer_id'], desc, where: [missing], joinedWhere: [], free: { from: frag('customers c'), keys: ['c.customer_id'], where: [missing] } },
      };
    }
    case 'summary': {
      const driverFrom = `customer_summary cs INDEXED BY ${field.index}`;
      const present = frag(`cs.${col} IS NOT NULL`);
      // Customers the summary has no figure for, including any imported since its last refresh (no row yet).
      const missing = frag(`NOT EXISTS (SELECT 1 FROM customer_summary sx WHERE sx.customer_id = c.customer_id AND sx.${col} IS NOT NULL)`);
      const pk = `customers c INDEXED BY ${CUSTOMER_PK_INDEX}`;
      return {
        values: {
          from: `${driverFrom} CROSS JOIN customers c ON c.customer_id = cs.customer_id`,
          driverFrom,
          keys: [`cs.${col}`, 'cs.customer_id'],
          desc,
          where: [present],
          joinedWhere: [],
          free: { from: frag('customers c JOIN customer_summary cs ON cs.customer_id = c.customer_id'), keys: [`cs.${col}`, 'c.customer_id'], where: [present] },
        },
        nulls: { from: pk, driverFrom: pk, keys: ['c.customer_id'], desc, where: [], joinedWhere: [missing], free: { from: frag('customers c'), keys: ['c.customer_id'], where: [missing] } },
      };
    }
    case 'scores': {
      const runId = sort.scoreRunId;
      if (runId === null) throw new Error('score sort without a score run');
      const driverFrom = `customer_scores sd INDEXED BY ${field.index}`;
      // Customers the run did not score have no row at all, so the missing values are found from customers.
      const unscored = frag(`NOT EXISTS (SELECT 1 FROM customer_scores sx WHERE sx.run_id = ? AND sx.customer_id = c.customer_id AND sx.${col} IS NOT NULL)`, runId);
      const pk = `customers c INDEXED BY ${CUSTOMER_PK_INDEX}`;
      return {
        values: {
          from: `${driverFrom} CROSS JOIN customers c ON c.customer_id = sd.customer_id`,
          driverFrom,
          keys: [`sd.${col}`, 'sd.customer_id'],
          desc,
          where: [frag('sd.run_id = ?', runId), frag(`sd.${col} IS NOT NULL`)],
          joinedWhere: [],
          free: { from: frag('customers c JOIN customer_scores sd ON sd.customer_id = c.customer_id AND sd.run_id = ?', runId), keys: [`sd.${col}`, 'c.customer_id'], where: [frag(`sd.${col} IS NOT NULL`)] },
        },
        nulls: { from: pk, driverFrom: pk, keys: ['c.customer_id'], desc, where: [], joinedWhere: [unscored], free: { from: frag('customers c'), keys: ['c.customer_id'], where: [unscored] } },
      };
    }
  }
}
