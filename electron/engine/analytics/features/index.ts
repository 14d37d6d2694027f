/** Features as of a date: see compute-features.ts for the contract and each pass for the definitions. */
export { computeFeatureResult, computeFeatures } from './compute-features';
export { computeFeatureResultParallel, type ParallelFeatureOptions } from './parallel';
export { writeFeatures } from './write-features';
export type { FeatureOptions, FeatureResult, FeatureTable, ScoreInputs, SourceAvailability } from './types';
