/** The engine's histogram random forest: public surface. */
export { RandomForestClassifier, RandomForestRegressor, MODEL_FORMAT, MODEL_VERSION } from './forest';
export type { ForestJSON, ForestPermutationOptions, PermutationMetric } from './forest';
export type { ClassifierOptions, RegressorOptions, ForestHyperparameters, TrainingControl, ClassWeightOption } from './options';
export type { Contributions } from './contributions';
export type { PermutationImportance } from './importance';
export { TrainingCancelledError } from './errors';
export { createColumnMatrix, toColumnMatrix, takeRows, columnView, rowValues, isColumnMatrix } from './matrix';
export type { ColumnMatrix, MatrixInput } from './matrix';
export { encodeTable, applyEncoding, applyTargetEncoding } from './tabular';
export type { EncodeTableOptions, EncodedTable, TableEncoding, EncodedColumn, CategoricalEncoding } from './tabular';
export { evaluateHoldOut, evaluateOnTestTable } from './evaluate';
export { TreeWorkerPool } from './worker-pool';
export { workerStartEstimate } from './parallel';
export type { HoldOutOptions, HoldOutReport, TrainTestSplit } from './evaluate';
