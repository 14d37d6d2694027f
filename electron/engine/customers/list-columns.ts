/**
 * The columns of the customer list, shared by the screen (customers.page) and its export, with their
 * Chinese labels. Rows are fetched by id after the page's keys are known, so the joins that only feed the
 * display (community and manager names, AUM, scores) run for the page's rows and never for rows a filter
 * examines. PII is masked here, in the engine, unless the workspace turned masking off.
 */
import type { CustomerRow } from '../../../shared/api';
import { field as dictionaryField } from '../../../shared/dictionary';
import { measureHeader } from '../../../shared/glossary';
import { maskValue } from '../../../shared/masking';
import { CHURN_BAND_LABELS, LIFECYCLE_STAGE_LABELS, VALUE_TIER_LABELS } from '../../../shared/rule-fields';
import { ageOn } from '../../../shared/values';
import { CONTACT_COLUMN_LABELS, contactColumns } from '../campaigns/contact-columns';
import type { ListContext } from './list-context';

/** `wan`: an amount stored in 元, shown and exported in 万元 (the label says so). */
export type ListColumnKind = 'text' | 'integer' | 'wan' | 'date' | 'enum' | 'share';

export interface ListColumn {
  readonly key: string;
  readonly label: string;
  readonly kind: ListColumnKind;
  readonly enumLabels?: Readonly<Record<string, string>>;
}

const fromDictionary = (key: string, kind: ListColumnKind, label?: string): ListColumn => {
  const def = dictionaryField('customers', key);
  return { key, label: label ?? def?.label ?? key, kind, ...(def?.enumLabels ? { enumLabels: def.enumLabels } : {}) };
};

const YES_NO: Readonly<Record<string, string>> = { '1': '是', '0': '否' };

/**
 * In the order an analyst reads a customer (issue #14): who, then money, tier, lifecycle and churn risk,
 * then suitability and who looks after the customer, then the rest. Measures take their name and unit from
 * the glossary (shared/glossary.ts), so the list, its export and the tiers screen say the same thing.
 */
export const LIST_COLUMNS: readonly ListColumn[] = [
  fromDictionary('customer_id', 'text'),
  fromDictionary('name', 'text'),
  { key: 'aum_avg_3m', label: measureHeader('aum_avg_3m'), kind: 'wan' },
  { key: 'value_tier', label: '价值层级', kind: 'enum', enumLabels: VALUE_TIER_LABELS },
  { key: 'lifecycle_stage', label: '生命周期', kind: 'enum', enumLabels: LIFECYCLE_STAGE_LABELS },
  { key: 'churn_band', label: '流失风险', kind: 'enum', enumLabels: CHURN_BAND_LABELS },
  { key: 'churn_prob', label: measureHeader('churn_prob'), kind: 'share' },
  fromDictionary('risk_level', 'enum'),
  { key: 'community_id', label: '所属社区编号', kind: 'text' },
  { key: 'community_name', label: '所属社区', kind: 'text' },
  { key: 'manager_id', label: '客户经理编号', kind: 'text' },
  { key: 'manager_name', label: '客户经理', kind: 'text' },
  { key: 'age', label: '年龄', kind: 'integer' },
  fromDictionary('gender', 'enum'),
  fromDictionary('occupation', 'text'),
  fromDictionary('customer_type', 'enum'),
  fromDictionary('open_date', 'date'),
  { key: 'aum_latest', label: measureHeader('aum_latest'), kind: 'wan' },
  // Contact columns (issue #10): who may be called, and when they last were.
  { key: 'mobile', label: CONTACT_COLUMN_LABELS.mobile, kind: 'text' },
  { key: 'consent_marketing', label: CONTACT_COLUMN_LABELS.consent_marketing, kind: 'enum', enumLabels: YES_NO },
  { key: 'do_not_contact', label: CONTACT_COLUMN_LABELS.do_not_contact, kind: 'enum', enumLabels: YES_NO },
  { key: 'last_contact_date', label: CONTACT_COLUMN_LABELS.last_contact_date, kind: 'date' },
];

/** Columns from the latest analysis run: absent until one exists, so the screen and exports leave them out. */
export const SCORE_COLUMNS: ReadonlySet<string> = new Set(['value_tier', 'lifecycle_stage', 'churn_band', 'churn_prob']);

/**
 * The export's columns: those the screen shows, in its order, when it names them (keys the list does not
 * know are ignored); otherwise every column.
 */
export function exportColumns(hasScores: boolean, keys?: readonly string[]): readonly ListColumn[] {
  const available = listColumns(hasScores);
  if (!keys || keys.length === 0) return available;
  const byKey = new Map(available.map((c) => [c.key, c]));
  const chosen = keys.flatMap((k) => byKey.get(k) ?? []);
  return chosen.length > 0 ? chosen : available;
}

/** The list's columns for this workspace. */
export function listColumns(hasScores: boolean): readonly ListColumn[] {
  return hasScores ? LIST_COLUMNS : LIST_COLUMNS.filter((c) => !SCORE_COLUMNS.has(c.key));
}

interface RawRow {
  customer_id: string;
  name: string | null;
  gender: string | null;
  birth_date: string | null;
  occupation: string | null;
  community_id: string | null;
  community_name: string | null;
  manager_id: string | null;
  manager_name: string | null;
  open_date: string | null;
  risk_level: string | null;
  customer_type: string | null;
  aum_latest: number | null;
  aum_avg_3m: number | null;
  value_tier?: string | null;
  lifecycle_stage?: string | null;
  churn_band?: string | null;
  churn_prob?: number | null;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The list rows of these customers, in the order given; ids that do not exist are skipped. */
export function fetchListRows(ctx: ListContext, ids: readonly string[]): CustomerRow[] {
  if (ids.length === 0) return [];
  const scored = ctx.runs.scoreRunId !== null;
  const sql = `SELECT c.customer_id, c.name, c.gender, c.birth_date, c.occupation, c.community_id, cm.name AS community_name,
      c.manager_id, m.name AS manager_name, c.open_date, c.risk_level, c.customer_type, cs.aum_latest, cs.aum_avg_3m
      ${scored ? ', s.value_tier, s.lifecycle_stage, s.churn_band, s.churn_prob' : ''}
    FROM customers c
    LEFT JOIN communities cm ON cm.community_id = c.community_id
    LEFT JOIN managers m ON m.manager_id = c.manager_id
    LEFT JOIN customer_summary cs ON cs.customer_id = c.customer_id
    ${scored ? 'LEFT JOIN customer_scores s ON s.customer_id = c.customer_id AND s.run_id = ?' : ''}
    WHERE c.customer_id IN (SELECT value FROM json_each(?))`;
  const params = [...(scored ? [ctx.runs.scoreRunId] : []), JSON.stringify(ids)];
  const byId = new Map<string, RawRow>();
  for (const row of ctx.db.prepare(sql).all(...params) as RawRow[]) byId.set(row.customer_id, row);
  const contacts = contactColumns(ctx.db, ids, ctx.maskPii);
  const rows: CustomerRow[] = [];
  for (const id of ids) {
    const raw = byId.get(id);
    if (raw) rows.push({ ...toListRow(raw, ctx), ...contacts.get(id) });
  }
  return rows;
}

function toListRow(raw: RawRow, ctx: ListContext): CustomerRow {
  const row: CustomerRow = {
    customer_id: raw.customer_id,
    name: ctx.maskPii ? maskValue('name', raw.name) : raw.name,
    gender: raw.gender,
    age: raw.birth_date !== null && ISO_DATE.test(raw.birth_date) ? ageOn(raw.birth_date, ctx.today) : null,
    occupation: raw.occupation,
    community_id: raw.community_id,
    community_name: raw.community_name,
    manager_id: raw.manager_id,
    manager_name: raw.manager_name,
    open_date: raw.open_date,
    risk_level: raw.risk_level,
    customer_type: raw.customer_type,
    aum_latest: raw.aum_latest,
    aum_avg_3m: raw.aum_avg_3m,
  };
  if (ctx.runs.scoreRunId !== null) Object.assign(row, { value_tier: raw.value_tier, lifecycle_stage: raw.lifecycle_stage, churn_band: raw.churn_band, churn_prob: raw.churn_prob });
  return row;
}
