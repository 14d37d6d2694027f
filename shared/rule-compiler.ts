/**
 * Compiles a rule (rules.ts) into a boolean SQL expression with `?` placeholders, over a field catalog
 * (rule-fields.ts). The output contains only the catalog's whitelisted SQL, fixed keywords and `?`: field
 * keys are looked up, never spliced, and every value is bound as a parameter. Rules come from the
 * renderer and from saved JSON, so the compiler checks their shape itself instead of trusting a schema
 * upstream, and explains every problem in Chinese with the path of the condition.
 *
 * NULL semantics, chosen for what an analyst means rather than what SQL does by default:
 * - `=`, `>`, `between`, `in`, `contains`: a missing value never matches.
 * - `!=` and `not_in` match missing values: "性别 ≠ 男" includes customers of unknown gender, because
 *   they are not known to be male. Compiled as `(x IS NULL OR x <> ?)`.
 * - `not` matches wherever its inner rule does not: `NOT COALESCE((inner), 0)`. Plain `NOT (x > 5)` is
 *   NULL, hence false, when x is NULL, so "不（资产 > 5 万）" would silently drop customers without assets.
 */
import {
  catalogField,
  unavailableReason,
  type FieldCatalog,
  type RuleField,
  type SqlParam,
} from './rule-fields';
import { RULE_OPERATORS, type RuleCondition, type RuleNode, type RuleOperator } from './rules';
import { parseBoolean, parseDate, parseMonth } from './values';

export type { SqlParam } from './rule-fields';

export interface CompiledRule {
  /** A boolean SQL expression, safe to put after WHERE or AND. */
  readonly sql: string;
  /** The values of its `?` placeholders, in order. */
  readonly params: SqlParam[];
}

export interface CompileOptions {
  /** Reads tag assignments of this run instead of the catalog's, e.g. the run a tag job is writing. */
  tagRunId?: number;
}

export type RuleIssueCode =
  | 'malformed'
  | 'too_complex'
  | 'unknown_field'
  | 'field_unavailable'
  | 'unknown_operator'
  | 'operator_not_allowed'
  | 'missing_value'
  | 'wrong_value';

export interface RuleIssue {
  readonly code: RuleIssueCode;
  /** 1-based positions from the root group down, e.g. [2, 1] for 条件 2.1; [] for the root. */
  readonly path: readonly number[];
  /** The whole sentence, beginning with where: `条件 2.1：字段“xxx”不存在或不允许筛选`. */
  readonly message: string;
}

export class RuleError extends Error {
  override readonly name = 'RuleError';
  readonly issues: readonly RuleIssue[];

  constructor(issues: readonly RuleIssue[]) {
    const shown = issues.slice(0, 5).map((issue) => issue.message);
    if (issues.length > shown.length) shown.push(`另有 ${issues.length - shown.length} 处问题`);
    super(`规则有误：${shown.join('；')}`);
    this.issues = issues;
  }
}

/** Chinese names of the operators, as the rule builder and error messages say them. */
export const OPERATOR_LABELS: Readonly<Record<RuleOperator, string>> = {
  '=': '等于',
  '!=': '不等于',
  '>': '大于',
  '>=': '大于等于',
  '<': '小于',
  '<=': '小于等于',
  between: '介于',
  in: '属于',
  not_in: '不属于',
  contains: '包含',
  is_null: '为空',
  has_tag: '有标签',
};

/** Same bound as rules.ts; a rule builder never nests this deep, a hostile input might. */
export const MAX_RULE_DEPTH = 12;
/** Per `in` / `not_in` list. */
export const MAX_LIST_VALUES = 5_000;
/** Across the rule: stays below SQLite's limit on bound parameters (32,766) with room for the query around it. */
export const MAX_RULE_PARAMS = 30_000;
export const MAX_RULE_CONDITIONS = 2_000;

// ---------------------------------------------------------------------------------------------------------
// Public API

/** Every problem of a rule against a catalog; an empty list means it compiles. */
export function validateRule(rule: RuleNode, catalog: FieldCatalog): RuleIssue[] {
  return analyse(rule, catalog).issues;
}

/** Compiles a rule, or throws RuleError with every problem found. */
export function compileRule(rule: RuleNode, catalog: FieldCatalog, options: CompileOptions = {}): CompiledRule {
  if (options.tagRunId !== undefined && !(Number.isInteger(options.tagRunId) && options.tagRunId > 0)) {
    throw new Error(`tagRunId must be a positive integer, got ${String(options.tagRunId)}`);
  }
  const { plan, issues } = analyse(rule, catalog);
  if (issues.length > 0 || !plan) throw new RuleError(issues);
  const params: SqlParam[] = [];
  const sql = emit(plan, params, options);
  // A group of two or more children is already parenthesised; anything else is wrapped so that the
  // caller can put the expression next to any other operator.
  const selfContained = (plan.kind === 'all' || plan.kind === 'any') && (plan.children.length === 0 || plan.children.length >= 2);
  return { sql: selfContained ? sql : `(${sql})`, params };
}

/**
 * A readable Chinese sentence for a rule, for the rule builder and exported campaign sheets, e.g.
 * `年龄 ≥ 60 且 价值层级 属于 财富、私行 且 没有标签 代发工资客户`. A negated condition reads as its
 * opposite (≠, 不属于, 没有标签, 不超过 …), a negated group as 不满足（…） (issue #14: "属于 [金卡, 财富] … 且 不
 * (…)" is not how an analyst writes). Tolerates invalid rules: what it cannot resolve it shows as written.
 */
export function describeRule(rule: RuleNode, catalog: FieldCatalog): string {
  return describeNode(rule, catalog, true, 1);
}

// ---------------------------------------------------------------------------------------------------------
// Analysis: shape, fields, operators and values checked in one walk, producing a plan of normalised values

type Plan =
  | { kind: 'all' | 'any'; children: Plan[] }
  | { kind: 'not'; child: Plan }
  | { kind: 'condition'; field: RuleField; op: RuleOperator; values: SqlParam[]; isNull: boolean };

interface Analysis {
  plan: Plan | null;
  issues: RuleIssue[];
}

interface WalkState {
  catalog: FieldCatalog;
  issues: RuleIssue[];
  conditions: number;
  params: number;
  tooComplexReported: boolean;
}

const ALLOWED_CONDITION_KEYS = new Set(['field', 'op', 'value']);

const hasOwn = (record: object, key: string): boolean => Object.prototype.hasOwnProperty.call(record, key);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function where(path: readonly number[]): string {
  return path.length === 0 ? '规则' : `条件 ${path.join('.')}`;
}

/** User text quoted in a message, cut short so that a pasted essay does not become the message. */
function quoted(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return `“${text.length > 40 ? `${text.slice(0, 40)}…` : text}”`;
}

function analyse(rule: unknown, catalog: FieldCatalog): Analysis {
  const state: WalkState = { catalog, issues: [], conditions: 0, params: 0, tooComplexReported: false };
  const plan = walk(rule, [], 1, state);
  if (state.params > MAX_RULE_PARAMS) {
    report(state, 'too_complex', [], `取值合计 ${groupThousands(state.params)} 个，超过上限 ${groupThousands(MAX_RULE_PARAMS)}，请拆分规则或先保存为客群`);
  }
  return { plan: state.issues.length === 0 ? plan : null, issues: state.issues };
}

function report(state: WalkState, code: RuleIssueCode, path: readonly number[], text: string): null {
  state.issues.push({ code, path: [...path], message: `${where(path)}：${text}` });
  return null;
}

function walk(node: unknown, path: number[], depth: number, state: WalkState): Plan | null {
  if (depth > MAX_RULE_DEPTH) return report(state, 'too_complex', path, `嵌套超过 ${MAX_RULE_DEPTH} 层，请简化规则`);
  if (!isRecord(node)) return report(state, 'malformed', path, '不是有效的条件或条件组');
  const keys = Object.keys(node);
  for (const group of ['all', 'any'] as const) {
    if (!hasOwn(node, group)) continue;
    if (keys.length !== 1) return report(state, 'malformed', path, `条件组“${group === 'all' ? '全部满足' : '任一满足'}”不能同时带有其他属性`);
    const children = node[group];
    if (!Array.isArray(children)) return report(state, 'malformed', path, '条件组的内容应是条件列表');
    const plans = children.map((child, index) => walk(child, [...path, index + 1], depth + 1, state));
    return plans.every((p): p is Plan => p !== null) ? { kind: group, children: plans } : null;
  }
  if (hasOwn(node, 'not')) {
    if (keys.length !== 1) return report(state, 'malformed', path, '“不满足”不能同时带有其他属性');
    // `not` wraps a single node and adds no position of its own: 条件 2 stays 条件 2 inside 不（…）.
    const child = walk(node.not, path, depth + 1, state);
    return child ? { kind: 'not', child } : null;
  }
  if (hasOwn(node, 'field') || hasOwn(node, 'op')) return condition(node, path, state);
  return report(state, 'malformed', path, '不是有效的条件或条件组');
}

function condition(node: Record<string, unknown>, path: number[], state: WalkState): Plan | null {
  state.conditions += 1;
  if (state.conditions > MAX_RULE_CONDITIONS) {
    if (!state.tooComplexReported) report(state, 'too_complex', [], `条件超过 ${groupThousands(MAX_RULE_CONDITIONS)} 个，请拆分规则或先保存为客群`);
    state.tooComplexReported = true;
    return null;
  }
  const extra = Object.keys(node).find((key) => !ALLOWED_CONDITION_KEYS.has(key));
  if (extra !== undefined) return report(state, 'malformed', path, `条件带有无法识别的属性${quoted(extra)}`);

  const { field: fieldKey, op, value } = node;
  if (typeof fieldKey !== 'string' || fieldKey.length === 0) return report(state, 'malformed', path, '没有选择字段');
  const field = catalogField(state.catalog, fieldKey);
  if (!field) {
    const reason = unavailableReason(state.catalog, fieldKey);
    return reason !== undefined
      ? report(state, 'field_unavailable', path, reason)
      : report(state, 'unknown_field', path, `字段${quoted(fieldKey)}不存在或不允许筛选`);
  }
  if (typeof op !== 'string' || !(RULE_OPERATORS as readonly string[]).includes(op)) {
    return report(state, 'unknown_operator', path, op === undefined ? `“${field.label}”没有选择比较方式` : `不支持的比较方式${quoted(op)}`);
  }
  const operator = op as RuleOperator;
  if (operator === 'has_tag' && field.kind !== 'tag') return report(state, 'operator_not_allowed', path, '“有标签”只能用于“标签”字段');
  if (!field.operators.includes(operator)) {
    const allowed = field.operators.map((o) => OPERATOR_LABELS[o]).join('、');
    return report(state, 'operator_not_allowed', path, `“${field.label}”不支持“${OPERATOR_LABELS[operator]}”，可用：${allowed}`);
  }

  const fail = (code: RuleIssueCode, text: string) => report(state, code, path, text);
  const opName = `“${OPERATOR_LABELS[operator]}”`;

  if (operator === 'is_null') {
    if (value === undefined || value === null || value === true) return conditionPlan(state, field, operator, [], true);
    if (value === false) return conditionPlan(state, field, operator, [], false);
    return fail('wrong_value', `${opName}的取值只能是 是 或 否`);
  }

  if (operator === 'between') {
    if (!Array.isArray(value) || value.length !== 2) return fail('missing_value', `${opName}需要两个值`);
    const low = normalise(field, value[0]);
    const high = normalise(field, value[1]);
    if (!low.ok) return fail(low.code, low.message);
    if (!high.ok) return fail(high.code, high.message);
    if (low.value > high.value) {
      return fail('wrong_value', `${opName}的下限 ${show(field, low.value)} 大于上限 ${show(field, high.value)}`);
    }
    return conditionPlan(state, field, operator, [low.value, high.value], false);
  }

  if (operator === 'in' || operator === 'not_in') {
    if (!Array.isArray(value)) return fail('missing_value', `${opName}需要一组取值`);
    if (value.length === 0) return fail('missing_value', `${opName}需要至少一个取值`);
    if (value.length > MAX_LIST_VALUES) {
      return fail('too_complex', `${opName}最多 ${groupThousands(MAX_LIST_VALUES)} 个取值，当前 ${groupThousands(value.length)} 个`);
    }
    const values: SqlParam[] = [];
    for (const item of value) {
      const result = normalise(field, item);
      if (!result.ok) return fail(result.code, result.message);
      values.push(result.value);
    }
    return conditionPlan(state, field, operator, [...new Set(values)], false);
  }

  // The remaining operators take one value.
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    return fail('missing_value', operator === 'has_tag' ? '请选择标签' : `“${field.label}${OPERATOR_LABELS[operator]}”需要一个取值`);
  }
  if (Array.isArray(value)) return fail('wrong_value', `${opName}只接受一个取值，多个取值请用“属于”`);
  const result = normalise(field, value);
  if (!result.ok) return fail(result.code, result.message);
  return conditionPlan(state, field, operator, [result.value], false);
}

function conditionPlan(state: WalkState, field: RuleField, op: RuleOperator, values: SqlParam[], isNull: boolean): Plan {
  // Counts the parameters emitCondition will bind: the field's own each time its expression appears
  // (twice for the NULL-inclusive forms), the run id of a tag, and the values.
  const expressionUses = field.kind === 'column' && (op === '!=' || op === 'not_in') ? 2 : 1;
  state.params += (field.sqlParams?.length ?? 0) * expressionUses + (field.kind === 'tag' ? 1 : 0) + values.length;
  return { kind: 'condition', field, op, values, isNull };
}

// ---------------------------------------------------------------------------------------------------------
// Values: checked against the field type and brought to the form the column stores

type Normalised = { ok: true; value: string | number } | { ok: false; code: RuleIssueCode; message: string };

const bad = (message: string): Normalised => ({ ok: false, code: 'wrong_value', message });

const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

const normaliseWord = (text: string) => text.trim().toLowerCase().replace(/\s+/g, ' ');

/** Code lookups per field: codes, display labels and synonyms, ignoring case and spacing. Built once per field. */
const enumLookups = new WeakMap<RuleField, Map<string, string>>();

function enumLookup(field: RuleField): Map<string, string> {
  let lookup = enumLookups.get(field);
  if (!lookup) {
    lookup = new Map();
    for (const [word, code] of Object.entries(field.valueSynonyms ?? {})) lookup.set(normaliseWord(word), code);
    for (const [code, label] of Object.entries(field.enumLabels ?? {})) lookup.set(normaliseWord(label), code);
    for (const code of field.enumValues ?? []) lookup.set(normaliseWord(code), code);
    enumLookups.set(field, lookup);
  }
  return lookup;
}

function enumChoices(field: RuleField): string {
  const codes = field.enumValues ?? [];
  const shown = codes.slice(0, 12).map((code) => field.enumLabels?.[code] ?? code);
  return codes.length > shown.length ? `${shown.join('、')} 等` : shown.join('、');
}

function normalise(field: RuleField, raw: unknown): Normalised {
  if (raw === null || raw === undefined) return { ok: false, code: 'missing_value', message: `“${field.label}”的取值不能为空` };
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
    return bad(`“${field.label}”的取值${quoted(raw)}无法识别`);
  }
  if (typeof raw === 'number' && !Number.isFinite(raw)) return bad(`“${field.label}”的取值${quoted(String(raw))}不是有效数字`);
  if (field.kind === 'tag') return normaliseTag(field, raw);
  if (field.kind === 'segment') return normaliseSegment(field, raw);

  switch (field.type) {
    case 'text': {
      if (typeof raw === 'boolean') return bad(`“${field.label}”是文本字段，值${quoted(String(raw))}不是文本`);
      // Imported text is trimmed, so a value typed with a stray space should still find it.
      const text = String(raw).trim();
      return text === '' ? { ok: false, code: 'missing_value', message: `“${field.label}”的取值不能为空` } : { ok: true, value: text };
    }
    case 'number':
    case 'money':
      return normaliseNumber(field, raw);
    case 'date': {
      const text = typeof raw === 'string' ? raw : typeof raw === 'number' ? String(raw) : '';
      const parsed = parseDate(text, { message: '' });
      return typeof parsed === 'string' ? { ok: true, value: parsed } : bad(`“${field.label}”是日期字段，值${quoted(String(raw))}不是有效日期（请写成 YYYY-MM-DD）`);
    }
    case 'month': {
      const text = typeof raw === 'string' ? raw : typeof raw === 'number' ? String(raw) : '';
      const parsed = parseMonth(text, { message: '' });
      return typeof parsed === 'string' ? { ok: true, value: parsed } : bad(`“${field.label}”是月份字段，值${quoted(String(raw))}不是有效月份（请写成 YYYY-MM）`);
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return { ok: true, value: raw ? 1 : 0 };
      const parsed = parseBoolean(String(raw), { message: '' });
      return typeof parsed === 'number' ? { ok: true, value: parsed } : bad(`“${field.label}”只能是 是 或 否，值${quoted(String(raw))}无法识别`);
    }
    case 'enum': {
      if (typeof raw === 'boolean') return bad(`“${field.label}”没有${quoted(String(raw))}这个取值，可选：${enumChoices(field)}`);
      const code = enumLookup(field).get(normaliseWord(String(raw)));
      return code !== undefined ? { ok: true, value: code } : bad(`“${field.label}”没有${quoted(String(raw))}这个取值，可选：${enumChoices(field)}`);
    }
  }
}

function normaliseNumber(field: RuleField, raw: string | number | boolean): Normalised {
  const notNumber = () => bad(`“${field.label}”是数字字段，值${quoted(String(raw))}不是数字`);
  let value: number;
  if (typeof raw === 'number') value = raw;
  else if (typeof raw === 'boolean') return notNumber();
  else {
    // What an analyst types: 1,234.5 / 50% on a share / 50万 or ¥1,000 on an amount.
    let body = raw.replace(/[,，\s]/g, '');
    let scale = 1;
    if (field.percent && /[%％]$/.test(body)) {
      body = body.slice(0, -1);
      scale = 0.01;
    } else if (field.type === 'money') {
      body = body.replace(/^[¥￥]/, '').replace(/元$/, '');
      if (body.endsWith('万')) [body, scale] = [body.slice(0, -1), 10_000];
      else if (body.endsWith('亿')) [body, scale] = [body.slice(0, -1), 100_000_000];
    }
    if (!NUMBER_TEXT.test(body)) return notNumber();
    // Dividing by 100 rather than multiplying by 0.01 keeps 29% at exactly 0.29.
    value = scale === 0.01 ? Number(body) / 100 : Math.round(Number(body) * scale * 1e6) / 1e6;
    if (!Number.isFinite(value)) return notNumber();
  }
  const { min, max } = field;
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    const range =
      min !== undefined && max !== undefined
        ? `应在 ${show(field, min)} 到 ${show(field, max)} 之间`
        : min !== undefined
          ? `不能小于 ${show(field, min)}`
          : `不能大于 ${show(field, max as number)}`;
    const hint = field.percent ? '（占比请写成 0.35 或 35%）' : '';
    return bad(`“${field.label}”${range}，值${quoted(String(raw))}超出范围${hint}`);
  }
  return { ok: true, value };
}

function normaliseTag(field: RuleField, raw: string | number | boolean): Normalised {
  if (typeof raw === 'boolean') return bad(`标签${quoted(String(raw))}不存在`);
  const text = String(raw).trim();
  if (!field.enumValues) return { ok: true, value: text };
  const code = enumLookup(field).get(normaliseWord(text));
  return code !== undefined ? { ok: true, value: code } : bad(`标签${quoted(text)}不存在`);
}

function normaliseSegment(field: RuleField, raw: string | number | boolean): Normalised {
  if (typeof raw === 'boolean') return bad(`客群${quoted(String(raw))}不存在`);
  const text = String(raw).trim();
  const code = field.enumValues ? enumLookup(field).get(normaliseWord(text)) : /^\d+$/.test(text) ? text : undefined;
  const id = code === undefined ? NaN : Number(code);
  return Number.isSafeInteger(id) && id > 0 ? { ok: true, value: id } : bad(`客群${quoted(text)}不存在`);
}

// ---------------------------------------------------------------------------------------------------------
// SQL

function emit(plan: Plan, params: SqlParam[], options: CompileOptions): string {
  switch (plan.kind) {
    case 'all':
    case 'any': {
      // The neutral element: an empty 全部满足 matches everyone, an empty 任一满足 no one.
      if (plan.children.length === 0) return plan.kind === 'all' ? '1' : '0';
      if (plan.children.length === 1) return emit(plan.children[0]!, params, options);
      const joiner = plan.kind === 'all' ? ' AND ' : ' OR ';
      return `(${plan.children.map((child) => emit(child, params, options)).join(joiner)})`;
    }
    case 'not':
      // COALESCE turns the inner UNKNOWN into false before negating; see the file comment.
      return `NOT COALESCE((${emit(plan.child, params, options)}), 0)`;
    case 'condition':
      return emitCondition(plan, params, options);
  }
}

function placeholders(count: number): string {
  return new Array<string>(count).fill('?').join(', ');
}

function emitCondition(plan: Extract<Plan, { kind: 'condition' }>, params: SqlParam[], options: CompileOptions): string {
  const { field, op, values } = plan;
  const fieldParams = field.sqlParams ?? [];
  /** The field's expression, pushing its own parameters each time it appears. */
  const expr = (): string => {
    params.push(...fieldParams);
    return field.sql;
  };
  const bind = (...bound: SqlParam[]): void => {
    params.push(...bound);
  };

  if (field.kind === 'tag') {
    const runId = options.tagRunId ?? field.runId;
    if (runId === undefined) throw new Error(`tag field ${field.key} has no run id`);
    const sql = `EXISTS (SELECT 1 FROM customer_tags ct WHERE ct.customer_id = ${expr()} AND ct.run_id = ? AND ct.tag_id = ?)`;
    bind(runId, values[0]!);
    return sql;
  }

  if (field.kind === 'segment') {
    const negated = op === '!=' || op === 'not_in';
    const sql = `${negated ? 'NOT EXISTS' : 'EXISTS'} (SELECT 1 FROM segment_members sm WHERE sm.customer_id = ${expr()} AND sm.segment_id IN (${placeholders(values.length)}))`;
    bind(...values);
    return sql;
  }

  let sql: string;
  switch (op) {
    case '=':
      sql = `${expr()} = ?`;
      break;
    case '!=':
      sql = `(${expr()} IS NULL OR ${expr()} <> ?)`;
      break;
    case '>':
    case '>=':
    case '<':
    case '<=':
      sql = `${expr()} ${op} ?`;
      break;
    case 'between':
      sql = `${expr()} BETWEEN ? AND ?`;
      break;
    case 'in':
      sql = `${expr()} IN (${placeholders(values.length)})`;
      break;
    case 'not_in':
      sql = `(${expr()} IS NULL OR ${expr()} NOT IN (${placeholders(values.length)}))`;
      break;
    case 'contains':
      // instr, not LIKE: with LIKE the user's % and _ would be wildcards ("100%" would match "1000"), and
      // escaping them is one more thing to get wrong. lower() on both sides makes Latin letters match
      // regardless of case, as a search box does; Chinese is unaffected.
      sql = `instr(lower(${expr()}), lower(?)) > 0`;
      break;
    case 'is_null':
      sql = `${expr()} ${plan.isNull ? 'IS NULL' : 'IS NOT NULL'}`;
      break;
    case 'has_tag':
      throw new Error('has_tag reached a non-tag field');
  }
  bind(...values);
  return sql;
}

// ---------------------------------------------------------------------------------------------------------
// Description

const OPERATOR_SYMBOLS: Readonly<Partial<Record<RuleOperator, string>>> = {
  '=': '=',
  '!=': '≠',
  '>': '>',
  '>=': '≥',
  '<': '<',
  '<=': '≤',
};

function describeNode(node: unknown, catalog: FieldCatalog, top: boolean, depth: number): string {
  if (depth > MAX_RULE_DEPTH) return '…';
  if (!isRecord(node)) return '（无效条件）';
  for (const group of ['all', 'any'] as const) {
    if (!hasOwn(node, group)) continue;
    const children = Array.isArray(node[group]) ? (node[group] as unknown[]) : [];
    if (children.length === 0) return group === 'all' ? '全部客户' : '无客户';
    if (children.length === 1) return describeNode(children[0], catalog, top, depth + 1);
    const text = children.map((child) => describeNode(child, catalog, false, depth + 1)).join(group === 'all' ? ' 且 ' : ' 或 ');
    return top ? text : `（${text}）`;
  }
  if (hasOwn(node, 'not')) return describeNegation(node.not, catalog, depth + 1);
  return describeCondition(node as Partial<RuleCondition>, catalog);
}

/** The opposite of each operator, as `not` compiles it (NULLs included: see the file comment). */
const NEGATED_OPERATORS: Readonly<Partial<Record<RuleOperator, RuleOperator>>> = { '=': '!=', '!=': '=', in: 'not_in', not_in: 'in' };
const NEGATED_COMPARISONS: Readonly<Partial<Record<RuleOperator, string>>> = { '>': '不超过', '>=': '未达到', '<': '不低于', '<=': '超过' };

function describeNegation(inner: unknown, catalog: FieldCatalog, depth: number): string {
  if (depth > MAX_RULE_DEPTH) return '…';
  if (isRecord(inner) && hasOwn(inner, 'not')) return describeNode(inner.not, catalog, true, depth + 1);
  if (!isRecord(inner) || hasOwn(inner, 'all') || hasOwn(inner, 'any')) return `不满足（${describeNode(inner, catalog, true, depth)}）`;
  const condition = inner as Partial<RuleCondition>;
  const op = condition.op;
  const opposite = op === undefined ? undefined : NEGATED_OPERATORS[op];
  if (opposite) return describeCondition({ ...condition, op: opposite }, catalog);
  if (op === 'is_null') return describeCondition({ ...condition, value: condition.value === false }, catalog);
  const field = catalogField(catalog, typeof condition.field === 'string' ? condition.field : '');
  const label = field?.label ?? String(condition.field ?? '');
  const one = (raw: unknown) => displayValue(field, raw);
  switch (op) {
    case 'has_tag':
      return `没有标签 ${one(condition.value)}`;
    case 'contains':
      return `${label} 不包含 “${typeof condition.value === 'string' ? condition.value.trim() : one(condition.value)}”`;
    case 'between': {
      const [low, high] = Array.isArray(condition.value) ? condition.value : [condition.value, undefined];
      return `${label} 不在 ${one(low)} 至 ${one(high)} 之间`;
    }
    case '>':
    case '>=':
    case '<':
    case '<=':
      return `${label} ${NEGATED_COMPARISONS[op]} ${one(condition.value)}`;
    default:
      return `不满足（${describeCondition(condition, catalog)}）`;
  }
}

function describeCondition(node: Partial<RuleCondition>, catalog: FieldCatalog): string {
  const fieldKey = typeof node.field === 'string' ? node.field : '';
  const field = catalogField(catalog, fieldKey);
  const label = field?.label ?? fieldKey;
  const op = node.op;
  const value = node.value;
  const one = (raw: unknown) => displayValue(field, raw);
  const list = (raw: unknown) => (Array.isArray(raw) ? raw : [raw]).map(one).join('、');

  switch (op) {
    case 'has_tag':
      return `有标签 ${one(value)}`;
    case 'is_null':
      return value === false ? `${label} 不为空` : `${label} 为空`;
    case 'between': {
      const [low, high] = Array.isArray(value) ? value : [value, undefined];
      return `${label} 介于 ${one(low)} 至 ${one(high)}`;
    }
    case 'in':
      return `${label} 属于 ${list(value)}`;
    case 'not_in':
      return `${label} 不属于 ${list(value)}`;
    case 'contains':
      return `${label} 包含 “${typeof value === 'string' ? value.trim() : one(value)}”`;
    case '=':
    case '!=':
    case '>':
    case '>=':
    case '<':
    case '<=':
      return `${label} ${OPERATOR_SYMBOLS[op]} ${one(value)}`;
    default:
      return `${label} ${String(op)} ${one(value)}`;
  }
}

/** A value as the analyst knows it: enum codes as their labels, shares as percentages, amounts grouped. */
function displayValue(field: RuleField | undefined, raw: unknown): string {
  if (raw === undefined || raw === null) return '（空）';
  if (!field) return typeof raw === 'string' ? raw : String(raw);
  const result = normalise(field, raw);
  if (!result.ok) return typeof raw === 'string' ? raw : String(raw);
  return show(field, result.value);
}

function show(field: RuleField, value: string | number): string {
  if (field.kind === 'tag' || field.kind === 'segment' || field.type === 'enum') {
    return field.enumLabels?.[String(value)] ?? String(value);
  }
  if (field.type === 'boolean') return value === 1 ? '是' : '否';
  if (typeof value !== 'number') return value;
  if (field.percent) return `${Number((value * 100).toFixed(4))}%`;
  return groupThousands(value);
}

/** 1234567.5 → 1,234,567.5, without Intl so the output is the same in every runtime. */
function groupThousands(value: number): string {
  const [whole, fraction] = String(Math.abs(value)).split('.');
  if (!whole || /e/i.test(whole)) return String(value);
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${value < 0 ? '-' : ''}${grouped}${fraction !== undefined ? `.${fraction}` : ''}`;
}
