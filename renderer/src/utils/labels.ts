/**
 * Display names of dictionary entities, fields and enum codes in the current language. Field names come
 * from the data dictionary (label / labelEn), enum names from the locale files (`enums.*`).
 */
import { entity, field, type EntityKey } from '../../../shared/dictionary';
import type { RuleField } from '../../../shared/rule-fields';
import { currentLocale, i18n } from '../i18n';

const isEn = () => currentLocale.value === 'en';

export function entityLabel(key: EntityKey | string): string {
  const t = i18n.global.t;
  const k = `entities.${key}`;
  return i18n.global.te(k) ? t(k) : key;
}

/** A workspace table by name: entity tables by the dictionary, derived ones by `tables.*`, else the engine's label. */
export function tableLabel(table: string, fallback: string): string {
  if (i18n.global.te(`tables.${table}`)) return i18n.global.t(`tables.${table}`);
  if (i18n.global.te(`entities.${table}`)) return i18n.global.t(`entities.${table}`);
  return fallback;
}

export function fieldLabel(entityKey: EntityKey, key: string): string {
  const def = field(entityKey, key);
  if (!def) return key;
  return isEn() ? def.labelEn : def.label;
}

export function ruleFieldLabel(f: RuleField): string {
  const base = isEn() ? f.labelEn : f.label;
  return f.unit && !isEn() ? `${base}(${f.unit})` : base;
}

/** Which enum vocabulary a field uses, by field key. */
const ENUM_GROUP_OF: Readonly<Record<string, string>> = {
  gender: 'gender',
  customer_type: 'customer_type',
  risk_level: 'risk_level',
  category: 'category',
  risk_rating: 'risk_rating',
  channel: 'channel',
  type: 'txn_type',
  direction: 'direction',
  kind: 'interaction_kind',
  outcome: 'response_outcome',
  value_tier: 'value_tier',
  lifecycle_stage: 'lifecycle_stage',
  rfm_class: 'rfm_class',
  churn_band: 'churn_band',
  consent_marketing: 'boolean',
  do_not_contact: 'boolean',
};

export function enumGroupOf(fieldKey: string): string | undefined {
  return ENUM_GROUP_OF[fieldKey];
}

/** The display name of an enum code: 'C2' → 'C2 稳健型'. Unknown codes show as they are. */
export function enumLabel(group: string, code: unknown): string {
  if (code === null || code === undefined || code === '') return '—';
  const text = typeof code === 'boolean' ? String(code) : code === 1 && group === 'boolean' ? 'true' : code === 0 && group === 'boolean' ? 'false' : String(code);
  const key = `enums.${group}.${text}`;
  return i18n.global.te(key) ? i18n.global.t(key) : String(code);
}

/** A value of a field of an entity, for display: enum codes become names. */
export function fieldValueLabel(fieldKey: string, value: unknown): string {
  const group = ENUM_GROUP_OF[fieldKey];
  if (group) return enumLabel(group, value);
  if (value === null || value === undefined || value === '') return '—';
  return String(value);
}

export function requiredFields(entityKey: EntityKey): string[] {
  return entity(entityKey).fields.filter((f) => f.required).map((f) => f.key);
}
