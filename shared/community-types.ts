/**
 * Result shapes of community marketing (issue #12): the measures of a community (and of a grid, a manager,
 * the branch), its opportunity score with the components, the suggested activities, the activity register
 * with its evaluation, and the monthly plan. Amounts are in 元 (screens show 万元), shares between 0 and 1.
 * A measure the data cannot give is null, and the screens say “无数据”.
 */
import type { ProductCategory } from './dictionary';
import type { CampaignGoal } from './community-rules';
import type { RuleNode } from './rules';

export type CommunityScope = 'community' | 'grid' | 'manager' | 'branch';

export const AGE_BAND_LABELS = ['30岁以下', '30–39岁', '40–49岁', '50–59岁', '60–69岁', '70岁及以上'] as const;
/** Upper bounds of the age bands above; the last band is open. */
export const AGE_BAND_BOUNDS = [30, 40, 50, 60, 70] as const;

export interface ProductHolding {
  holders: number;
  /** Holders ÷ customers; null without customers. */
  penetration: number | null;
}

export interface CommunityMeasures {
  /** Customers opened by the as-of date and not churned. */
  customers: number;
  households: number | null;
  population: number | null;
  /** customers ÷ households. */
  penetration: number | null;
  /** Customers with a customer-initiated transaction within the active window (needs a customer analysis). */
  activeCustomers: number | null;
  activeShare: number | null;
  /** Opened within the period. */
  newCustomers: number;
  /** Churned within the period (needs a customer analysis). */
  lostCustomers: number | null;
  /** Sum of the customers' 3-month average AUM as of the month; null without balances. */
  aumTotal: number | null;
  aumPerCustomer: number | null;
  aumPerHousehold: number | null;
  /** Customers per value tier by 3-month average AUM (tier codes of VALUE_TIERS, plus `unrated`). */
  tierMix: Record<string, number>;
  /** Customers per AGE_BAND_LABELS band, then unknown age last. */
  ageMix: number[];
  /** Customers aged 60+ ÷ customers of known age. */
  age60Share: number | null;
  /** The community register's own share of residents aged 60+. */
  residentAge60Share: number | null;
  /** Customers per lifecycle stage (LIFECYCLE_STAGES codes); null without a customer analysis. */
  lifecycleMix: Record<string, number> | null;
  /** Customers with a churn score, and of them the high band. */
  churnScored: number;
  churnHigh: number;
  churnHighShare: number | null;
  /** 3-month average AUM of the high-band customers (glossary: 在险资产). */
  aumAtRisk: number | null;
  /** Σ churn probability × 3-month average AUM: the AUM the model expects to leave. */
  expectedChurnAum: number | null;
  products: Record<ProductCategory, ProductHolding>;
  /** Shares of the customers whose field is known; null when nobody's is. */
  demographics: {
    youngFamilyShare: number | null;
    studentShare: number | null;
    smeShare: number | null;
    workerShare: number | null;
    salariedShare: number | null;
  };
  coverage: {
    managers: number;
    customersPerManager: number | null;
    /** Customers contacted (visit, call, event, campaign) within the contact window. */
    contacted: number;
    contactedShare: number | null;
  };
  avgHousePrice: number | null;
}

/** Where a community sits: its grid, street and manager, and its coordinates when the register has them. */
export interface CommunityPlace {
  gridId: string | null;
  gridName: string | null;
  district: string | null;
  managerId: string | null;
  managerName: string | null;
  longitude: number | null;
  latitude: number | null;
}

/** One community, grid, manager or the branch, as the snapshot stores it. */
export interface CommunityUnit extends CommunityPlace {
  scope: CommunityScope;
  id: string;
  name: string;
  /** Communities in a grid or in a manager's charge; 1 for a community. */
  communities: number;
  measures: CommunityMeasures;
  /** Past community activities and campaigns of its customers within the last 12 months. */
  history: { activities: number; participants: number; lastActivity: string | null; campaigns: number; campaignResponseRate: number | null };
  /** Target list sizes of the suggestion rules, with the audience each was counted for (communities only). */
  targets: Record<string, { audience: string; size: number }>;
  /** Managers only: their team. */
  team?: string | null;
  /** Communities only: campaigns its customers were listed in, the latest first. */
  campaigns?: CampaignHistoryRow[];
  /** Communities only: managers serving its customers, with how many they contacted in the contact window. */
  managers?: { managerId: string | null; customers: number; contacted: number }[];
  /** Branch only: what a holder of each family keeps, to value product gaps (see ProductGap.balanceBasis). */
  familyBalances?: Partial<Record<ProductCategory, { perHolder: number; basis: 'balance' | 'aum' }>>;
}

export interface CommunityRunInfo {
  runId: number;
  /** The month the measures are as of, and its last day. */
  month: string;
  asOf: string;
  /** First month of the period new and lost customers are counted over. */
  periodFrom: string;
  /** The customer analysis lifecycle, churn and activity come from, and its as-of date. */
  scoresAsOf: string | null;
  finishedAt: string;
  /** The data changed (an import or a newer analysis) after the snapshot was taken. */
  stale: boolean;
  /** Customers whose community is empty or unknown to the register. */
  unassignedCustomers: number;
  /** What the data lacks, in Chinese, e.g. “没有月日均资产数据，资产类指标无数据”. */
  notes: string[];
}

export interface ProductGap {
  family: ProductCategory;
  label: string;
  community: number | null;
  branch: number | null;
  /** branch − community, in share points; positive where the community lags. */
  gap: number | null;
  /** Customers the community would need to gain holders to reach the branch rate. */
  gapCustomers: number;
  /** Average balance per holder at the branch used to value the gap, and its source. */
  balanceBasis: number | null;
  /** Annual contribution (元) of closing `gapClosure` of the gap; null where the branch has no balances. */
  value: number | null;
}

export interface OpportunityComponent {
  /** 元 of annual contribution (after its weight), or null without data. */
  value: number | null;
  /** How it was computed, in words an analyst can check; without data, what is missing. */
  explain: string;
}

export interface OpportunityScore {
  /** Σ of the components that have data, 元 of expected annual contribution. */
  score: number;
  households: OpportunityComponent & {
    untapped: number | null;
    expectedAumPerHousehold: number | null;
    /** Where the expected AUM came from. */
    basis: 'customers' | 'house_price' | 'blend' | 'branch' | null;
  };
  gaps: OpportunityComponent & { items: ProductGap[] };
  churn: OpportunityComponent & { expectedChurnAum: number | null };
  /** Components without data, in words. */
  missing: string[];
}

export interface SuggestionEvidence {
  label: string;
  unit: 'pct' | 'wan' | 'yuan_per_m2';
  community: number | null;
  branch: number | null;
  threshold: number;
  op: '>=' | '<=';
}

export interface ActivitySuggestion {
  ruleId: string;
  activity: string;
  goal: CampaignGoal;
  family: ProductCategory | null;
  /** One sentence: the rule's note, then the measured evidence. */
  reason: string;
  evidence: SuggestionEvidence[];
  /** The target customers as a rule of the DSL, the community included: a campaign audience as it is. */
  audience: RuleNode;
  /** Customers the audience selects at the snapshot; null when not counted for this audience yet. */
  targetSize: number | null;
  /** Parts of the rule's audience dropped because their fields are not available (e.g. tags not computed). */
  audienceNote: string | null;
  budget: number;
  signupRate: number;
  conversionRate: number;
}

/** The headline measures a row of the ranking or of a roll-up shows (CommunityMeasures has them all). */
export interface HeadlineMeasures {
  households: number | null;
  customers: number;
  penetration: number | null;
  activeShare: number | null;
  aumTotal: number | null;
  aumPerCustomer: number | null;
  age60Share: number | null;
  churnHighShare: number | null;
  aumAtRisk: number | null;
  contactedShare: number | null;
  newCustomers: number;
  lostCustomers: number | null;
}

export interface CommunityRankRow extends CommunityPlace, HeadlineMeasures {
  rank: number;
  communityId: string;
  name: string;
  aumPerHousehold: number | null;
  opportunity: OpportunityScore;
  suggestions: ActivitySuggestion[];
  history: CommunityUnit['history'];
}

export interface CommunityRanking {
  run: CommunityRunInfo;
  branch: CommunityMeasures;
  communities: CommunityRankRow[];
}

/** A grid or a manager: the same measures rolled up. */
export interface CommunityRollupRow extends HeadlineMeasures {
  id: string;
  name: string;
  team: string | null;
  communities: number;
  customersPerManager: number | null;
  /** Σ opportunity scores of the communities in the grid or in the manager's charge. */
  opportunity: number | null;
  activitiesThisMonth: number;
}

export const ACTIVITY_STATUSES = ['planned', 'done', 'cancelled'] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];

export const ACTIVITY_SOURCES = ['plan', 'manual', 'history'] as const;
export type ActivitySource = (typeof ACTIVITY_SOURCES)[number];

export interface ActivityGoal {
  signups: number | null;
  newAccounts: number | null;
  aum: number | null;
}

export interface ActivityEvaluation {
  /** Customers who took part: campaign responders when a campaign is linked, else event attendees. */
  participants: number;
  /** Products opened by participants within the evaluation window (converted responses for a campaign). */
  newAccounts: number;
  /** Participants' monthly AUM after the window less the month before the activity (campaign: converted amounts). */
  aumChange: number | null;
  /** Where the figures come from. */
  basis: 'campaign' | 'attendance';
  /** Data reaches the end of the evaluation window. */
  complete: boolean;
  evaluatedThrough: string | null;
}

export interface CommunityActivity {
  activityId: number;
  communityId: string;
  communityName: string;
  kind: string;
  ruleId: string | null;
  date: string;
  managerId: string | null;
  managerName: string | null;
  status: ActivityStatus;
  source: ActivitySource;
  reason: string | null;
  audience: RuleNode | null;
  targetSize: number | null;
  budget: number | null;
  goal: ActivityGoal;
  goalType: CampaignGoal | null;
  campaignId: string | null;
  planMonth: string | null;
  opportunityScore: number | null;
  evaluation: ActivityEvaluation | null;
}

export interface CampaignHistoryRow {
  campaignId: string;
  name: string | null;
  firstDate: string | null;
  listed: number;
  responded: number;
  converted: number;
  responseRate: number | null;
  conversionRate: number | null;
  amount: number | null;
}

export interface CommunityPortrait {
  run: CommunityRunInfo;
  community: CommunityRankRow;
  unit: CommunityUnit;
  measures: CommunityMeasures;
  branch: CommunityMeasures;
  /** Every product family, the largest gaps (by value, then by points) first. */
  gaps: ProductGap[];
  activities: CommunityActivity[];
  campaigns: CampaignHistoryRow[];
  /** Managers serving the community's customers, with contact coverage, most customers first. */
  managers: { managerId: string | null; name: string | null; customers: number; contacted: number }[];
}

export interface PlannedActivity {
  communityId: string;
  communityName: string;
  ruleId: string;
  kind: string;
  date: string;
  managerId: string | null;
  managerName: string | null;
  goalType: CampaignGoal;
  targetSize: number | null;
  budget: number;
  goal: ActivityGoal;
  reason: string;
  audience: RuleNode;
  opportunityScore: number;
  /** Saved in the register (with `save`). */
  activityId: number | null;
}

export interface ActivityPlan {
  month: string;
  runId: number;
  activities: PlannedActivity[];
  /** Communities ranked high enough but left out, with the reason. */
  skipped: { communityId: string; name: string; reason: string }[];
  capacity: { managerId: string; name: string | null; planned: number; capacity: number }[];
  saved: boolean;
}
