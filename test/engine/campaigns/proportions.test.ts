/**
 * Newcombe's hybrid score interval for a difference of two proportions: against statsmodels on fixed
 * counts, and by coverage in a seeded simulation with a known true uplift.
 */
import { describe, expect, it } from 'vitest';
import { Random } from '../../../shared/random';
import { newcombeInterval, wilsonInterval } from '../../../electron/engine/campaigns/proportions';
import { compareRates } from '../../../electron/engine/campaigns/verdict';

/**
 * [x1, n1, x2, n2, low, high], computed once with statsmodels 0.13.5 (Debian's python3-statsmodels):
 *
 *   from statsmodels.stats.proportion import confint_proportions_2indep
 *   for x1, n1, x2, n2 in cases:
 *       lo, hi = confint_proportions_2indep(x1, n1, x2, n2, method='newcomb', compare='diff', alpha=0.05)
 *       print(f"[{x1}, {n1}, {x2}, {n2}, {lo!r}, {hi!r}],")
 */
const STATSMODELS: readonly [number, number, number, number, number, number][] = [
  [84, 900, 6, 100, -0.03370931759602992, 0.07166339580827019],
  [120, 1000, 90, 1000, 0.0030960486785798005, 0.057009571192658454],
  [5, 50, 0, 10, -0.18323037292947494, 0.21360231437479657],
  [0, 30, 0, 30, -0.1135133931739688, 0.1135133931739688],
  [30, 30, 12, 40, 0.5084436414453992, 0.8192515477025346],
  [1, 2000, 3, 200, -0.04266873802435885, -0.00434408627855924],
  [512, 4321, 41, 480, 0.0031786195135847135, 0.0570758676176781],
  [7, 7, 0, 7, 0.49890109316713127, 1.0000000000000002],
];

describe("Newcombe's hybrid score interval", () => {
  it.each(STATSMODELS)('matches statsmodels for %i/%i against %i/%i to 1e-6', (x1, n1, x2, n2, low, high) => {
    const ci = newcombeInterval(x1, n1, x2, n2);
    expect(Math.abs(ci.low - low)).toBeLessThan(1e-6);
    expect(Math.abs(ci.high - high)).toBeLessThan(1e-6);
  });

  it('builds on the Wilson interval, which stays inside [0, 1] even at 0 of n', () => {
    const w = wilsonInterval(0, 30);
    expect(w.low).toBeCloseTo(0, 12);
    expect(w.high).toBeGreaterThan(0.1);
    expect(w.high).toBeLessThan(0.12);
  });

  it('contains the true uplift in at least 90% of 200 seeded simulated campaigns', () => {
    const random = new Random(20261206);
    const truth = { control: 0.08, uplift: 0.04 };
    let covered = 0;
    for (let rep = 0; rep < 200; rep++) {
      const nTarget = 1800;
      const nControl = 200;
      let xTarget = 0;
      let xControl = 0;
      for (let i = 0; i < nTarget; i++) if (random.bernoulli(truth.control + truth.uplift)) xTarget++;
      for (let i = 0; i < nControl; i++) if (random.bernoulli(truth.control)) xControl++;
      const ci = newcombeInterval(xTarget, nTarget, xControl, nControl);
      if (ci.low <= truth.uplift && truth.uplift <= ci.high) covered++;
    }
    expect(covered / 200).toBeGreaterThanOrEqual(0.9);
  });

  it('says in words whether the uplift is significant', () => {
    expect(compareRates(120, 1000, 90, 1000, '转化率', '对照组').verdict).toBe('转化率比对照组高 3.0 个百分点（95% 置信区间 0.3 至 5.7），效果显著');
    const unclear = compareRates(84, 900, 6, 100, '转化率', '对照组');
    expect(unclear.significant).toBe(false);
    expect(unclear.verdict).toContain('区间包含 0，尚不能认定有效果');
    const worse = compareRates(1, 2000, 3, 200, '转化率', '对照组');
    expect(worse.significant).toBe(true);
    expect(worse.verdict).toContain('比对照组低 1.5 个百分点');
  });
});
