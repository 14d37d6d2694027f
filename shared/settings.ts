/**
 * Every threshold of DESIGN.md §4, with its default. Settings live in the workspace's `settings` table,
 * are editable in the UI, and each analysis run records the values it used.
 */
import { z } from 'zod';

export const settingsSchema = z.strictObject({
  locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
  /** PII is masked unless this is turned off; unmasking a single customer still needs a reason. */
  maskPii: z.boolean().default(true),
  tiers: z
    .strictObject({
      /** Lower bounds in 元 of 3-month average AUM: 金卡, 财富, 私行. */
      affluent: z.number().positive().default(50_000),
      wealth: z.number().positive().default(500_000),
      private: z.number().positive().default(6_000_000),
    })
    .default({ affluent: 50_000, wealth: 500_000, private: 6_000_000 }),
  rfm: z
    .strictObject({
      monetary: z.enum(['aum_avg_3m', 'inflow_12m']).default('aum_avg_3m'),
      frequencyMonths: z.number().int().min(1).max(36).default(12),
    })
    .default({ monetary: 'aum_avg_3m', frequencyMonths: 12 }),
  lifecycle: z
    .strictObject({
      newMonths: z.number().int().min(1).default(6),
      growthPct: z.number().min(0).default(20),
      declineFromPeakPct: z.number().min(0).max(100).default(30),
      activityDropPct: z.number().min(0).max(100).default(50),
      dormantDays: z.number().int().min(1).default(180),
      churnAumBelow: z.number().min(0).default(1_000),
      churnAumWasAbove: z.number().min(0).default(50_000),
    })
    .default({ newMonths: 6, growthPct: 20, declineFromPeakPct: 30, activityDropPct: 50, dormantDays: 180, churnAumBelow: 1_000, churnAumWasAbove: 50_000 }),
  churn: z
    .strictObject({
      horizonMonths: z.number().int().min(1).max(12).default(3),
      aumLossPct: z.number().min(0).max(100).default(50),
      highBand: z.number().min(0).max(1).default(0.5),
      mediumBand: z.number().min(0).max(1).default(0.2),
    })
    .default({ horizonMonths: 3, aumLossPct: 50, highBand: 0.5, mediumBand: 0.2 }),
  suitability: z
    .strictObject({
      riskAssessmentValidMonths: z.number().int().min(1).default(12),
    })
    .default({ riskAssessmentValidMonths: 12 }),
  campaigns: z
    .strictObject({
      fatigueDays: z.number().int().min(0).default(30),
      controlShare: z.number().min(0).max(0.5).default(0.1),
    })
    .default({ fatigueDays: 30, controlShare: 0.1 }),
});

export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({});

/** Merges stored values over the defaults; values that no longer validate fall back to the default. */
export function resolveSettings(stored: Record<string, unknown>): Settings {
  const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const [key, value] of Object.entries(stored)) {
    if (!(key in DEFAULT_SETTINGS)) continue;
    const candidate = settingsSchema.safeParse({ ...merged, [key]: value });
    if (candidate.success) merged[key] = (candidate.data as Record<string, unknown>)[key];
  }
  return settingsSchema.parse(merged);
}
