/**
 * Every threshold of DESIGN.md §4, with its default. Settings live in the workspace's `settings` table,
 * are editable in the UI, and each analysis run records the values it used.
 */
import { z } from 'zod';
import { groupPortraitSettingsSchema, RFM_SPLITS, segmentSettingsSchema, tagSettingsSchema } from './analysis-settings';
import { campaignSettingsSchema } from './campaigns';
import { churnSettingsSchema } from './churn';
import { communitySettingsSchema } from './community';
import { PRODUCT_CATEGORIES, type ProductCategory } from './dictionary';
import { importSettingsSchema, qualitySettingsSchema } from './import';
import { matchingSettingsSchema, suitabilitySettingsSchema } from './matching';
import { reportSettingsSchema } from './reports';
import { securitySettingsSchema } from './security';

/**
 * Default annual margin per 元 of balance, by product family. Deposits earn the bank its net interest
 * margin, wealth, funds and insurance a distribution fee, loans their spread over funding. Indicative
 * figures of a Chinese retail bank; each branch sets its own in 设置.
 */
export const DEFAULT_MARGIN_RATES: Readonly<Record<ProductCategory, number>> = {
  demand_deposit: 0.018,
  time_deposit: 0.006,
  wealth: 0.005,
  fund: 0.008,
  insurance: 0.02,
  precious_metal: 0.004,
  pension: 0.004,
  payroll: 0.01,
  mobile_banking: 0,
  credit_card: 0.03,
  consumer_loan: 0.025,
  mortgage: 0.008,
  business_loan: 0.02,
};

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
      /** Each measure is high above its own mean of the raw values (DESIGN.md §4), or its median, or the mean score. */
      split: z.enum(RFM_SPLITS).default('raw_mean'),
    })
    .prefault({}),
  lifecycle: z
    .strictObject({
      newMonths: z.number().int().min(1).default(6),
      growthPct: z.number().min(0).default(20),
      declineFromPeakPct: z.number().min(0).max(100).default(30),
      activityDropPct: z.number().min(0).max(100).default(50),
      /** 衰退 by activity needs at least this many customer-initiated transactions in the earlier 90 days (1 → 0 is no decline). */
      declineMinPriorTxns: z.number().int().min(1).default(4),
      /** 衰退 by AUM needs a prior 6-month peak of at least this, in 元. */
      declineMinPeakAum: z.number().min(0).default(10_000),
      dormantDays: z.number().int().min(1).default(180),
      churnAumBelow: z.number().min(0).default(1_000),
      churnAumWasAbove: z.number().min(0).default(50_000),
    })
    .prefault({}),
  churn: churnSettingsSchema.prefault({}),
  tags: tagSettingsSchema.prefault({}),
  segments: segmentSettingsSchema.prefault({}),
  groupPortrait: groupPortraitSettingsSchema.prefault({}),
  suitability: suitabilitySettingsSchema.prefault({}),
  /**
   * What a customer is worth to the branch (DESIGN.md §4, seed 001): annual margin per 元 of balance by
   * product family (deposits by net interest margin, wealth and funds by fee rate, loans by spread), the
   * discount rate and horizon of CLV. Product matching, the branch overview, reports and community
   * opportunity scores all read these, so a branch sets them once.
   */
  value: z
    .strictObject({
      marginRates: z.record(z.enum(PRODUCT_CATEGORIES), z.number().min(-0.5).max(0.5)).default({ ...DEFAULT_MARGIN_RATES }),
      /** Margin on AUM not attributed to a product family (balances.aum without a holding breakdown). */
      aumMarginRate: z.number().min(-0.5).max(0.5).default(0.01),
      discountRate: z.number().min(0).max(0.5).default(0.06),
      clvHorizonYears: z.number().int().min(1).max(30).default(5),
    })
    .prefault({}),
  matching: matchingSettingsSchema.prefault({}),
  campaigns: campaignSettingsSchema.prefault({}),
  community: communitySettingsSchema.prefault({}),
  reports: reportSettingsSchema.prefault({}),
  security: securitySettingsSchema.prefault({}),
  import: importSettingsSchema.prefault({}),
  quality: qualitySettingsSchema.prefault({}),
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
