/**
 * The customer list's columns (issue #14): in the order an analyst reads a customer (who, then money, tier,
 * lifecycle and churn risk, then suitability and who looks after the customer), which of them show by
 * default, which the analyst chose (remembered on this computer), and how wide each must be so that its
 * header is never cut.
 */
import { measureHeader, type MeasureKey } from '../../../../shared/glossary';
import type { TableColumn } from '../../components/table';

export interface ListColumnSpec extends Omit<TableColumn, 'label'> {
  /** Width the values need; the header may need more (see columnWidth). */
  width: number;
  /** A measure of the glossary: its name and unit make the header. */
  measure?: MeasureKey;
  /** 客户号 and 姓名 stay on the left while the rest scrolls. */
  frozen?: boolean;
  /** Shown until the analyst hides it. */
  byDefault?: boolean;
  /** A code column with a name column beside it: offered, not shown by default. */
  code?: boolean;
}

export const COLUMN_SPECS: readonly ListColumnSpec[] = [
  { key: 'customer_id', width: 120, frozen: true, byDefault: true },
  { key: 'name', width: 90, frozen: true, byDefault: true },
  { key: 'aum_avg_3m', width: 130, kind: 'wan', measure: 'aum_avg_3m', byDefault: true },
  { key: 'value_tier', width: 80, enumGroup: 'value_tier', byDefault: true },
  { key: 'lifecycle_stage', width: 80, enumGroup: 'lifecycle_stage', byDefault: true },
  { key: 'churn_band', width: 80, enumGroup: 'churn_band', byDefault: true },
  { key: 'churn_prob', width: 90, kind: 'pct', measure: 'churn_prob' },
  { key: 'risk_level', width: 110, enumGroup: 'risk_level', byDefault: true },
  { key: 'community_name', width: 130, byDefault: true },
  { key: 'manager_name', width: 90, byDefault: true },
  { key: 'age', width: 60, kind: 'int', byDefault: true },
  { key: 'gender', width: 60, enumGroup: 'gender', byDefault: true },
  { key: 'occupation', width: 120 },
  { key: 'customer_type', width: 100, enumGroup: 'customer_type' },
  { key: 'open_date', width: 100, kind: 'date' },
  { key: 'aum_latest', width: 130, kind: 'wan', measure: 'aum_latest' },
  { key: 'community_id', width: 100, code: true },
  { key: 'manager_id', width: 100, code: true },
  // Contact columns (issue #10): who may be called, and when they last were.
  { key: 'mobile', width: 120 },
  { key: 'consent_marketing', width: 90, enumGroup: 'boolean' },
  { key: 'do_not_contact', width: 70, enumGroup: 'boolean' },
  { key: 'last_contact_date', width: 110, kind: 'date' },
];

/**
 * Columns the engine sorts by (an index serves each; electron/engine/customers/sort-fields.ts), and the
 * sort field behind a column: names of community and manager sort by their codes.
 */
export const SORT_FIELD: Readonly<Record<string, string>> = {
  customer_id: 'customer_id',
  name: 'name',
  age: 'age',
  open_date: 'open_date',
  risk_level: 'risk_level',
  community_name: 'community_id',
  community_id: 'community_id',
  manager_name: 'manager_id',
  manager_id: 'manager_id',
  aum_latest: 'aum_latest',
  aum_avg_3m: 'aum_avg_3m',
  churn_prob: 'churn_prob',
};

/** The header of a column: a measure's glossary name with its unit, else the locale's column name. */
export function columnTitle(spec: ListColumnSpec, locale: 'zh-CN' | 'en', translate: (key: string) => string): string {
  return spec.measure ? measureHeader(spec.measure, locale) : translate(`customers.columns.${spec.key}`);
}

/**
 * Wide enough for the header in full: CJK characters at the 13px header font take about 14px, Latin ones
 * about 7.5px, plus the cell padding and the sort arrow. Never narrower than the values need.
 */
export function columnWidth(spec: ListColumnSpec, title: string, sortable: boolean): number {
  let text = 0;
  for (const ch of title) text += /[\u2e80-\u9fff\uff00-\uffef]/.test(ch) ? 14 : 7.5;
  const needed = Math.ceil(text + 24 + (sortable ? 18 : 0));
  return Math.max(spec.width, needed);
}

/** Columns shown unless the analyst chose otherwise: the defaults, less those every customer shares. */
export function defaultVisible(constantColumns: readonly string[]): string[] {
  const constant = new Set(constantColumns);
  return COLUMN_SPECS.filter((c) => c.byDefault && (c.frozen || !constant.has(c.key))).map((c) => c.key);
}

const STORAGE_KEY = 'bpw.customerList.columns';

/** The analyst's own choice of columns on this computer, or null when none was made (or it is unreadable). */
export function loadChosenColumns(): string[] | null {
  try {
    const raw = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (!raw) return null;
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return null;
    const known = new Set(COLUMN_SPECS.map((c) => c.key));
    const keys = parsed.filter((k): k is string => typeof k === 'string' && known.has(k));
    return keys.length > 0 ? keys : null;
  } catch {
    return null;
  }
}

export function saveChosenColumns(keys: readonly string[] | null): void {
  try {
    if (keys === null) globalThis.localStorage?.removeItem(STORAGE_KEY);
    else globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(keys));
  } catch {
    // Storage full or denied: the choice lasts until the window closes.
  }
}
