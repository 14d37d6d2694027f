/** The scores of one run, computed from the features and score inputs of the same as-of date. */
import type { LifecycleStage, ValueTier } from '../../../../shared/analytics';
import type { RfmResult } from './rfm';

export interface CustomerScores {
  rfm: RfmResult;
  tiers: ValueTier[];
  lifecycle: LifecycleStage[];
}
