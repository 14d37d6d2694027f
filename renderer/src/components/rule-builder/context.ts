/** What the rule builder's nested groups and rows share: problems per row and the field list. */
import { computed, type ComputedRef, type InjectionKey } from 'vue';
import type { RuleFieldInfo } from '../../../../shared/api';
import { RULE_FIELD_GROUP_LABELS_EN, RULE_FIELD_GROUPS, type RuleFieldGroup } from '../../../../shared/rule-fields';
import { definitionCatalog } from '../../features/customers/filter';
import { currentLocale, i18n } from '../../i18n';
import { useRuleFieldsStore } from '../../stores/rule-fields';
import { enumGroupOf, enumLabel, fieldLabel } from '../../utils/labels';

export interface BuilderContext {
  /** Problems of a node by its id, without the “条件 2.1：” the row already shows. */
  issuesOf(id: number): string[];
  /** The node's position as the messages name it, e.g. '2.1'; undefined while the row is still empty. */
  pathOf(id: number): string | undefined;
  /** Deepest nesting offered; the compiler allows 12, a readable rule needs far fewer. */
  maxDepth: number;
}

export const BUILDER_CONTEXT: InjectionKey<BuilderContext> = Symbol('rule-builder');

export const MAX_BUILDER_DEPTH = 4;

export interface FieldOption {
  key: string;
  label: string;
  /** Why the field cannot be used yet; absent when it can. */
  reason?: string;
}

export interface FieldOptionGroup {
  key: RuleFieldGroup;
  label: string;
  options: FieldOption[];
}

const isEn = () => currentLocale.value === 'en';

/** The first group (basic profile) and the last (tags and segments) of RULE_FIELD_GROUPS. */
const PROFILE_GROUP = RULE_FIELD_GROUPS[0];
const TAG_GROUP = RULE_FIELD_GROUPS[RULE_FIELD_GROUPS.length - 1]!;

/** A field's name in the current language, with its unit in Chinese: 近3个月日均资产(元). */
export function builderFieldLabel(f: Pick<RuleFieldInfo, 'label' | 'labelEn' | 'unit' | 'percent'>): string {
  if (isEn()) return f.labelEn;
  if (f.percent) return `${f.label}(%)`;
  return f.unit ? `${f.label}(${f.unit})` : f.label;
}

/** Name and group of a field the workspace cannot use yet (it is absent from `customers.fields`). */
function unavailableField(key: string): { label: string; group: RuleFieldGroup } {
  const known = Object.prototype.hasOwnProperty.call(definitionCatalog.fields, key) ? definitionCatalog.fields[key] : undefined;
  if (known) return { label: builderFieldLabel(known), group: known.group };
  if (key === 'tag') return { label: i18n.global.t('rules.tagField'), group: TAG_GROUP };
  return { label: fieldLabel('customers', key), group: PROFILE_GROUP };
}

/** Fields by group in the order of RULE_FIELD_GROUPS; the unavailable ones last in their group, disabled. */
export function useFieldOptions(): ComputedRef<FieldOptionGroup[]> {
  const store = useRuleFieldsStore();
  return computed(() => {
    const byGroup = new Map<RuleFieldGroup, FieldOption[]>(RULE_FIELD_GROUPS.map((g) => [g, []]));
    for (const f of store.fields) byGroup.get(f.group)?.push({ key: f.key, label: builderFieldLabel(f) });
    for (const [key, reason] of Object.entries(store.unavailable)) {
      const { label, group } = unavailableField(key);
      byGroup.get(group)?.push({ key, label, reason });
    }
    return RULE_FIELD_GROUPS.map((g) => ({ key: g, label: isEn() ? RULE_FIELD_GROUP_LABELS_EN[g] : g, options: byGroup.get(g) ?? [] })).filter((g) => g.options.length > 0);
  });
}

/** Choices of an enum, tag or segment field: codes with their names in the current language. */
export function enumChoices(f: RuleFieldInfo): { value: string; label: string }[] {
  const group = enumGroupOf(f.key);
  return (f.enumValues ?? []).map((code) => ({ value: code, label: group ? enumLabel(group, code) : (f.enumLabels?.[code] ?? code) }));
}
