/**
 * Community marketing (社区营销, issue #12): the channels, request schemas and settings of the capability.
 * Result shapes are in community-types.ts, the rule table of suggested activities in community-rules.ts.
 * The engine side lives in electron/engine/community/, the screens in renderer/src/features/community/.
 */
import { z } from 'zod';
import { jobChannel, queryChannel } from './channel-def';
import { activityRuleSchema, CAMPAIGN_GOALS, DEFAULT_ACTIVITY_RULES } from './community-rules';
import type {
  ActivityPlan,
  CommunityActivity,
  CommunityPortrait,
  CommunityRanking,
  CommunityRollupRow,
} from './community-types';
import { ACTIVITY_STATUSES } from './community-types';
import { ruleSchema } from './rules';

/**
 * Every threshold of the capability with its default (docs/community.md explains each). Occupations are
 * lists of the values the branch's customer file uses, because banks code occupations differently.
 */
export const communitySettingsSchema = z.strictObject({
  /** New and lost customers are counted over this many months up to the as-of month. */
  periodMonths: z.number().int().min(1).max(12).default(3),
  /** A customer with a customer-initiated transaction within this many days is active. */
  activeDays: z.number().int().min(7).max(365).default(90),
  /** Manager coverage: customers contacted (visit, call, event, campaign) within this many days. */
  contactDays: z.number().int().min(7).max(365).default(90),
  occupations: z
    .strictObject({
      student: z.array(z.string().max(40)).max(30).default(['学生']),
      worker: z.array(z.string().max(40)).max(30).default(['工人', '自由职业']),
      salaried: z.array(z.string().max(40)).max(30).default(['企业职员', '公务员/事业单位', '教师', '医护人员', '工人']),
      soleTrader: z.array(z.string().max(40)).max(30).default(['个体经营']),
    })
    .prefault({}),
  /** Young families: customers of these ages, married where the marital status is known. */
  youngFamilyAges: z.tuple([z.number().int().min(16), z.number().int().max(80)]).default([25, 45]),
  opportunity: z
    .strictObject({
      /** Share of the households not yet banked with us that a year of community work can win. */
      householdReach: z.number().min(0).max(1).default(0.03),
      /** Share of each product gap to the branch average a year of community work can close. */
      gapClosure: z.number().min(0).max(1).default(0.3),
      /**
       * Customers at which the community's own AUM per customer and the house-price estimate weigh the same
       * in the expected AUM of a new household (credibility weighting: n ÷ (n + this)).
       */
      credibilityCustomers: z.number().min(0).max(100_000).default(50),
      /** Weights of the three components; 0 leaves a component out. */
      householdsWeight: z.number().min(0).max(10).default(1),
      gapsWeight: z.number().min(0).max(10).default(1),
      churnWeight: z.number().min(0).max(10).default(1),
    })
    .prefault({}),
  planning: z
    .strictObject({
      /** Community activities one manager can run in a month. */
      activitiesPerManager: z.number().int().min(1).max(20).default(2),
      /** No community gets another activity within this many days of its last one. */
      minGapDays: z.number().int().min(0).max(365).default(45),
      /** At most this many activities in a month for the branch (0: no limit beyond the managers'). */
      maxPerMonth: z.number().int().min(0).max(500).default(0),
      /** Days of the week activities go on: 0 Sunday … 6 Saturday. Community events are mostly weekends. */
      weekdays: z.array(z.number().int().min(0).max(6)).min(1).max(7).default([6, 0]),
      /** Sign-ups, new accounts and AUM are measured over this many days after an activity. */
      evaluationDays: z.number().int().min(7).max(180).default(30),
    })
    .prefault({}),
  activityRules: z.array(activityRuleSchema).max(60).default(() => DEFAULT_ACTIVITY_RULES.map((rule) => structuredClone(rule))),
});
export type CommunitySettings = z.infer<typeof communitySettingsSchema>;

const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份应为 YYYY-MM，例如 2026-10');
const dateSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, '日期应为 YYYY-MM-DD，例如 2026-11-14');
const idSchema = z.string().trim().min(1).max(100);
const empty = z.strictObject({});

export interface CommunityAnalyzeResult {
  runId: number;
  month: string;
  asOf: string;
  communities: number;
  customers: number;
  historyAdded: number;
  seconds: number;
}

export const activityInputSchema = z.strictObject({
  /** Absent: a new activity. */
  activityId: z.number().int().positive().optional(),
  communityId: idSchema,
  kind: z.string().trim().min(1, '请填写活动名称').max(40),
  ruleId: z.string().max(40).nullable().optional(),
  date: dateSchema,
  managerId: z.string().max(100).nullable().optional(),
  status: z.enum(ACTIVITY_STATUSES).default('planned'),
  reason: z.string().max(500).nullable().optional(),
  audience: ruleSchema.nullable().optional(),
  targetSize: z.number().int().min(0).nullable().optional(),
  budget: z.number().min(0).max(10_000_000).nullable().optional(),
  goalSignups: z.number().int().min(0).nullable().optional(),
  goalNewAccounts: z.number().int().min(0).nullable().optional(),
  goalAum: z.number().min(0).nullable().optional(),
  goalType: z.enum(CAMPAIGN_GOALS).nullable().optional(),
  campaignId: z.string().max(100).nullable().optional(),
});
export type ActivityInput = z.infer<typeof activityInputSchema>;

export const communityChannels = {
  /** Takes the snapshot the screens read: every community, grid and manager as of a month. */
  'community.analyze': jobChannel<CommunityAnalyzeResult>()(z.strictObject({ month: monthSchema.optional() })),
  /** Every community of the latest snapshot, ranked by opportunity, with components and suggestions. */
  'community.rank': queryChannel<CommunityRanking | null>()(z.strictObject({ runId: z.number().int().positive().optional() })),
  'community.portrait': queryChannel<CommunityPortrait>()(z.strictObject({ communityId: idSchema, runId: z.number().int().positive().optional() })),
  'community.rollup': queryChannel<CommunityRollupRow[]>()(z.strictObject({ scope: z.enum(['grid', 'manager']), month: monthSchema.optional() })),
  'community.activities': queryChannel<CommunityActivity[]>()(
    z.strictObject({ month: monthSchema.optional(), communityId: idSchema.optional(), limit: z.number().int().min(1).max(2000).default(500) }),
  ),
  /** Next month's plan, ranked by opportunity within each manager's capacity; `save` writes it to the register. */
  'community.plan': jobChannel<ActivityPlan>()(z.strictObject({ month: monthSchema, save: z.boolean().default(false) })),
  'community.saveActivity': queryChannel<CommunityActivity>()(activityInputSchema),
  'community.deleteActivity': queryChannel<null>()(z.strictObject({ activityId: z.number().int().positive() })),
  /** Campaigns an activity can be linked to. */
  'community.campaigns': queryChannel<{ campaignId: string; name: string; status: string }[]>()(empty),
} as const;
