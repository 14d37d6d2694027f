/**
 * Churn models in the `models` table: kind 'churn_forest', params_json (the training request and the data
 * period), metrics_json (the model card without its id) and model_json (the forest plus what scoring needs
 * to feed it: the feature keys in column order and the dates it was trained on). A model trained in one
 * session or on one machine scores anywhere the workspace file goes.
 */
import { FEATURE_KEYS, type FeatureKey, type ModelCard } from '../../../../shared/analytics';
import type { Db } from '../../db/workspace';
import { EngineError } from '../../errors';
import { RandomForestClassifier, type ForestJSON } from '../forest/index';

export const CHURN_MODEL_KIND = 'churn_forest';
const FORMAT = 'bpw-churn-model';
const VERSION = 1;

export interface ChurnModelJSON {
  format: typeof FORMAT;
  version: typeof VERSION;
  /** Column j of the forest's input is featureKeys[j]. */
  featureKeys: FeatureKey[];
  featuresAsOf: string;
  labelTo: string;
  horizonMonths: number;
  forest: ForestJSON;
}

export interface LoadedChurnModel {
  modelId: number;
  card: ModelCard;
  featureKeys: FeatureKey[];
  forest: RandomForestClassifier;
  /** The forest as stored, for scoring threads to load without serializing it again. */
  forestJson: ForestJSON;
}

interface ModelRow {
  model_id: number;
  metrics_json: string | null;
  model_json: string;
}

export function toModelJson(forest: RandomForestClassifier, featureKeys: readonly FeatureKey[], card: Pick<ModelCard, 'featuresAsOf' | 'labelTo' | 'horizonMonths'>): ChurnModelJSON {
  return {
    format: FORMAT,
    version: VERSION,
    featureKeys: [...featureKeys],
    featuresAsOf: card.featuresAsOf,
    labelTo: card.labelTo,
    horizonMonths: card.horizonMonths,
    forest: forest.toJSON(),
  };
}

/** The stored card with its id; metrics_json holds everything else. */
export function cardOf(modelId: number, metricsJson: string | null): ModelCard {
  if (metricsJson === null) throw new EngineError('internal', `流失模型 #${modelId} 缺少评估结果，请重新训练`);
  return { modelId, ...(JSON.parse(metricsJson) as Omit<ModelCard, 'modelId'>) };
}

/** The id of the latest churn model, or of `modelId` when it is one; null when there is none. */
export function churnModelId(db: Db, modelId?: number): number | null {
  const row =
    modelId === undefined
      ? db.prepare('SELECT max(model_id) AS id FROM models WHERE kind = ?').get(CHURN_MODEL_KIND)
      : db.prepare('SELECT model_id AS id FROM models WHERE kind = ? AND model_id = ?').get(CHURN_MODEL_KIND, modelId);
  return (row as { id: number | null } | undefined)?.id ?? null;
}

/** Loads a model for scoring; Chinese errors say what to do when there is none or it cannot be read. */
export function loadChurnModel(db: Db, modelId?: number): LoadedChurnModel {
  const id = churnModelId(db, modelId);
  if (id === null) {
    throw new EngineError('not_found', modelId === undefined ? '还没有流失模型，请先训练流失模型' : `找不到流失模型 #${modelId}，请在模型列表中选择一个已有的模型`);
  }
  const row = db.prepare('SELECT model_id, metrics_json, model_json FROM models WHERE model_id = ?').get(id) as ModelRow;
  const json = JSON.parse(row.model_json) as Partial<ChurnModelJSON>;
  if (json.format !== FORMAT || json.version !== VERSION || !Array.isArray(json.featureKeys)) {
    throw new EngineError('bad_input', `流失模型 #${id} 的格式不受支持，请重新训练模型`);
  }
  const unknown = json.featureKeys.filter((key) => !(FEATURE_KEYS as readonly string[]).includes(key));
  if (unknown.length > 0) throw new EngineError('bad_input', `流失模型 #${id} 使用了当前版本没有的特征（${unknown.join('、')}），请重新训练模型`);
  let forest: RandomForestClassifier;
  try {
    forest = RandomForestClassifier.load(json.forest);
  } catch (error) {
    throw new EngineError('bad_input', `流失模型 #${id} 无法读取，请重新训练模型`, (error as Error).message);
  }
  if (forest.nFeatures !== json.featureKeys.length) throw new EngineError('bad_input', `流失模型 #${id} 的特征数与模型不符，请重新训练模型`);
  return { modelId: id, card: cardOf(id, row.metrics_json), featureKeys: json.featureKeys, forest, forestJson: json.forest as ForestJSON };
}
