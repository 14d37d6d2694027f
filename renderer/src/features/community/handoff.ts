/**
 * “转为营销活动”: hands a suggestion's or an activity's target customers (a rule of the DSL) to the campaign
 * wizard through the shared hand-off store, then opens the wizard.
 */
import type { Router } from 'vue-router';
import type { CampaignGoal } from '../../../../shared/community-rules';
import type { RuleNode } from '../../../../shared/rules';
import { useCampaignHandoffStore } from '../../stores/campaign-handoff';

export function offerToCampaigns(router: Router, audience: { rule: RuleNode; label: string; goal: CampaignGoal | null }): void {
  useCampaignHandoffStore().offer({ source: { kind: 'rule', rule: audience.rule }, label: audience.label, ...(audience.goal ? { goal: audience.goal } : {}) });
  void router.push('/campaigns/new');
}
