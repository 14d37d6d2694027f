/**
 * Churn warning (流失预警, issue #13 §1 and #14): the settings of the capability, the channels added to those
 * of shared/api.ts (churn.summary, churn.lostList), the shapes they answer with, and the model card's plain
 * verdict, which the screen and the CLI word alike.
 *
 * Populations. The model learns from customers who were neither 流失 nor 沉睡 at the feature date, so it
 * scores only customers who are neither at the scoring date. Customers already lost are listed apart for
 * win-back: 已流失 (lifecycle 流失: every account closed, or the assets moved out) and 可挽回 (lifecycle 沉睡:
 * accounts and assets still there, but no customer-initiated transaction for half a year).
 */
import { z } from 'zod';
import type { ModelCard, ValueTier } from './analytics';
import { queryChannel } from './channel-def';
import { formatShare } from './glossary';

export const churnSettingsSchema = z.strictObject({
  /** Months ahead the model predicts (the label window). */
  horizonMonths: z.number().int().min(1).max(12).default(3),
  /** A fall of the 3-month average AUM by at least this percentage counts as churn in the label. */
  aumLossPct: z.number().min(0).max(100).default(50),
  /**
   * 流失风险 高 from this probability on (a share, shown as a percentage everywhere): the risk list's band,
   * the 流失风险 tag and the model card's cut-off are this one number.
   */
  highBand: z.number().min(0).max(1).default(0.5),
  /** 流失风险 中 from this probability on, up to highBand; below it 低. */
  mediumBand: z.number().min(0).max(1).default(0.2),
  /**
   * A reason is shown only when it raises the customer's probability by at least this much (a share of
   * probability: 0.02 = 2 个百分点). Smaller effects are noise to a relationship manager.
   */
  minReasonContribution: z.number().min(0).max(1).default(0.02),
  /** Below this many churners in the hold-out sample the card says its figures are only indicative. */
  minTestChurners: z.number().int().min(1).max(100_000).default(30),
});

export type ChurnSettings = z.infer<typeof churnSettingsSchema>;

/** The lifecycle stages of customers already lost; they are neither trained on nor scored. */
export const LOST_STAGES = ['churned', 'dormant'] as const;
export type LostStage = (typeof LOST_STAGES)[number];

/** 已流失 (lifecycle 流失) and 可挽回 (lifecycle 沉睡). */
export const LOST_GROUPS = ['gone', 'recoverable'] as const;
export type LostGroup = (typeof LOST_GROUPS)[number];
export const LOST_GROUP_OF_STAGE: Readonly<Record<LostStage, LostGroup>> = { churned: 'gone', dormant: 'recoverable' };
export const LOST_GROUP_LABELS: Readonly<Record<LostGroup, string>> = { gone: '已流失', recoverable: '可挽回' };

/** One reason of a customer's churn risk, worded as the risk it is, with what to do about it. */
export interface ChurnReason {
  text: string;
  action: string;
}

/** The latest scoring, for the risk list's cards and the CLI. */
export interface ChurnOverview {
  modelId: number;
  /** The as-of date of the scored customer analysis. */
  asOf: string | null;
  /** Customers scored: those not already lost. */
  scored: number;
  counts: { high: number; medium: number; low: number };
  /** Customers already lost at the as-of date, left out of the warning. */
  lost: Record<LostGroup, number>;
  /** Σ 3-month average AUM (元) of the 流失风险 高 customers. */
  aumAtRisk: number;
  /** Σ probability × 3-month average AUM (元) over every scored customer. */
  expectedLoss: number;
  /** The band thresholds the scoring used (shares). */
  bands: { high: number; medium: number };
  /** The scoring predates the current population rules or thresholds: score again to refresh. */
  stale: boolean;
}

export interface LostRow {
  customer_id: string;
  name: string | null;
  stage: LostStage;
  group: LostGroup;
  value_tier: ValueTier | null;
  community_name: string | null;
  manager_name: string | null;
  /** 3-month and 12-month average AUM (元) at the as-of date. */
  aum_avg_3m: number | null;
  aum_avg_12m: number | null;
  days_since_last_active_txn: number | null;
  reason: string;
  action: string;
}

/** What the portrait shows for a customer left out of the warning because already lost. */
export interface LostNote {
  lost: true;
  stage: LostStage;
  group: LostGroup;
  reason: string;
  action: string;
}

export const lostListRequestSchema = z.strictObject({
  group: z.enum(LOST_GROUPS).optional(),
  /** Key of the last row of the previous page: its 12-month average AUM (null when unknown) and id. */
  after: z.strictObject({ value: z.union([z.number(), z.null()]), id: z.string().max(100) }).optional(),
  limit: z.number().int().min(1).max(1000).default(200),
});

export const churnChannels = {
  'churn.summary': queryChannel<ChurnOverview | null>()(z.strictObject({})),
  'churn.lostList': queryChannel<{ rows: LostRow[]; next: { value: number | null; id: string } | null; total: number }>()(lostListRequestSchema),
} as const;

/** A share as a whole or one-decimal percentage for thresholds: 0.13 → "13%", 0.125 → "12.5%". */
export function formatThreshold(share: number): string {
  const pct = Math.round(share * 1000) / 10;
  return `${Number.isInteger(pct) ? pct.toFixed(0) : pct.toFixed(1)}%`;
}

/** The model card's verdict in the branch's terms, and whether its evidence is thin. */
export interface ModelVerdict {
  /** 名单前10%覆盖85.7%的流失客户 (one decimal, as every percentage: shared/glossary.ts) */
  headline: string;
  /** 检验样本仅 14 位流失客户，结论仅供参考 (or how many it rests on). */
  evidence: string;
  /** 区分能力：强 / 中等 / 弱 (by ROC AUC: ≥ 0.8, ≥ 0.7, below). */
  strength: 'strong' | 'fair' | 'weak';
  thin: boolean;
  testChurners: number;
}

export const STRENGTH_LABELS: Readonly<Record<ModelVerdict['strength'], string>> = { strong: '强', fair: '中等', weak: '弱' };

export function modelVerdict(card: Pick<ModelCard, 'lift' | 'thresholds' | 'metrics'>, minTestChurners: number): ModelVerdict {
  const top = [...card.lift].sort((a, b) => a.decile - b.decile)[0];
  const row = card.thresholds[0];
  const testChurners = row ? row.tp + row.fn : 0;
  const capture = formatShare(top ? top.captureRate : 0);
  const thin = testChurners < minTestChurners;
  const auc = card.metrics.rocAuc;
  return {
    headline: `按流失概率排序，名单前10%覆盖${capture}的流失客户`,
    evidence: thin ? `检验样本仅 ${testChurners} 位流失客户，结论仅供参考` : `检验样本中有 ${testChurners} 位流失客户，结论较为可靠`,
    strength: auc >= 0.8 ? 'strong' : auc >= 0.7 ? 'fair' : 'weak',
    thin,
    testChurners,
  };
}
