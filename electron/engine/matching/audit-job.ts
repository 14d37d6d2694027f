/**
 * `matching.audit`: the suitability audit of the latest matching run, re-run on the workspace as it is now
 * (a customer re-assessed, a product taken off sale since the scoring), and kept with the run so that the
 * screen shows the latest check.
 */
import type { SuitabilityAudit } from '../../../shared/matching';
import type { JobContext } from '../context';
import { EngineError } from '../errors';
import { readSettings } from '../settings-store';
import { auditRecommendations } from './audit';
import { latestScoringRun } from './model-store';

export function auditLatestRun(ctx: JobContext): SuitabilityAudit {
  const db = ctx.db();
  const run = latestScoringRun(db);
  if (!run) throw new EngineError('not_found', '还没有产品匹配结果，请先训练并运行产品匹配');
  ctx.progress('适当性检查', 0, 1);
  const audit = auditRecommendations(db, run.runId, run.asOf, readSettings(db));
  const stored = { ...run.summary, unsuitable: audit.unsuitable, audit, coHolding: run.coHolding } as Record<string, unknown>;
  delete stored.runId;
  db.prepare('UPDATE analysis_runs SET metrics_json = ? WHERE run_id = ?').run(JSON.stringify(stored), run.runId);
  ctx.progress('适当性检查', 1, 1);
  return audit;
}
