/**
 * Product-matching forests in the `models` table: kind 'matching_forest', one row per model unit, each
 * tied (run_id) to the 'matching_training' run that trained it. model_json holds the forest with what
 * scoring needs to feed it (the feature keys in column order, the sampling correction); metrics_json the
 * unit's card. The forests of the latest succeeded training run are the ones that score.
 */
import type { CoHoldingRule, FamilyCard, MatchingScoringSummary, MatchingTrainingSummary } from '../../../shared/matching';
import type { Db } from '../db/workspace';
import { EngineError } from '../errors';
import { RandomForestClassifier, type ForestJSON } from '../analytics/forest/index';
import { MATCH_FEATURE_KEYS } from './match-features';

export const MATCH_MODEL_KIND = 'matching_forest';
export const MATCH_TRAINING_KIND = 'matching_training';
/** The scoring run, whose recommendations rows are the ones in use (campaigns read the latest). */
export const MATCH_RUN_KIND = 'matching';
const FORMAT = 'bpw-matching-model';
const VERSION = 1;

export interface MatchModelJSON {
  format: typeof FORMAT;
  version: typeof VERSION;
  unitKey: string;
  featureKeys: string[];
  negativeRate: number;
  forest: ForestJSON;
}

export function toModelJson(unitKey: string, forest: RandomForestClassifier, negativeRate: number): MatchModelJSON {
  return { format: FORMAT, version: VERSION, unitKey, featureKeys: [...MATCH_FEATURE_KEYS], negativeRate, forest: forest.toJSON() };
}

export interface LoadedUnitModel {
  modelId: number;
  unitKey: string;
  negativeRate: number;
  forest: RandomForestClassifier;
}

export interface TrainingRunRef {
  runId: number;
  summary: MatchingTrainingSummary;
}

/** The latest succeeded training run, or null when product matching was never trained. */
export function latestTrainingRun(db: Db): TrainingRunRef | null {
  const row = db
    .prepare("SELECT run_id, metrics_json FROM analysis_runs WHERE kind = ? AND status = 'succeeded' ORDER BY run_id DESC LIMIT 1")
    .get(MATCH_TRAINING_KIND) as { run_id: number; metrics_json: string | null } | undefined;
  if (!row || row.metrics_json === null) return null;
  return { runId: row.run_id, summary: { runId: row.run_id, ...(JSON.parse(row.metrics_json) as Omit<MatchingTrainingSummary, 'runId'>) } };
}

/**
 * The forests `modelIds` of a training run, by unit key; Chinese errors say what to do when one cannot be
 * read. Only the forests asked for are parsed: a large branch has dozens, and scoring needs the ones that
 * serve a product on sale.
 */
export function loadUnitModels(db: Db, trainingRunId: number, modelIds: readonly number[]): Map<string, LoadedUnitModel> {
  const rows = db
    .prepare('SELECT model_id, model_json FROM models WHERE kind = ? AND run_id = ? AND model_id IN (SELECT value FROM json_each(?)) ORDER BY model_id')
    .all(MATCH_MODEL_KIND, trainingRunId, JSON.stringify(modelIds)) as { model_id: number; model_json: string }[];
  if (rows.length !== modelIds.length) throw new EngineError('not_found', '产品匹配模型不完整，请重新训练产品匹配模型');
  const out = new Map<string, LoadedUnitModel>();
  for (const row of rows) {
    const json = JSON.parse(row.model_json) as Partial<MatchModelJSON>;
    if (json.format !== FORMAT || json.version !== VERSION || typeof json.unitKey !== 'string') {
      throw new EngineError('bad_input', `产品匹配模型 #${row.model_id} 的格式不受支持，请重新训练产品匹配模型`);
    }
    if (JSON.stringify(json.featureKeys) !== JSON.stringify(MATCH_FEATURE_KEYS)) {
      throw new EngineError('bad_input', `产品匹配模型 #${row.model_id} 使用的特征与当前版本不同，请重新训练产品匹配模型`);
    }
    let forest: RandomForestClassifier;
    try {
      forest = RandomForestClassifier.load(json.forest);
    } catch (error) {
      throw new EngineError('bad_input', `产品匹配模型 #${row.model_id} 无法读取，请重新训练产品匹配模型`, (error as Error).message);
    }
    out.set(json.unitKey, { modelId: row.model_id, unitKey: json.unitKey, negativeRate: json.negativeRate ?? 1, forest });
  }
  return out;
}

/** The family cards of a run as stored, keyed by unit. */
export function cardsByUnit(summary: MatchingTrainingSummary): Map<string, FamilyCard> {
  return new Map(summary.families.map((card) => [card.unitKey, card]));
}

export interface ScoringRunRef {
  runId: number;
  asOf: string;
  analysisRunId: number;
  trainingRunId: number;
  summary: MatchingScoringSummary;
  coHolding: CoHoldingRule[];
}

/**
 * The matching run in use: the latest succeeded analysis_runs row of kind 'matching' (its recommendations
 * are the only ones kept). Campaigns read a product audience from it the same way.
 */
export function latestScoringRun(db: Db): ScoringRunRef | null {
  const row = db
    .prepare("SELECT run_id, as_of, params_json, metrics_json FROM analysis_runs WHERE kind = ? AND status = 'succeeded' ORDER BY run_id DESC LIMIT 1")
    .get(MATCH_RUN_KIND) as { run_id: number; as_of: string; params_json: string; metrics_json: string | null } | undefined;
  if (!row || row.metrics_json === null) return null;
  const params = JSON.parse(row.params_json) as { analysisRunId: number; trainingRunId: number };
  const { coHolding, ...summary } = JSON.parse(row.metrics_json) as Omit<MatchingScoringSummary, 'runId'> & { coHolding?: CoHoldingRule[] };
  return { runId: row.run_id, asOf: row.as_of, analysisRunId: params.analysisRunId, trainingRunId: params.trainingRunId, summary: { runId: row.run_id, ...summary }, coHolding: coHolding ?? [] };
}
