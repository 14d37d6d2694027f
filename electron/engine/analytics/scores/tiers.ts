/**
 * Value tiers (价值分层, DESIGN.md §4) by 3-month average AUM against settings.tiers, lower bounds
 * inclusive: 大众 below `affluent`, 金卡 from `affluent`, 财富 from `wealth`, 私行 from `private`. A customer
 * without balances in the 3 months (NaN) is 无记录 (no_record), not 大众: nothing says his assets are
 * small, and the lifecycle does not judge him on a stale AUM either (lifecycle.ts). Every customer gets
 * exactly one tier code. The same function tiers the migration matrix, so a run and the matrix never
 * disagree.
 */
import { NO_RECORD_TIER, type TierCode } from '../../../../shared/analytics';
import type { Settings } from '../../../../shared/settings';
import { EngineError } from '../../errors';

export function tierOf(aumAvg3m: number | null, thresholds: Settings['tiers']): TierCode {
  if (aumAvg3m === null || aumAvg3m !== aumAvg3m) return NO_RECORD_TIER;
  if (aumAvg3m >= thresholds.private) return 'private';
  if (aumAvg3m >= thresholds.wealth) return 'wealth';
  if (aumAvg3m >= thresholds.affluent) return 'affluent';
  return 'mass';
}

export function computeTiers(aumAvg3m: Float64Array, thresholds: Settings['tiers']): TierCode[] {
  const tiers = new Array<TierCode>(aumAvg3m.length);
  for (let i = 0; i < aumAvg3m.length; i++) tiers[i] = tierOf(aumAvg3m[i] as number, thresholds);
  return tiers;
}

/** The schema accepts each bound alone; tiers only make sense when they rise. */
export function assertTierThresholds(thresholds: Settings['tiers']): void {
  if (!(thresholds.affluent < thresholds.wealth && thresholds.wealth < thresholds.private)) {
    throw new EngineError(
      'bad_input',
      `价值分层门槛需满足 金卡 < 财富 < 私行（当前为 ${thresholds.affluent.toLocaleString('zh-CN')} / ${thresholds.wealth.toLocaleString('zh-CN')} / ${thresholds.private.toLocaleString('zh-CN')} 元），请在“设置”中调整后重新运行`,
    );
  }
}
