/**
 * Reports (报告) and the branch overview (经营概览), issue #11: the channels, result shapes and settings.
 * The engine side lives in electron/engine/reports/, the screens in renderer/src/features/reports/ and
 * renderer/src/features/overview/.
 */
import { z } from 'zod';
import type { TierCode } from './analytics';
import { jobChannel, queryChannel } from './channel-def';
import type { MeasureKey } from './glossary';
import { ruleSchema } from './rules';

/**
 * Thresholds of the overview and the reports, each with its documented default (docs/reports.md).
 * NPS on the usual 5-point survey: 5 is a promoter, 1–3 a detractor; a branch with 0–10 scores sets 9 and 6.
 */
export const reportSettingsSchema = z.strictObject({
  /** Printed in every report header; the workspace file name when left blank. */
  branchName: z.string().trim().max(60).default(''),
  /** Survey scores (interactions of kind 满意度调查) over this many months make satisfaction and NPS. */
  surveyWindowMonths: z.number().int().min(1).max(24).default(3),
  /** Campaign responses over this many months make the response rate. */
  campaignWindowMonths: z.number().int().min(1).max(36).default(12),
  /** Holdings opened over this many months make the repeat-purchase rate. */
  repeatWindowMonths: z.number().int().min(1).max(36).default(12),
  satisfiedMin: z.number().min(0).max(10).default(4),
  npsPromoterMin: z.number().min(0).max(10).default(5),
  npsDetractorMax: z.number().min(0).max(10).default(3),
  /** How many at-risk customers the churn report lists by name (masked as on screen). */
  churnTopN: z.number().int().min(5).max(500).default(30),
});
export type ReportSettings = z.infer<typeof reportSettingsSchema>;

export const REPORT_KINDS = ['branch', 'group', 'community', 'campaign', 'churn'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export const REPORT_KIND_LABELS: Readonly<Record<ReportKind, string>> = {
  branch: '支行经营报告',
  group: '群体画像报告',
  community: '社区报告',
  campaign: '营销活动效果报告',
  churn: '流失预警报告',
};

export const REPORT_FORMATS = ['pdf', 'xlsx', 'pptx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份应为 YYYY-MM，例如 2026-10');
const filePath = z.string().min(1, '请选择文件').max(4096);

/** What a report is about: its kind and, per kind, the group, community or campaign. */
export const reportSpecSchema = z
  .strictObject({
    kind: z.enum(REPORT_KINDS),
    /** branch: 'weekly' is the one-page Monday summary, 'monthly' the full report. */
    variant: z.enum(['weekly', 'monthly']).default('monthly'),
    /** branch: the month reported on; the latest balance month when omitted. */
    period: monthSchema.optional(),
    /** group: a saved segment (客群). */
    segmentId: z.number().int().positive().optional(),
    /** group: a tag. */
    tagId: z.string().min(1).max(100).optional(),
    /** group: any rule of the rule DSL. */
    rule: ruleSchema.optional(),
    /** community: one community; every community when omitted. campaign: one campaign; all when omitted. */
    id: z.string().min(1).max(100).optional(),
    /** A title of the analyst's own (e.g. the group's name). */
    title: z.string().trim().max(80).optional(),
  })
  .superRefine((spec, ctx) => {
    if (spec.kind === 'group' && [spec.segmentId, spec.tagId, spec.rule].filter((x) => x !== undefined).length !== 1) {
      ctx.addIssue({ code: 'custom', path: ['rule'], message: '群体画像报告需要指定一个客群、一个标签或一条筛选规则（三选一）' });
    }
  });
export type ReportSpec = z.input<typeof reportSpecSchema>;
export type ParsedReportSpec = z.output<typeof reportSpecSchema>;

export const reportExportRequestSchema = z
  .strictObject({
    spec: reportSpecSchema,
    pdf: filePath.optional(),
    xlsx: filePath.optional(),
    pptx: filePath.optional(),
  })
  .refine((r) => r.pdf !== undefined || r.xlsx !== undefined || r.pptx !== undefined, { message: '请至少选择一种导出格式（PDF、Excel 或 PPT）', path: ['pdf'] });

// ---------------------------------------------------------------------------------------------------------
// The branch overview

export interface KpiPoint {
  month: string;
  value: number | null;
}

/**
 * One KPI: its value in the as-of month, the change on the month before, the change since the turn of the
 * year and its last 12 months. `ytd` is a change against December for stocks and rates, and the sum since
 * January for flows (new customers, lost customers). Amounts are in 元, shares between 0 and 1; the
 * glossary measure says how to show them.
 */
export interface Kpi {
  key: string;
  measure: MeasureKey;
  /** A label of its own where one measure is shown several times (a product family's penetration). */
  label?: string;
  kind: 'stock' | 'flow' | 'rate';
  value: number | null;
  mom: number | null;
  ytd: number | null;
  trend: KpiPoint[];
  /** A footnote: the window or basis of the figure. */
  note?: string;
}

/** A value tier or 无记录 (no balances in the 3-month window), as tierOf codes it. */
export type TierKey = TierCode;

/** KPIs whose rise is bad news (coloured and worded as such, never by colour alone). */
export const RISE_IS_BAD_KPIS: ReadonlySet<string> = new Set(['lost_customers', 'churn_rate', 'tier_down', 'high_risk_customers', 'aum_at_risk']);

export interface TierMixPoint {
  month: string;
  counts: Record<TierKey, number>;
}

export interface ValueRow {
  key: string;
  label: string;
  customers: number;
  /** Annual profit contribution in 元, summed over the row's customers. */
  profit: number;
  /** CLV in 元, summed over the row's customers. */
  clv: number;
  /** Mean annual retention probability used for the row's CLV. */
  retention: number | null;
}

export interface ManagerRow {
  managerId: string;
  name: string;
  team: string | null;
  customers: number;
  /** Σ 3-month average AUM of the manager's customers, 元. */
  aum: number;
  /** Change of that sum on the month before, 元. */
  aumChange: number | null;
  highRisk: number;
  openTasks: number;
}

export interface CommunityRow {
  communityId: string;
  name: string;
  households: number | null;
  customers: number;
  penetration: number | null;
  aum: number;
}

export type ChecklistStep = 'import' | 'analysis' | 'churnTrain' | 'churnScore' | 'matching';

export interface ChecklistItem {
  step: ChecklistStep;
  done: boolean;
  /** When it was done, or why it is not. */
  detail: string;
  /** The screen that does it. */
  route: string;
}

export interface BranchOverview {
  branchName: string;
  /** 'YYYY-MM-DD', the last day of the as-of month. */
  asOf: string;
  asOfMonth: string;
  computedAt: string;
  /** A digest of what the figures were computed from; a different stamp means the figures are out of date. */
  stamp: string;
  data: { customers: number; firstMonth: string | null; lastMonth: string | null; imports: number };
  runs: {
    analysis: { runId: number; asOf: string | null; finishedAt: string | null } | null;
    churnModel: { modelId: number; createdAt: string; rocAuc: number | null; horizonMonths: number } | null;
    churnScore: { runId: number; asOf: string | null; finishedAt: string | null } | null;
    matching: { runId: number; finishedAt: string | null } | null;
  };
  checklist: ChecklistItem[];
  /** Customers ever opened, those on the books and those lost, as of the as-of month. */
  population: { total: number; onBook: number; lost: number };
  kpis: Kpi[];
  tierMix: TierMixPoint[];
  products: { category: string; label: string; holders: number; penetration: number; mom: number | null }[];
  communities: CommunityRow[];
  coverage: { covered: number; total: number };
  value: { byTier: ValueRow[]; bySegment: ValueRow[]; total: ValueRow; basis: ValueBasis };
  managers: ManagerRow[];
  churn: { asOf: string | null; high: number; medium: number; low: number; aumAtRisk: number } | null;
}

export interface ValueBasis {
  discountRate: number;
  horizonYears: number;
  /** Where retention came from: the churn model's probabilities, or the branch's observed retention. */
  retentionSource: 'model' | 'observed' | 'mixed';
  observedRetention: number | null;
  segmentBasis: 'segments' | 'rfm';
}

export interface OverviewState {
  overview: BranchOverview | null;
  /** The first-steps checklist as the workspace is now (also for a workspace without data yet). */
  checklist: ChecklistItem[];
  /** The stamp of the workspace now; differs from overview.stamp once data, analyses or settings changed. */
  stamp: string;
  stale: boolean;
}

// ---------------------------------------------------------------------------------------------------------
// Reports

export interface ReportPreview {
  kind: ReportKind;
  title: string;
  /** The report as one self-contained HTML document (the one printed to PDF). */
  html: string;
  sections: string[];
}

export interface ReportFile {
  format: ReportFormat;
  path: string;
  sha256: string;
  bytes: number;
  /** PDF pages, XLSX sheets or PPTX slides. */
  pages?: number;
  sheets?: string[];
  slides?: number;
}

export interface ReportExportResult {
  kind: ReportKind;
  title: string;
  files: ReportFile[];
  seconds: number;
}

export interface ReportHistoryEntry {
  exportId: number;
  at: string;
  kind: ReportKind;
  title: string;
  format: ReportFormat;
  path: string;
  sha256: string;
  bytes: number;
  pages: number | null;
  exists: boolean;
}

/** What the report screen offers to pick from. */
export interface ReportSources {
  segments: { id: number; name: string }[];
  tags: { id: string; name: string; category: string }[];
  communities: { id: string; name: string }[];
  campaigns: { id: string; name: string }[];
  months: string[];
  scored: boolean;
}

export const reportChannels = {
  'reports.overview': queryChannel<OverviewState>()(z.strictObject({})),
  'reports.history': queryChannel<ReportHistoryEntry[]>()(z.strictObject({ limit: z.number().int().min(1).max(500).default(100) })),
  'reports.sources': queryChannel<ReportSources>()(z.strictObject({})),
  'reports.refreshOverview': jobChannel<BranchOverview>()(z.strictObject({})),
  'reports.preview': jobChannel<ReportPreview>()(z.strictObject({ spec: reportSpecSchema })),
  'reports.export': jobChannel<ReportExportResult>()(reportExportRequestSchema),
} as const;
