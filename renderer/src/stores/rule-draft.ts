/** The rule being built on the 标签与规则 screen, kept while the analyst looks at other screens. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { RuleNode } from '../../../shared/rules';
import { fromRule, newCondition, newGroup, type EditGroup } from '../components/rule-builder/model';
import { useRuleFieldsStore } from './rule-fields';

export const useRuleDraftStore = defineStore('ruleDraft', () => {
  const root = ref<EditGroup>(newGroup('all', [newCondition()]));
  /** Where the draft came from, e.g. the tag whose rule is being edited. */
  const origin = ref<string | null>(null);

  function load(rule: RuleNode, from: string | null = null): void {
    root.value = fromRule(rule, useRuleFieldsStore().field);
    origin.value = from;
  }

  function reset(): void {
    root.value = newGroup('all', [newCondition()]);
    origin.value = null;
  }

  return { root, origin, load, reset };
});
