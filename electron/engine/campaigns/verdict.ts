/**
 * An uplift and its interval in the words an analyst puts in a report:
 * “转化率比对照组高 4.2 个百分点（95% 置信区间 1.1 至 7.3），效果显著”.
 */
import type { UpliftResult } from '../../../shared/campaigns';
import { newcombeInterval } from './proportions';

/** Percentage points with one decimal, halves rounded away from zero (1.45 → 1.5, as a reader rounds). */
const points = (share: number) => (Math.sign(share) * Math.round(Math.abs(share) * 1000 + 1e-9) / 10).toFixed(1);

/** Compares rate x1/n1 with x2/n2; `measure` is 转化率 or 响应率, `against` 对照组 or 方案 B. */
export function compareRates(x1: number, n1: number, x2: number, n2: number, measure: string, against: string): UpliftResult {
  const uplift = x1 / n1 - x2 / n2;
  const { low, high } = newcombeInterval(x1, n1, x2, n2);
  const ci95: [number, number] = [low, high];
  const interval = `（95% 置信区间 ${points(low)} 至 ${points(high)}）`;
  const direction = uplift >= 0 ? '高' : '低';
  const gap = `${measure}比${against}${direction} ${points(Math.abs(uplift))} 个百分点${interval}`;
  if (low > 0) return { uplift, ci95, significant: true, verdict: `${gap}，效果显著` };
  if (high < 0) return { uplift, ci95, significant: true, verdict: `${gap}，显著低于${against}，请检查名单和话术` };
  return { uplift, ci95, significant: false, verdict: `${gap}，区间包含 0，尚不能认定有效果${n1 + n2 < 400 ? '，可扩大名单后再评估' : ''}` };
}
