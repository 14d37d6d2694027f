/**
 * The hand-off of an audience to the campaign wizard. A screen that offers "加入营销活动" calls
 * `offer(source, label)` and routes to the wizard, which takes the audience with `take()`. Kept apart from
 * the campaigns feature so that every screen can offer an audience without importing the wizard.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { AudienceSource } from '../../../shared/campaigns';

export interface OfferedAudience {
  source: AudienceSource;
  /** How the wizard names the source: “流失预警：高风险客户”, “产品匹配：月月盈理财”. */
  label: string;
  /** Suggested goal and product of the campaign, where the source implies them. */
  goal?: 'open_account' | 'buy_product' | 'grow_assets' | 'activate' | 'retain';
  productId?: string;
}

export const useCampaignHandoffStore = defineStore('campaign-handoff', () => {
  const offered = ref<OfferedAudience | null>(null);

  function offer(audience: OfferedAudience): void {
    offered.value = audience;
  }

  /** The audience offered last, once: the wizard clears it when it takes it. */
  function take(): OfferedAudience | null {
    const audience = offered.value;
    offered.value = null;
    return audience;
  }

  return { offered, offer, take };
});
