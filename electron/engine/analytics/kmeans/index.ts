/**
 * K-means segmentation engine (DESIGN §4 "Segmentation"): typed-array k-means with k-means++ seeding and
 * Hamerly's bounds, standardization with log1p on money, silhouette-based choice of k, adjusted Rand
 * index, and cluster profiles with suggested Chinese names.
 */
export { createMatrix, matrixFromRows, matrixToRows, rowView, selectRows, type Matrix } from './matrix';
export {
  assignToCentroids,
  kmeans,
  KMEANS_DEFAULTS,
  type KMeansAlgorithm,
  type KMeansInit,
  type KMeansOptions,
  type KMeansResult,
} from './kmeans';
export { defaultLocalTrials, kmeansPlusPlus, type Seeding } from './init';
export {
  fitStandardize,
  fitStandardizer,
  signedExpm1,
  signedLog1p,
  standardize,
  standardizeValue,
  unstandardize,
  type StandardizeOptions,
  type Standardizer,
} from './standardize';
export { SILHOUETTE_DEFAULTS, silhouetteSamples, silhouetteScore, silhouetteScores, type SilhouetteOptions } from './silhouette';
export { SUGGEST_K_DEFAULTS, suggestK, type SuggestKOptions, type SuggestKPoint, type SuggestKResult } from './suggest';
export { adjustedRandIndex } from './ari';
export {
  DEFAULT_FEATURE_VOCABULARY,
  NAMING_DEFAULTS,
  describeFeature,
  featureTerm,
  rankedTerms,
  suggestClusterNames,
  type ClusterTerm,
  type FeatureDescriptor,
  type NamedTerm,
  type NamingOptions,
  type VocabularyEntry,
} from './naming';
export { profileClusters, type ClusterProfile, type ClusterProfiles, type DistinguishingFeature } from './profile';
export { segmentCustomers, type SegmentOptions, type SegmentationResult } from './segment';
