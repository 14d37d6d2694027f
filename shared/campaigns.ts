/**
 * Campaigns (营销活动, issue #10): the channels, result shapes and settings of the capability.
 * The engine side lives in electron/engine/campaigns/, the screens in renderer/src/features/campaigns/.
 */
import { z } from 'zod';
import { ruleSchema } from './rules';

export const campaignSettingsSchema = z.strictObject({
  /** Customers contacted within this many days by any campaign or interaction are left out. */
  fatigueDays: z.number().int().min(0).default(30),
  /** The per-campaign holdout, as a share of the eligible audience. */
  controlShare: z.number().min(0).max(0.5).default(0.1),
});

/**
 * Where a campaign's audience comes from: any source the workbench has. Screens that offer
 * "加入营销活动" (the churn risk list, product matching, a community activity, a segment, …) hand one of these
 * to the campaign wizard (renderer/src/stores/campaign-handoff.ts); the CLI builds them from its flags.
 */
export const audienceSourceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('rule'), rule: ruleSchema }),
  z.strictObject({ kind: z.literal('segment'), segmentId: z.number().int().positive() }),
  z.strictObject({ kind: z.literal('tag'), tagId: z.string().min(1).max(100) }),
  z.strictObject({ kind: z.literal('churn'), bands: z.array(z.enum(['high', 'medium', 'low'])).min(1).max(3) }),
  /** The customers product matching recommends this product to (its latest scoring run). */
  z.strictObject({ kind: z.literal('product'), productId: z.string().min(1).max(100), top: z.number().int().min(1).max(1_000_000).optional() }),
  z.strictObject({ kind: z.literal('community'), communityId: z.string().min(1).max(100) }),
  /** An explicit selection (rows ticked on a list). */
  z.strictObject({ kind: z.literal('customers'), customerIds: z.array(z.string().min(1).max(100)).min(1).max(200_000) }),
]);
export type AudienceSource = z.infer<typeof audienceSourceSchema>;

export const campaignChannels = {} as const;
