/** The scores of one run, computed from the features and score inputs of the same as-of date. */
import type { LifecycleStage, TierCode } from '../../../../shared/analytics';
import type { RfmResult } from './rfm';

export interface CustomerScores {
  rfm: RfmResult;
  tiers: TierCode[];
  lifecycle: LifecycleStage[];
}
