/**
 * The customer-list filter: a flat list of conditions over the customer field catalog (shared/rule-fields),
 * compiled to the rule DSL as `{ all: [...] }`. Nested groups are the rule builder's job (a later screen).
 */
import { customerFieldCatalog, RULE_FIELD_GROUPS, type FieldCatalog, type RuleField } from '../../../../shared/rule-fields';
import { validateRule } from '../../../../shared/rule-compiler';
import type { RuleCondition, RuleNode, RuleOperator, RuleScalar } from '../../../../shared/rules';

export interface FilterCondition {
  id: number;
  field: string;
  op: RuleOperator | '';
  /** Single value, or the low bound of `between`. */
  value: string;
  /** High bound of `between`. */
  value2: string;
  /** Values of `in` / `not_in` on an enum field. */
  values: string[];
}

const today = () => new Date().toISOString().slice(0, 10);

/** Every customer field a rule may name, including those that need an analysis run first. */
export const definitionCatalog: FieldCatalog = customerFieldCatalog({ featureRunId: 1, scoreRunId: 1, tagRunId: null, asOf: today() });
/** What works on a workspace where no analysis has run: the rest carry the reason in `unavailable`. */
export const baseCatalog: FieldCatalog = customerFieldCatalog({ featureRunId: null, scoreRunId: null, tagRunId: null, asOf: today() });

/** Fields the simple filter offers: columns only (tags and segments belong to the rule builder). */
export const filterFields: RuleField[] = Object.values(definitionCatalog.fields)
  .filter((f) => f.kind === 'column')
  .sort((a, b) => RULE_FIELD_GROUPS.indexOf(a.group) - RULE_FIELD_GROUPS.indexOf(b.group));

export function isBaseField(key: string): boolean {
  return Object.prototype.hasOwnProperty.call(baseCatalog.fields, key);
}

export function unavailableReason(key: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(baseCatalog.unavailable, key) ? baseCatalog.unavailable[key] : undefined;
}

export function fieldByKey(key: string): RuleField | undefined {
  return Object.prototype.hasOwnProperty.call(definitionCatalog.fields, key) ? definitionCatalog.fields[key] : undefined;
}

/** Operator codes as i18n keys (`operators.*`): symbols do not make good message paths. */
export const OPERATOR_KEYS: Readonly<Record<RuleOperator, string>> = {
  '=': 'eq',
  '!=': 'ne',
  '>': 'gt',
  '>=': 'ge',
  '<': 'lt',
  '<=': 'le',
  between: 'between',
  in: 'in',
  not_in: 'not_in',
  contains: 'contains',
  is_null: 'is_null',
  has_tag: 'has_tag',
};

const NUMBER = /^[+-]?\d+(\.\d+)?$/;

function scalar(field: RuleField, text: string): RuleScalar {
  const v = text.trim().replace(/,/g, '');
  if (field.type === 'boolean') return v === 'true';
  if ((field.type === 'number' || field.type === 'money') && NUMBER.test(v)) return Number(v);
  return text.trim();
}

export function toCondition(c: FilterCondition): RuleCondition | null {
  const field = fieldByKey(c.field);
  if (!field || !c.op) return null;
  switch (c.op) {
    case 'is_null':
      return { field: c.field, op: 'is_null', value: true };
    case 'between':
      return { field: c.field, op: 'between', value: [scalar(field, c.value), scalar(field, c.value2)] };
    case 'in':
    case 'not_in': {
      const list = field.type === 'enum' ? c.values : c.value.split(/[,，、;；\s]+/).filter((x) => x.trim() !== '');
      return { field: c.field, op: c.op, value: list.map((x) => scalar(field, x)) };
    }
    default:
      return { field: c.field, op: c.op, value: scalar(field, c.value) };
  }
}

export function toRule(conditions: FilterCondition[]): RuleNode | undefined {
  const all = conditions.map(toCondition).filter((x): x is RuleCondition => x !== null);
  return all.length > 0 ? { all } : undefined;
}

/** Problems of the filter in Chinese (from the shared compiler), before anything goes to the engine. */
export function filterIssues(rule: RuleNode | undefined): string[] {
  return rule ? validateRule(rule, definitionCatalog).map((i) => i.message) : [];
}
