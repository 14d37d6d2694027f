/**
 * Import and data quality (issues #13 §3, #14, #15 §1): the settings of the importer's plausibility checks
 * and of the data-quality traffic lights. The engine side lives in electron/engine/import/ and
 * electron/engine/quality/, the screens in renderer/src/features/import/ and renderer/src/features/quality/.
 */
import { z } from 'zod';

const boundSchema = z.strictObject({ min: z.number().optional(), max: z.number().optional() });
export type PlausibleBound = z.infer<typeof boundSchema>;

/**
 * Values an import reports as implausible, per `entity.field`, in the field's stored unit (元 for money).
 * They catch unit mistakes (分 for 元) and garbage such as 1e300, not real outliers, so they are wide: no
 * retail customer of a branch holds 100 亿元, no single transfer moves 10 亿元, no flat costs 50 万元/㎡.
 */
export const DEFAULT_PLAUSIBLE_BOUNDS: Readonly<Record<string, PlausibleBound>> = {
  'balances.aum': { max: 1e10 },
  'balances.deposit': { max: 1e10 },
  'balances.wealth': { max: 1e10 },
  'balances.loan': { max: 1e10 },
  'holdings.balance': { min: -1e10, max: 1e10 },
  'transactions.amount': { min: -1e9, max: 1e9 },
  'products.min_amount': { max: 1e9 },
  'campaign_responses.amount': { min: 0, max: 1e10 },
  'communities.avg_house_price': { max: 500_000 },
  'communities.households': { max: 5_000_000 },
  'communities.population': { max: 20_000_000 },
  'interactions.score': { min: 0, max: 100 },
};

export const importSettingsSchema = z.strictObject({
  /** Plausible value ranges per `entity.field`; a value outside is a row error naming the bound. */
  bounds: z.record(z.string().max(100), boundSchema).default({ ...DEFAULT_PLAUSIBLE_BOUNDS }),
  /**
   * Days after the import day a date may lie (0: none). Dates and months later than that are refused with
   * the row named, so a typo such as 2030-01 cannot become the workspace's as-of date.
   */
  futureToleranceDays: z.number().int().min(0).max(366).default(0),
});
export type ImportSettings = z.infer<typeof importSettingsSchema>;

export const qualitySettingsSchema = z.strictObject({
  /** Completeness and validity at or above this share show green (良好). */
  green: z.number().min(0).max(1).default(0.98),
  /** At or above this share, amber (需关注); below it, red (需处理). */
  amber: z.number().min(0).max(1).default(0.9),
  /**
   * Share of customers without a 风险承受等级 above which the report raises a business problem: without an
   * assessment a customer may only be offered R1 products (适当性).
   */
  riskLevelMissingMax: z.number().min(0).max(1).default(0.05),
  /**
   * 流入与余额不符, over the last 12 balance months: a customer is flagged when the net of the period's
   * transactions and the change of the monthly average balance differ by more than this many 元 …
   */
  flowMismatchMinAmount: z.number().min(0).default(50_000),
  /**
   * … and by more than this share of the period's money moved (inflow + outflow). Monthly averages lag the
   * flows of the first and last month, so small gaps are expected.
   */
  flowMismatchShare: z.number().min(0).max(1).default(0.5),
});
export type QualitySettings = z.infer<typeof qualitySettingsSchema>;

/** Traffic light of a share (completeness, validity) against the thresholds. */
export type QualityLevel = 'green' | 'amber' | 'red';

export function qualityLevel(share: number | null, thresholds: Pick<QualitySettings, 'green' | 'amber'>): QualityLevel | null {
  if (share === null || !Number.isFinite(share)) return null;
  if (share >= thresholds.green) return 'green';
  if (share >= thresholds.amber) return 'amber';
  return 'red';
}
