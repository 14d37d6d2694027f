export { computeRfm, type RfmResult } from './rfm';
export { computeTiers, tierOf, assertTierThresholds } from './tiers';
export { computeLifecycle, LIFECYCLE_PRECEDENCE } from './lifecycle';
export { RFM_CLASS_DEFS, rfmAction, rfmClassOf } from './rfm-actions';
export { quintileScores } from './quintiles';
export { writeScores } from './write-scores';
export type { CustomerScores } from './types';
