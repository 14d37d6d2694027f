/**
 * The fields a rule may filter on, and the only SQL a rule may reach. Each field carries a whitelisted SQL
 * expression written here, never text from a user; the rule compiler (rule-compiler.ts) looks fields up by
 * key and splices nothing else. A catalog is built per query context: `customerFieldCatalog` is the one for
 * customer-level rules (customer list filters, tags, segments, campaign audiences).
 */
import { entity, type FieldDef } from './dictionary';
import { maskedNameSql } from './masking';
import type { RuleOperator } from './rules';

/** A value bound to a `?` placeholder. */
export type SqlParam = string | number | null;

/** A piece of SQL with `?` placeholders and the values they bind, in order. */
export interface SqlFragment {
  readonly sql: string;
  readonly params: readonly SqlParam[];
}

export type RuleFieldType = 'text' | 'number' | 'money' | 'date' | 'month' | 'enum' | 'boolean';

/** Field groups in the order the rule builder lists them. */
export const RULE_FIELD_GROUPS = ['基础属性', '归属', '资产', '产品', '行为', '风险与合规', '评分分层', '标签客群'] as const;
export type RuleFieldGroup = (typeof RULE_FIELD_GROUPS)[number];

export const RULE_FIELD_GROUP_LABELS_EN: Readonly<Record<RuleFieldGroup, string>> = {
  基础属性: 'Profile',
  归属: 'Community & manager',
  资产: 'Assets',
  产品: 'Products',
  行为: 'Activity',
  风险与合规: 'Risk & compliance',
  评分分层: 'Scores & tiers',
  标签客群: 'Tags & segments',
};

/**
 * How a field compiles:
 * - `column`: `sql` is a value expression compared with the condition's values;
 * - `tag`: membership in `customer_tags` of run `runId`; `sql` is the customer id the EXISTS correlates on;
 * - `segment`: membership in `segment_members`; `sql` is the customer id as for `tag`.
 */
export type RuleFieldKind = 'column' | 'tag' | 'segment';

export interface RuleField {
  readonly key: string;
  /** Chinese name without unit, as an analyst says it: 近3个月日均资产. */
  readonly label: string;
  readonly labelEn: string;
  readonly type: RuleFieldType;
  readonly kind: RuleFieldKind;
  readonly group: RuleFieldGroup;
  /** Whitelisted SQL written in this file; may hold `?` placeholders bound by `sqlParams`. */
  readonly sql: string;
  readonly sqlParams?: readonly SqlParam[];
  /** The operators this field accepts, in the order the rule builder offers them. */
  readonly operators: readonly RuleOperator[];
  /** Display unit, e.g. 元, 天, 岁; see `fieldTitle`. */
  readonly unit?: string;
  /** Stored as a share between 0 and 1; shown as a percentage, and '35%' is accepted as a value. */
  readonly percent?: boolean;
  /** Bounds of meaningful values; a value outside them is a typing mistake, not a filter. */
  readonly min?: number;
  readonly max?: number;
  /** Canonical codes of an enum field (for `tag`, tag ids; for `segment`, segment ids as text). */
  readonly enumValues?: readonly string[];
  /** Display names of enum codes; a rule may use them in place of codes. */
  readonly enumLabels?: Readonly<Record<string, string>>;
  /** Other spellings accepted for a code, e.g. 保守型 → C1. */
  readonly valueSynonyms?: Readonly<Record<string, string>>;
  /** For `tag`: the analysis run whose tag assignments are read. */
  readonly runId?: number;
}

export interface FieldCatalog {
  /** Field key → definition, in the order the rule builder lists them. Look up with `catalogField`. */
  readonly fields: Readonly<Record<string, RuleField>>;
  /**
   * Fields that exist but cannot be used here, with the reason as a Chinese sentence, e.g. a feature
   * when no customer analysis has run yet, or a PII field that may never be filtered on.
   */
  readonly unavailable: Readonly<Record<string, string>>;
  /** The table every field expression starts from, with its alias. */
  readonly from: string;
  /** LEFT JOINs the field expressions rely on, each at most one row per customer. */
  readonly joins: readonly SqlFragment[];
}

const hasOwn = (record: object, key: string): boolean => Object.prototype.hasOwnProperty.call(record, key);

/** The field of a key, or undefined. Own keys only, so `__proto__` or `constructor` is never a field. */
export function catalogField(catalog: FieldCatalog, key: string): RuleField | undefined {
  return typeof key === 'string' && hasOwn(catalog.fields, key) ? catalog.fields[key] : undefined;
}

/** Why a known field cannot be used in this catalog, or undefined. */
export function unavailableReason(catalog: FieldCatalog, key: string): string | undefined {
  return typeof key === 'string' && hasOwn(catalog.unavailable, key) ? catalog.unavailable[key] : undefined;
}

export function catalogFields(catalog: FieldCatalog): RuleField[] {
  return Object.values(catalog.fields);
}

/** Label with unit for column headers and the rule builder: 近3个月日均资产(元). */
export function fieldTitle(field: RuleField): string {
  return field.unit ? `${field.label}(${field.unit})` : field.label;
}

/** `FROM` body for queries over a catalog: the base table and its joins, with the joins' parameters. */
export function fromClause(catalog: FieldCatalog): SqlFragment {
  return {
    sql: [catalog.from, ...catalog.joins.map((join) => join.sql)].join(' '),
    params: catalog.joins.flatMap((join) => join.params),
  };
}

/**
 * The whitelisted expression of a column field, for SELECT and ORDER BY (sorting the customer list by a
 * field goes through the same whitelist as filtering on it). Undefined for unknown and tag/segment fields.
 */
export function columnExpression(catalog: FieldCatalog, key: string): SqlFragment | undefined {
  const field = catalogField(catalog, key);
  if (!field || field.kind !== 'column') return undefined;
  return { sql: field.sql, params: field.sqlParams ?? [] };
}

// ---------------------------------------------------------------------------------------------------------
// Vocabularies of customer_scores. The analysis runs write these codes; rules and the UI show the labels.

/** no_record (无记录): no balances in the 3-month window of the as-of month (shared/analytics.ts NO_RECORD_TIER). */
export const VALUE_TIER_LABELS: Readonly<Record<string, string>> = { mass: '大众', affluent: '金卡', wealth: '财富', private: '私行', no_record: '无记录' };

export const LIFECYCLE_STAGE_LABELS: Readonly<Record<string, string>> = {
  new: '新客',
  growing: '成长',
  mature: '成熟',
  declining: '衰退',
  dormant: '沉睡',
  churned: '流失',
};

/** The 8-class RFM scheme of DESIGN.md §4: 重要/一般 × 价值/发展/保持/挽留. */
export const RFM_CLASS_LABELS: Readonly<Record<string, string>> = {
  important_value: '重要价值',
  important_develop: '重要发展',
  important_retain: '重要保持',
  important_winback: '重要挽留',
  general_value: '一般价值',
  general_develop: '一般发展',
  general_retain: '一般保持',
  general_winback: '一般挽留',
};

/** 流失风险 高/中/低 (never 风险等级, which is the suitability level C1–C5). */
export const CHURN_BAND_LABELS: Readonly<Record<string, string>> = { high: '高', medium: '中', low: '低' };

const withSuffix = (labels: Readonly<Record<string, string>>, suffix: string): Record<string, string> =>
  Object.fromEntries(Object.entries(labels).map(([code, label]) => [`${label}${suffix}`, code]));

// ---------------------------------------------------------------------------------------------------------
// Operators by field type

const ORDERED_OPERATORS: readonly RuleOperator[] = ['=', '!=', '>', '>=', '<', '<=', 'between', 'in', 'not_in', 'is_null'];

export const OPERATORS_BY_TYPE: Readonly<Record<RuleFieldType, readonly RuleOperator[]>> = {
  text: ['=', '!=', 'in', 'not_in', 'contains', 'is_null'],
  number: ORDERED_OPERATORS,
  money: ORDERED_OPERATORS,
  date: ['=', '!=', '>', '>=', '<', '<=', 'between', 'is_null'],
  month: ['=', '!=', '>', '>=', '<', '<=', 'between', 'is_null'],
  enum: ['=', '!=', 'in', 'not_in', 'is_null'],
  boolean: ['=', '!=', 'is_null'],
};

// ---------------------------------------------------------------------------------------------------------
// The customer catalog

export interface CustomerCatalogOptions {
  /** Run whose `customer_features` rows to read; null when no customer analysis has run. */
  featureRunId: number | null;
  /** Run whose `customer_scores` rows to read; null when none has run. */
  scoreRunId: number | null;
  /** Run whose `customer_tags` rows `has_tag` reads; null when tags have never been computed. */
  tagRunId: number | null;
  /**
   * 'YYYY-MM-DD' on which `age` is computed. Pass the feature run's as_of when there is one, so that age
   * agrees with the features next to it.
   */
  asOf: string;
  /** Known tags; when given, a rule may name a tag by its name and an unknown tag id is rejected. */
  tags?: readonly { id: string; name: string }[];
  /** Known segments; when given, a rule may name a segment by its name and an unknown id is rejected. */
  segments?: readonly { id: number; name: string }[];
  /**
   * Masking is on: the name is matched in its masked form (张*丰), as the screen shows it, so that a rule
   * cannot probe the characters masking hides (issue #15 §1.11).
   */
  maskPii?: boolean;
}

/** Dictionary types collapse onto rule types: an integer or a ratio compares like any number. */
const RULE_TYPE_OF: Readonly<Record<FieldDef['type'], RuleFieldType>> = {
  text: 'text',
  integer: 'number',
  number: 'number',
  ratio: 'number',
  money: 'money',
  date: 'date',
  month: 'month',
  boolean: 'boolean',
  enum: 'enum',
};

/** Where each customers column sits in the rule builder, and labels clearer next to the joined fields. */
const CUSTOMER_COLUMN_LAYOUT: Readonly<Record<string, { group: RuleFieldGroup; label?: string; labelEn?: string; operators?: readonly RuleOperator[] }>> = {
  customer_id: { group: '基础属性' },
  // Name is PII: searchable by a fragment (the analyst knows who they look for), never listed by value.
  name: { group: '基础属性', operators: ['contains', '=', 'is_null'] },
  gender: { group: '基础属性' },
  birth_date: { group: '基础属性' },
  occupation: { group: '基础属性' },
  education: { group: '基础属性' },
  marital_status: { group: '基础属性' },
  income_band: { group: '基础属性' },
  customer_type: { group: '基础属性' },
  open_date: { group: '基础属性' },
  community_id: { group: '归属', label: '所属社区编号', labelEn: 'Community ID' },
  manager_id: { group: '归属', label: '客户经理编号', labelEn: 'Manager ID' },
  risk_level: { group: '风险与合规' },
  risk_assessed_at: { group: '风险与合规' },
  consent_marketing: { group: '风险与合规' },
  do_not_contact: { group: '风险与合规' },
};

/** Filtering on these would let a rule probe for a person's ID or phone number; masking alone is not enough. */
const FORBIDDEN_PII = new Set(['id_number', 'mobile']);

interface DerivedSpec {
  key: string;
  label: string;
  labelEn: string;
  type: RuleFieldType;
  group: RuleFieldGroup;
  unit?: string;
  percent?: boolean;
  min?: number;
  max?: number;
  enumLabels?: Readonly<Record<string, string>>;
  valueSynonyms?: Readonly<Record<string, string>>;
}

const share = (key: string, label: string, labelEn: string, group: RuleFieldGroup): DerivedSpec => ({
  key, label, labelEn, type: 'number', group, percent: true, min: 0, max: 1,
});

/** Every analysable column of `customer_features` (alias f), except `age`, which `age` below covers. */
const FEATURE_SPECS: readonly DerivedSpec[] = [
  { key: 'tenure_months', label: '开户时长', labelEn: 'Tenure', type: 'number', group: '基础属性', unit: '月', min: 0 },
  { key: 'aum_latest', label: '最新月日均资产', labelEn: 'Latest monthly AUM', type: 'money', group: '资产', unit: '元' },
  { key: 'aum_avg_3m', label: '近3个月日均资产', labelEn: '3-month average AUM', type: 'money', group: '资产', unit: '元' },
  { key: 'aum_avg_12m', label: '近12个月日均资产', labelEn: '12-month average AUM', type: 'money', group: '资产', unit: '元' },
  { key: 'aum_trend_slope_6m', label: '近6个月资产月均变化', labelEn: '6-month AUM trend', type: 'money', group: '资产', unit: '元/月' },
  // Percentage points, as the column name says (−35 means down 35%), unlike the 0–1 shares below.
  { key: 'aum_change_pct_6m', label: '近6个月资产变动率', labelEn: '6-month AUM change', type: 'number', group: '资产', unit: '%' },
  share('deposit_share', '存款占比', 'Deposit share', '资产'),
  share('wealth_share', '理财占比', 'Wealth share', '资产'),
  // Loans can exceed assets, so no upper bound.
  { key: 'loan_share', label: '贷款占比', labelEn: 'Loan share', type: 'number', group: '资产', percent: true, min: 0 },
  { key: 'inflow_3m', label: '近3个月资金流入', labelEn: '3-month inflow', type: 'money', group: '资产', unit: '元' },
  { key: 'outflow_3m', label: '近3个月资金流出', labelEn: '3-month outflow', type: 'money', group: '资产', unit: '元' },
  { key: 'product_count', label: '持有产品数', labelEn: 'Products held', type: 'number', group: '产品', unit: '个', min: 0 },
  { key: 'category_count', label: '持有产品类别数', labelEn: 'Product categories held', type: 'number', group: '产品', unit: '类', min: 0 },
  { key: 'txn_count_30d', label: '近30天交易笔数', labelEn: 'Transactions, 30 days', type: 'number', group: '行为', unit: '笔', min: 0 },
  { key: 'txn_count_90d', label: '近90天交易笔数', labelEn: 'Transactions, 90 days', type: 'number', group: '行为', unit: '笔', min: 0 },
  { key: 'txn_count_365d', label: '近一年交易笔数', labelEn: 'Transactions, 12 months', type: 'number', group: '行为', unit: '笔', min: 0 },
  { key: 'days_since_last_active_txn', label: '距最近主动交易天数', labelEn: 'Days since last active transaction', type: 'number', group: '行为', unit: '天', min: 0 },
  share('mobile_share', '手机银行交易占比', 'Mobile banking share', '行为'),
  share('counter_share', '柜面交易占比', 'Counter share', '行为'),
  share('atm_share', 'ATM交易占比', 'ATM share', '行为'),
  { key: 'complaints_12m', label: '近12个月投诉次数', labelEn: 'Complaints, 12 months', type: 'number', group: '行为', unit: '次', min: 0 },
  { key: 'months_since_risk_assessment', label: '距上次风险测评月数', labelEn: 'Months since risk assessment', type: 'number', group: '风险与合规', unit: '月', min: 0 },
];

/** Every column of `customer_scores` (alias s) except the drivers, which are JSON prose. */
const SCORE_SPECS: readonly DerivedSpec[] = [
  { key: 'rfm_r', label: 'RFM 最近交易档(R，5 档最近)', labelEn: 'RFM recency band (5 = most recent)', type: 'number', group: '评分分层', min: 1, max: 5 },
  { key: 'rfm_f', label: 'RFM 交易笔数档(F，5 档最多)', labelEn: 'RFM frequency band (5 = most)', type: 'number', group: '评分分层', min: 1, max: 5 },
  { key: 'rfm_m', label: 'RFM 资产档(M，5 档最高)', labelEn: 'RFM monetary band (5 = highest)', type: 'number', group: '评分分层', min: 1, max: 5 },
  { key: 'rfm_class', label: 'RFM 客户类别', labelEn: 'RFM class', type: 'enum', group: '评分分层', enumLabels: RFM_CLASS_LABELS, valueSynonyms: withSuffix(RFM_CLASS_LABELS, '客户') },
  { key: 'value_tier', label: '价值层级', labelEn: 'Value tier', type: 'enum', group: '评分分层', enumLabels: VALUE_TIER_LABELS, valueSynonyms: { ...withSuffix(VALUE_TIER_LABELS, '客户'), 私人银行: 'private', 大众客群: 'mass' } },
  { key: 'lifecycle_stage', label: '生命周期阶段', labelEn: 'Lifecycle stage', type: 'enum', group: '评分分层', enumLabels: LIFECYCLE_STAGE_LABELS, valueSynonyms: { ...withSuffix(LIFECYCLE_STAGE_LABELS, '期'), 新客户: 'new', 新开户: 'new', 睡眠: 'dormant', 休眠: 'dormant', 已流失: 'churned' } },
  { key: 'cluster_id', label: '聚类分群编号', labelEn: 'Cluster', type: 'number', group: '评分分层', min: 0 },
  { key: 'churn_prob', label: '流失概率', labelEn: 'Churn probability', type: 'number', group: '评分分层', percent: true, min: 0, max: 1 },
  { key: 'churn_band', label: '流失风险', labelEn: 'Churn risk', type: 'enum', group: '评分分层', enumLabels: CHURN_BAND_LABELS, valueSynonyms: { 高风险: 'high', 中风险: 'medium', 低风险: 'low', 高危: 'high' } },
];

/**
 * Whole years between c.birth_date and the bound as-of date, the same arithmetic as values.ts `ageOn`:
 * year difference, less one when the birthday has not come yet that year. Dates are 'YYYY-MM-DD' text, so
 * substr picks the parts; a missing birth date yields NULL.
 */
const AGE_SQL =
  '(CAST(substr(?, 1, 4) AS INTEGER) - CAST(substr(c.birth_date, 1, 4) AS INTEGER) - (substr(?, 6, 5) < substr(c.birth_date, 6, 5)))';

const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

const needsRun = (label: string, what: string) => `字段“${label}”需要先运行${what}`;

function assertRunId(name: string, value: number | null): void {
  if (value !== null && !(Number.isInteger(value) && value > 0)) throw new Error(`${name} must be a positive integer or null, got ${String(value)}`);
}

function derivedField(spec: DerivedSpec, alias: string): RuleField {
  const enumValues = spec.enumLabels ? Object.keys(spec.enumLabels) : undefined;
  return {
    key: spec.key,
    label: spec.label,
    labelEn: spec.labelEn,
    type: spec.type,
    kind: 'column',
    group: spec.group,
    sql: `${alias}.${spec.key}`,
    operators: OPERATORS_BY_TYPE[spec.type],
    ...(spec.unit !== undefined ? { unit: spec.unit } : {}),
    ...(spec.percent ? { percent: true } : {}),
    ...(spec.min !== undefined ? { min: spec.min } : {}),
    ...(spec.max !== undefined ? { max: spec.max } : {}),
    ...(enumValues ? { enumValues, enumLabels: spec.enumLabels } : {}),
    ...(spec.valueSynonyms ? { valueSynonyms: spec.valueSynonyms } : {}),
  };
}

/**
 * The catalog of customer-level rules. Queries read
 * `FROM customers c LEFT JOIN communities cm … LEFT JOIN managers m … LEFT JOIN customer_features f …
 * LEFT JOIN customer_scores s …` (see `fromClause`); joins of runs that do not exist are left out along
 * with their fields, and those fields are listed in `unavailable` with what to run first.
 */
export function customerFieldCatalog(options: CustomerCatalogOptions): FieldCatalog {
  const { featureRunId, scoreRunId, tagRunId, asOf } = options;
  assertRunId('featureRunId', featureRunId);
  assertRunId('scoreRunId', scoreRunId);
  assertRunId('tagRunId', tagRunId);
  if (typeof asOf !== 'string' || !ISO_DATE.test(asOf)) throw new Error(`asOf must be 'YYYY-MM-DD', got ${String(asOf)}`);

  const fields: Record<string, RuleField> = {};
  const unavailable: Record<string, string> = {};
  const add = (field: RuleField) => {
    fields[field.key] = field;
  };

  for (const def of entity('customers').fields) {
    if (FORBIDDEN_PII.has(def.key)) {
      unavailable[def.key] = `出于隐私保护，不允许按“${def.label}”筛选`;
      continue;
    }
    const layout = CUSTOMER_COLUMN_LAYOUT[def.key];
    // A column added to the dictionary without a place here stays out of rules until someone decides one.
    if (!layout) continue;
    const type = RULE_TYPE_OF[def.type];
    add({
      key: def.key,
      label: layout.label ?? def.label,
      labelEn: layout.labelEn ?? def.labelEn,
      type,
      kind: 'column',
      group: layout.group,
      sql: def.key === 'name' && options.maskPii ? maskedNameSql('c.name') : `c.${def.key}`,
      operators: layout.operators ?? OPERATORS_BY_TYPE[type],
      ...(def.enumValues ? { enumValues: def.enumValues, enumLabels: def.enumLabels ?? {} } : {}),
      ...(def.valueSynonyms ? { valueSynonyms: def.valueSynonyms } : {}),
      ...(def.min !== undefined ? { min: def.min } : {}),
      ...(def.max !== undefined ? { max: def.max } : {}),
    });
    if (def.key === 'birth_date') {
      // Computed from the birth date rather than read from f.age, so it works before any analysis has run
      // and for customers imported since the last one.
      add({
        key: 'age', label: '年龄', labelEn: 'Age', type: 'number', kind: 'column', group: '基础属性',
        sql: AGE_SQL, sqlParams: [asOf, asOf], operators: OPERATORS_BY_TYPE.number, unit: '岁', min: 0, max: 150,
      });
    }
  }

  const joins: SqlFragment[] = [
    { sql: 'LEFT JOIN communities cm ON cm.community_id = c.community_id', params: [] },
    { sql: 'LEFT JOIN managers m ON m.manager_id = c.manager_id', params: [] },
  ];
  add({ key: 'community_name', label: '所属社区名称', labelEn: 'Community', type: 'text', kind: 'column', group: '归属', sql: 'cm.name', operators: OPERATORS_BY_TYPE.text });
  add({ key: 'grid_name', label: '所属网格', labelEn: 'Grid', type: 'text', kind: 'column', group: '归属', sql: 'cm.grid_name', operators: OPERATORS_BY_TYPE.text });
  add({ key: 'manager_name', label: '客户经理姓名', labelEn: 'Manager', type: 'text', kind: 'column', group: '归属', sql: 'm.name', operators: OPERATORS_BY_TYPE.text });

  if (featureRunId !== null) {
    joins.push({ sql: 'LEFT JOIN customer_features f ON f.customer_id = c.customer_id AND f.run_id = ?', params: [featureRunId] });
    for (const spec of FEATURE_SPECS) add(derivedField(spec, 'f'));
  } else {
    for (const spec of FEATURE_SPECS) unavailable[spec.key] = needsRun(spec.label, '客户分析');
  }

  if (scoreRunId !== null) {
    joins.push({ sql: 'LEFT JOIN customer_scores s ON s.customer_id = c.customer_id AND s.run_id = ?', params: [scoreRunId] });
    for (const spec of SCORE_SPECS) add(derivedField(spec, 's'));
  } else {
    for (const spec of SCORE_SPECS) unavailable[spec.key] = needsRun(spec.label, '客户分析');
  }

  if (tagRunId !== null) {
    add({
      key: 'tag', label: '标签', labelEn: 'Tag', type: 'enum', kind: 'tag', group: '标签客群',
      sql: 'c.customer_id', operators: ['has_tag'], runId: tagRunId,
      ...(options.tags ? { enumValues: options.tags.map((t) => t.id), enumLabels: Object.fromEntries(options.tags.map((t) => [t.id, t.name])) } : {}),
    });
  } else {
    unavailable.tag = needsRun('标签', '标签计算');
  }

  add({
    key: 'segment', label: '所属客群', labelEn: 'Segment', type: 'enum', kind: 'segment', group: '标签客群',
    sql: 'c.customer_id', operators: ['=', '!=', 'in', 'not_in'],
    ...(options.segments
      ? { enumValues: options.segments.map((s) => String(s.id)), enumLabels: Object.fromEntries(options.segments.map((s) => [String(s.id), s.name])) }
      : {}),
  });

  return { fields: sortByGroup(fields), unavailable, from: 'customers c', joins };
}

/** Groups in RULE_FIELD_GROUPS order, fields within a group in the order they were added. */
function sortByGroup(fields: Record<string, RuleField>): Record<string, RuleField> {
  const ordered = Object.values(fields).sort((a, b) => RULE_FIELD_GROUPS.indexOf(a.group) - RULE_FIELD_GROUPS.indexOf(b.group));
  return Object.fromEntries(ordered.map((field) => [field.key, field]));
}
