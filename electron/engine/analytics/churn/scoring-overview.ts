/**
 * The latest scoring at a glance (churn.summary): customers scored per 流失风险 band, customers left out as
 * already lost (已流失 / 可挽回), the AUM at risk and the expected loss, and the thresholds it used. Read from
 * the 'churn_score' run score.ts recorded, so the answer costs one row whatever the size of the branch.
 *
 * `stale` says the scoring should be run again: it predates the population rule (it scored customers
 * already lost and recorded no exclusions), or the band thresholds in the settings have changed since.
 */
import type { ChurnOverview } from '../../../../shared/churn';
import type { Db } from '../../db/workspace';
import { readSettings } from '../../settings-store';
import { latestScoredRun } from './scored-run';

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

export function churnOverview(db: Db): ChurnOverview | null {
  const scored = latestScoredRun(db);
  if (!scored) return null;
  const m = scored.metrics as { scored?: unknown; counts?: Record<string, unknown>; excluded?: Record<string, unknown>; aumAtRisk?: unknown; expectedLoss?: unknown };
  const bands = (scored.params as { bands?: { high?: unknown; medium?: unknown } }).bands;
  const settings = readSettings(db).churn;
  const counts = { high: num(m.counts?.high), medium: num(m.counts?.medium), low: num(m.counts?.low) };
  const used = { high: typeof bands?.high === 'number' ? bands.high : settings.highBand, medium: typeof bands?.medium === 'number' ? bands.medium : settings.mediumBand };
  const legacy = m.excluded === undefined || bands === undefined;
  return {
    modelId: scored.modelId,
    asOf: scored.asOf,
    scored: m.scored === undefined ? counts.high + counts.medium + counts.low : num(m.scored),
    counts,
    lost: { gone: num(m.excluded?.churned), recoverable: num(m.excluded?.dormant) },
    aumAtRisk: num(m.aumAtRisk),
    expectedLoss: num(m.expectedLoss),
    bands: used,
    stale: legacy || used.high !== settings.highBand || used.medium !== settings.mediumBand,
  };
}
