/**
 * Campaigns (营销活动, issue #10): the channels, result shapes and settings of the capability.
 * The engine side lives in electron/engine/campaigns/, the screens in renderer/src/features/campaigns/.
 *
 * The closed loop: audience (any source) → exclusions, counted as a waterfall → a universal control group
 * and a per-campaign holdout → per-manager call lists → responses → evaluation against the control → wave 2.
 */
import { z } from 'zod';
import type { ImportResult } from './api';
import { queryChannel, jobChannel } from './channel-def';
import { ruleSchema } from './rules';

// ---------------------------------------------------------------------------------------------------------
// Vocabulary

export const CAMPAIGN_GOALS = ['open_account', 'buy_product', 'grow_assets', 'activate', 'retain'] as const;
export type CampaignGoal = (typeof CAMPAIGN_GOALS)[number];
export const CAMPAIGN_GOAL_LABELS: Readonly<Record<CampaignGoal, string>> = {
  open_account: '开户',
  buy_product: '购买产品',
  grow_assets: '资产提升',
  activate: '激活',
  retain: '挽留',
};

export const CAMPAIGN_CHANNELS = ['phone', 'sms', 'branch', 'visit', 'community_event'] as const;
export type CampaignChannel = (typeof CAMPAIGN_CHANNELS)[number];
export const CAMPAIGN_CHANNEL_LABELS: Readonly<Record<CampaignChannel, string>> = {
  phone: '电话',
  sms: '短信',
  branch: '网点',
  visit: '上门',
  community_event: '社区活动',
};

/** Who a manager calls first when the list is longer than the cap. */
export const CAMPAIGN_RANKINGS = ['churn_value', 'match_score', 'aum'] as const;
export type CampaignRanking = (typeof CAMPAIGN_RANKINGS)[number];
export const CAMPAIGN_RANKING_LABELS: Readonly<Record<CampaignRanking, string>> = {
  churn_value: '流失概率 × 资产',
  match_score: '产品匹配得分',
  aum: '近3个月日均资产',
};

/**
 * The exclusions, in the order they apply. Each customer is counted once, at the first step that removes
 * them, so the waterfall adds up: audience − Σ excluded = eligible.
 */
export const EXCLUSION_STEPS = [
  'unknown_customer',
  'do_not_contact',
  'no_consent',
  'recent_contact',
  'campaign_fatigue',
  'holds_product',
  'unsuitable',
  'churned',
  'universal_control',
  'other_control',
] as const;
export type ExclusionStep = (typeof EXCLUSION_STEPS)[number];

/** The waterfall's wording; `{days}` and `{max}` come from the campaign's own thresholds. */
export const EXCLUSION_LABELS: Readonly<Record<ExclusionStep, string>> = {
  unknown_customer: '排除客户号不存在',
  do_not_contact: '排除勿扰',
  no_consent: '排除未同意营销',
  recent_contact: '排除 {days} 天内已联系',
  campaign_fatigue: '排除 30 天内已参加 {max} 个活动',
  holds_product: '排除已持有该产品',
  unsuitable: '排除不适当',
  churned: '排除已流失',
  universal_control: '排除全局对照组',
  other_control: '排除其他进行中活动的对照组',
};

export const MEMBER_GROUPS = ['target', 'control'] as const;
export type MemberGroup = (typeof MEMBER_GROUPS)[number];

/**
 * What a campaign's status reads as: planned (名单已生成), exported and its period still ahead or running,
 * ended, or a past campaign known only from imported responses (历史活动).
 */
export const CAMPAIGN_STATUSES = ['planned', 'running', 'ended', 'history'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export const CAMPAIGN_STATUS_LABELS: Readonly<Record<CampaignStatus, string>> = {
  planned: '名单已生成',
  running: '进行中',
  ended: '已结束',
  history: '历史活动',
};

/**
 * The 话术 each goal starts from; the analyst may write their own. {称呼} and {产品} are filled in per
 * customer (张先生, the product's name) when the list is exported.
 */
export const DEFAULT_SCRIPTS: Readonly<Record<CampaignGoal, string>> = {
  open_account: '{称呼}您好，我是您在本行的客户经理。想邀请您开通{产品}，办理只需几分钟，我可以帮您预约网点时间。',
  buy_product: '{称呼}您好，我是您的客户经理。结合您的资产情况，{产品}可能比较适合您，方便的话我给您简单介绍一下？',
  grow_assets: '{称呼}您好，我是您的客户经理。想和您聊聊资金的配置安排，看看有没有收益和流动性更适合您的存款或理财方式。',
  activate: '{称呼}您好，我是您的客户经理。您的账户有一段时间没有使用了，想了解一下有没有需要我们帮忙的地方，也给您介绍一下手机银行的便捷功能。',
  retain: '{称呼}您好，我是您的客户经理。感谢您一直以来对本行的支持，想了解您最近对我们的服务是否满意，有什么可以为您做得更好。',
};

// ---------------------------------------------------------------------------------------------------------
// Settings

const PERIOD_MONTHS = [z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(6), z.literal(12)] as const;

export const campaignSettingsSchema = z.strictObject({
  /** Customers contacted (an interaction or a campaign response) within this many days are left out. */
  fatigueDays: z.number().int().min(0).max(365).default(30),
  /** At most this many campaigns per customer whose start lies within 30 days of each other. */
  maxCampaignsPer30Days: z.number().int().min(1).max(20).default(2),
  /** The per-campaign holdout, as a share of the eligible audience. */
  controlShare: z.number().min(0).max(0.5).default(0.1),
  /** Longest call list per relationship manager (and for the pool of customers without one). */
  perManagerCap: z.number().int().min(1).max(1_000_000).default(200),
  /** Customers whose marketing consent is unknown (blank) are left out unless this says include. */
  unknownConsent: z.enum(['exclude', 'include']).default('exclude'),
  /** The universal control group (全局对照组): share of all customers kept out of every campaign. */
  universalControlShare: z.number().min(0).max(0.2).default(0.05),
  /** How long one draw of the universal control group lasts, in months; periods align to the calendar year. */
  universalControlMonths: z.union(PERIOD_MONTHS).default(3),
  /** A new campaign runs this many days unless its end date is given. */
  defaultDays: z.number().int().min(1).max(366).default(30),
  /** 资产提升 counts as converted when AUM at the end exceeds AUM before the start by this many percent. */
  assetGrowthPct: z.number().min(0).max(1000).default(10),
});
export type CampaignSettings = z.infer<typeof campaignSettingsSchema>;

// ---------------------------------------------------------------------------------------------------------
// Audience

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

const isoDate = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, '日期应为 YYYY-MM-DD 格式');

/** Everything that defines a campaign before its list is drawn; thresholds left out take the settings. */
export const campaignDraftSchema = z
  .strictObject({
    name: z.string().trim().min(1, '请填写活动名称').max(100, '活动名称最多 100 个字'),
    goal: z.enum(CAMPAIGN_GOALS).default('buy_product'),
    productId: z.string().min(1).max(100).optional(),
    channel: z.enum(CAMPAIGN_CHANNELS).default('phone'),
    startsOn: isoDate.optional(),
    endsOn: isoDate.optional(),
    /** 元. */
    budget: z.number().min(0).max(1e11).optional(),
    /** 元 per contact made. */
    costPerContact: z.number().min(0).max(1e6).optional(),
    owner: z.string().trim().max(50).optional(),
    notes: z.string().max(2000).optional(),
    /** The 话术 template: {称呼} and {产品} are filled per customer. The goal's template when left out. */
    script: z.string().trim().max(2000).optional(),
    source: audienceSourceSchema,
    /** How the source is named on screens: “流失预警：高风险客户”. */
    sourceLabel: z.string().max(200).optional(),
    ranking: z.enum(CAMPAIGN_RANKINGS).optional(),
    controlShare: z.number().min(0).max(0.5).optional(),
    fatigueDays: z.number().int().min(0).max(365).optional(),
    maxCampaignsPer30Days: z.number().int().min(1).max(20).optional(),
    perManagerCap: z.number().int().min(1).max(1_000_000).optional(),
    /** Two offers or scripts (A/B): target customers are split between them at random. */
    arms: z
      .array(z.strictObject({ label: z.string().trim().min(1, '请填写方案名称').max(40), script: z.string().trim().max(2000).optional() }))
      .length(2, 'A/B 测试需要正好两个方案')
      .optional(),
    seed: z.number().int().min(0).max(4_294_967_295).optional(),
  })
  .refine((d) => !d.startsOn || !d.endsOn || d.startsOn <= d.endsOn, { message: '结束日期不能早于开始日期', path: ['endsOn'] });
export type CampaignDraft = z.input<typeof campaignDraftSchema>;

// ---------------------------------------------------------------------------------------------------------
// Results

export interface WaterfallStep {
  key: ExclusionStep;
  label: string;
  excluded: number;
  /** Customers left after this step. */
  remaining: number;
}

export interface Waterfall {
  audience: number;
  steps: WaterfallStep[];
  eligible: number;
  control: number;
  /** Eligible customers ranked below a manager's cap: neither called nor held out. */
  overCap: number;
  target: number;
}

export interface ManagerAllocation {
  /** null: the pool of customers without a relationship manager. */
  managerId: string | null;
  managerName: string;
  eligible: number;
  target: number;
  control: number;
  overCap: number;
}

export interface UniversalControlInfo {
  periodId: number;
  startsOn: string;
  endsOn: string;
  share: number;
  /** Customers in the universal control group for the period. */
  size: number;
  /** Customers assigned (in or out) so far. */
  assigned: number;
  drawnAt: string;
  /** Customers assigned by this call: all of them on a new draw, newcomers otherwise. */
  newlyAssigned: number;
}

export interface CampaignPlan {
  /** null for a preview. */
  campaignId: string | null;
  name: string;
  goal: CampaignGoal;
  productId: string | null;
  startsOn: string;
  endsOn: string;
  ranking: CampaignRanking;
  controlShare: number;
  fatigueDays: number;
  maxCampaignsPer30Days: number;
  perManagerCap: number;
  arms: string[] | null;
  seed: number;
  waterfall: Waterfall;
  managers: ManagerAllocation[];
  universalControl: UniversalControlInfo;
  /** What the plan could not check, in plain words (no analysis yet, no matching run, …). */
  notes: string[];
  seconds: number;
}

export interface GroupOutcome {
  n: number;
  contacted: number;
  responded: number;
  converted: number;
  /** Σ 成交金额 of the group, 元. */
  amount: number;
  contactRate: number | null;
  responseRate: number | null;
  conversionRate: number | null;
  /** Mean change of monthly AUM from before the start to the end, 元; null when balances do not cover it. */
  aumChange: number | null;
}

export interface UpliftResult {
  /** Rate difference (first − second), a share. */
  uplift: number;
  ci95: [number, number];
  significant: boolean;
  verdict: string;
}

export interface BreakdownRow {
  key: string;
  label: string;
  targetN: number;
  targetRate: number | null;
  controlN: number;
  controlRate: number | null;
  uplift: number | null;
}

export interface ArmOutcome extends GroupOutcome {
  arm: string;
  label: string;
}

export interface CampaignEvaluation {
  campaignId: string;
  evaluatedAt: string;
  /** The outcome window: the campaign period, and how far the workspace's data reaches into it. */
  window: { from: string; to: string; dataThrough: string | null };
  target: GroupOutcome;
  control: GroupOutcome | null;
  /** Conversion uplift, target − control (share); null without a control group. */
  uplift: number | null;
  ci95: [number, number] | null;
  significant: boolean;
  verdict: string;
  responseUplift: UpliftResult | null;
  incrementalConversions: number | null;
  /** 元. */
  incrementalAmount: number | null;
  incrementalAum: number | null;
  /** Annual margin on the incremental balances, 元 (settings.value margin rates). */
  income: number | null;
  cost: number;
  roi: number | null;
  byManager: BreakdownRow[];
  byTier: BreakdownRow[];
  bySegment: BreakdownRow[];
  arms: { a: ArmOutcome; b: ArmOutcome; comparison: UpliftResult } | null;
  /** Customers with responses to this campaign who are in neither of its groups. */
  outsiders: number;
  notes: string[];
}

export interface CampaignSummary {
  campaignId: string;
  name: string;
  goal: CampaignGoal | null;
  channel: CampaignChannel | null;
  productId: string | null;
  productName: string | null;
  status: CampaignStatus;
  startsOn: string | null;
  endsOn: string | null;
  createdAt: string;
  owner: string | null;
  wave: number;
  parentId: string | null;
  target: number;
  control: number;
  responses: number;
  converted: number;
  uplift: number | null;
  ci95: [number, number] | null;
  significant: boolean | null;
  exportedAt: string | null;
}

export interface CampaignDetail extends CampaignSummary {
  sourceLabel: string | null;
  script: string;
  notes: string | null;
  budget: number | null;
  costPerContact: number | null;
  ranking: CampaignRanking | null;
  controlShare: number | null;
  perManagerCap: number | null;
  fatigueDays: number | null;
  maxCampaignsPer30Days: number | null;
  arms: string[] | null;
  waterfall: Waterfall | null;
  managers: ManagerAllocation[];
  evaluation: CampaignEvaluation | null;
}

export interface CampaignMemberRow {
  customer_id: string;
  name: string | null;
  mobile: string | null;
  manager_name: string | null;
  value_tier: string | null;
  aum_avg_3m: number | null;
  group: MemberGroup;
  arm: string | null;
  rank: number | null;
  reason: string | null;
}

export interface CampaignExportFile {
  path: string;
  sha256: string;
  rows: number;
  /** The manager sheet (or CSV) name; null for the XLSX workbook itself. */
  sheet: string | null;
}

export interface CampaignExportResult {
  /** The workbook, or the folder of the CSV files. */
  file: string;
  files: CampaignExportFile[];
  /** SHA-256 of the workbook (of the first CSV with --csv). */
  sha256: string;
  rows: number;
  sheets: string[];
  masked: boolean;
}

export interface ResponseImportResult {
  campaignId: string;
  /** One import batch per file, or per manager sheet of a returned workbook. */
  imports: (ImportResult & { sheet: string | null })[];
  rowsLoaded: number;
  rowsRejected: number;
  /** Rows of the files whose customer is in neither group of the campaign: kept, and reported here. */
  outsiders: { count: number; sample: string[] };
  /** Sheets not imported (a list nobody filled in, a sheet that is not a response list), with why. */
  skippedSheets: { sheet: string; message: string }[];
  evaluation: CampaignEvaluation;
}

/** Everything marketed against never marketed, over a period of the universal control group. */
export interface UniversalControlEffect {
  periodId: number;
  from: string;
  to: string;
  dataThrough: string | null;
  /** Customers outside the universal control group (available to every campaign). */
  marketed: GroupOutcome;
  /** The universal control group: never marketed in the period. */
  holdout: GroupOutcome;
  /** Share that opened a new product in the period: marketed − never marketed. */
  comparison: UpliftResult | null;
  notes: string[];
}

export interface UniversalControlResult extends UniversalControlInfo {
  effect: UniversalControlEffect | null;
}

// ---------------------------------------------------------------------------------------------------------
// Channels

const campaignId = z.string().min(1, '请指定营销活动').max(100);
const filePath = z.string().min(1, '请选择文件').max(4096);

export const campaignExportRequestSchema = z
  .strictObject({
    campaignId,
    /** The workbook (.xlsx); for CSV, a folder, or a file whose folder takes one CSV per manager. */
    path: filePath,
    format: z.enum(['xlsx', 'csv']).default('xlsx'),
    unmask: z.boolean().default(false),
    purpose: z.string().trim().max(500).optional(),
  })
  .refine((r) => !r.unmask || [...(r.purpose ?? '')].length >= 4, { message: '导出未脱敏名单须填写用途（至少 4 个字），用途将记入审计日志', path: ['purpose'] });

export const campaignResponsesRequestSchema = z.strictObject({
  campaignId,
  file: filePath,
  /** One sheet of a workbook; every manager sheet when left out. */
  sheet: z.string().max(200).optional(),
  policy: z.enum(['reject', 'skip-bad']).default('skip-bad'),
});

export const campaignChannels = {
  'campaigns.list': queryChannel<{ campaigns: CampaignSummary[]; universalControl: UniversalControlInfo | null }>()(z.strictObject({})),
  'campaigns.detail': queryChannel<CampaignDetail>()(z.strictObject({ campaignId })),
  'campaigns.members': queryChannel<{ rows: CampaignMemberRow[]; total: number }>()(
    z.strictObject({
      campaignId,
      group: z.enum(MEMBER_GROUPS).optional(),
      /** A manager's list; '' for the pool of customers without a manager. */
      managerId: z.string().max(100).optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(100),
    }),
  ),
  'campaigns.preview': jobChannel<CampaignPlan>()(campaignDraftSchema),
  'campaigns.create': jobChannel<CampaignPlan>()(campaignDraftSchema),
  'campaigns.export': jobChannel<CampaignExportResult>()(campaignExportRequestSchema),
  'campaigns.importResponses': jobChannel<ResponseImportResult>()(campaignResponsesRequestSchema),
  'campaigns.evaluate': jobChannel<CampaignEvaluation>()(z.strictObject({ campaignId })),
  'campaigns.nextWave': jobChannel<CampaignPlan>()(
    z.strictObject({ campaignId, name: z.string().trim().min(1).max(100).optional(), startsOn: isoDate.optional(), endsOn: isoDate.optional() }),
  ),
  'campaigns.controlGroup': jobChannel<UniversalControlResult>()(z.strictObject({ redraw: z.boolean().default(false), date: isoDate.optional() })),
} as const;
