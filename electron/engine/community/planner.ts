/**
 * The monthly activity plan (issue #12 §3), as a pure function of the ranking and the register:
 *
 * 1. Communities are taken in order of opportunity; each gets at most one activity in the month, its first
 *    suggestion that is not the activity it had last (so the same lecture is not repeated back to back).
 * 2. A community whose last activity is less than `minGapDays` before a day of the month waits: the first
 *    possible day is the last activity + the gap. If that falls after the month, the community is skipped.
 * 3. The activity goes to the community's manager while they have capacity (`activitiesPerManager` a month,
 *    counting activities already in the register for the month); otherwise to the colleague of the same team
 *    with the most capacity left; otherwise the community is skipped and the reason given.
 * 4. The day is the allowed weekday (weekends by default) with the fewest activities of the branch, the
 *    earliest among equals, never two activities of one manager on one day.
 * 5. Goals follow from the target list: sign-ups = list × the rule's sign-up rate, new accounts = sign-ups ×
 *    its conversion rate, AUM = new accounts × what a holder of the family keeps (for deposit and investment
 *    families; loans and cards bring no AUM).
 */
import type { CommunitySettings } from '../../../shared/community';
import type { ActivityGoal, ActivitySuggestion, CommunityRankRow, PlannedActivity } from '../../../shared/community-types';
import type { ProductCategory } from '../../../shared/dictionary';
import { addDays, dayNumber, monthEnd } from '../analytics/dates';

export interface PlannerManager {
  id: string;
  name: string | null;
  team: string | null;
}

export interface RegisteredActivity {
  communityId: string;
  kind: string;
  date: string;
  managerId: string | null;
}

export interface PlannerInput {
  month: string;
  ranking: readonly CommunityRankRow[];
  managers: readonly PlannerManager[];
  /** Activities of the register that stay (not cancelled, not a previous plan of this month being replaced). */
  registered: readonly RegisteredActivity[];
  planning: CommunitySettings['planning'];
  /** What a holder of each family keeps at the branch (branch unit's familyBalances). */
  familyBalance: Partial<Record<ProductCategory, number>>;
  /** Target list size where the suggestion has none (its audience changed since the snapshot). */
  countTargets?: (row: CommunityRankRow, suggestion: ActivitySuggestion) => number | null;
}

export interface PlannerOutput {
  activities: PlannedActivity[];
  skipped: { communityId: string; name: string; reason: string }[];
  capacity: { managerId: string; name: string | null; planned: number; capacity: number }[];
}

/** Families whose balances are the customer's assets with the bank, so a goal of AUM makes sense. */
const ASSET_FAMILIES: ReadonlySet<ProductCategory> = new Set(['demand_deposit', 'time_deposit', 'wealth', 'fund', 'insurance', 'precious_metal', 'pension', 'payroll']);

/** The days of the month that fall on the allowed weekdays, as YYYY-MM-DD. */
export function activityDays(month: string, weekdays: readonly number[]): string[] {
  const days: string[] = [];
  const last = monthEnd(month);
  for (let date = `${month}-01`; date <= last; date = addDays(date, 1)) {
    // Day numbers count from 1970-01-01, a Thursday (weekday 4).
    if (weekdays.includes((dayNumber(date) + 4) % 7)) days.push(date);
  }
  return days;
}

function goalOf(suggestion: ActivitySuggestion, targetSize: number | null, familyBalance: PlannerInput['familyBalance']): ActivityGoal {
  if (targetSize === null) return { signups: null, newAccounts: null, aum: null };
  const signups = Math.round(targetSize * suggestion.signupRate);
  const newAccounts = Math.round(signups * suggestion.conversionRate);
  const family = suggestion.family;
  const perHolder = family && ASSET_FAMILIES.has(family) ? familyBalance[family] : undefined;
  return { signups, newAccounts, aum: perHolder === undefined ? null : Math.round(newAccounts * perHolder) };
}

export function planMonth(input: PlannerInput): PlannerOutput {
  const { month, planning } = input;
  const days = activityDays(month, planning.weekdays);
  const monthStart = `${month}-01`;
  const managers = new Map(input.managers.map((m) => [m.id, m]));
  const used = new Map<string, number>();
  const busy = new Set<string>();
  const perDay = new Map<string, number>(days.map((d) => [d, 0]));
  const lastByCommunity = new Map<string, RegisteredActivity>();
  for (const a of input.registered) {
    if (a.date.slice(0, 7) === month && a.managerId) {
      used.set(a.managerId, (used.get(a.managerId) ?? 0) + 1);
      busy.add(`${a.managerId}|${a.date}`);
      if (perDay.has(a.date)) perDay.set(a.date, (perDay.get(a.date) ?? 0) + 1);
    }
    const last = lastByCommunity.get(a.communityId);
    if (a.date < monthStart && (!last || a.date > last.date)) lastByCommunity.set(a.communityId, a);
  }
  const left = (id: string) => planning.activitiesPerManager - (used.get(id) ?? 0);

  const activities: PlannedActivity[] = [];
  const skipped: PlannerOutput['skipped'] = [];
  const skip = (row: CommunityRankRow, reason: string) => skipped.push({ communityId: row.communityId, name: row.name, reason });

  for (const row of input.ranking) {
    if (planning.maxPerMonth > 0 && activities.length >= planning.maxPerMonth) {
      skip(row, `本月活动已达上限 ${planning.maxPerMonth} 场`);
      continue;
    }
    if (row.suggestions.length === 0) {
      skip(row, '没有适用的活动建议');
      continue;
    }
    const last = lastByCommunity.get(row.communityId);
    const suggestion = row.suggestions.find((s) => s.activity !== last?.kind) ?? row.suggestions[0]!;
    const earliest = last ? addDays(last.date, planning.minGapDays) : monthStart;
    const open = days.filter((d) => d >= earliest);
    if (open.length === 0) {
      skip(row, `距上次活动（${last?.date}，${last?.kind}）不足 ${planning.minGapDays} 天`);
      continue;
    }
    const managerId = pickManager(row.managerId, managers, left);
    if (managerId === null) {
      const name = row.managerName ?? row.managerId ?? '未指定';
      skip(row, row.managerId ? `客户经理 ${name} 及同组同事本月活动已满（每人 ${planning.activitiesPerManager} 场）` : '社区没有负责的客户经理，请在社区表中指定');
      continue;
    }
    const date = open.filter((d) => !busy.has(`${managerId}|${d}`)).sort((a, b) => (perDay.get(a) ?? 0) - (perDay.get(b) ?? 0) || a.localeCompare(b))[0];
    if (date === undefined) {
      skip(row, `客户经理 ${managers.get(managerId)?.name ?? managerId} 在可选日期都已有活动`);
      continue;
    }
    used.set(managerId, (used.get(managerId) ?? 0) + 1);
    busy.add(`${managerId}|${date}`);
    perDay.set(date, (perDay.get(date) ?? 0) + 1);
    const targetSize = suggestion.targetSize ?? input.countTargets?.(row, suggestion) ?? null;
    const delegated = row.managerId && managerId !== row.managerId ? `（${row.managerName ?? row.managerId}本月已满，由同组 ${managers.get(managerId)?.name ?? managerId} 承办）` : '';
    activities.push({
      communityId: row.communityId,
      communityName: row.name,
      ruleId: suggestion.ruleId,
      kind: suggestion.activity,
      date,
      managerId,
      managerName: managers.get(managerId)?.name ?? null,
      goalType: suggestion.goal,
      targetSize,
      budget: suggestion.budget,
      goal: goalOf(suggestion, targetSize, input.familyBalance),
      reason: `${suggestion.reason}${delegated}`,
      audience: suggestion.audience,
      opportunityScore: row.opportunity.score,
      activityId: null,
    });
  }

  const capacity = [...new Set([...input.managers.map((m) => m.id), ...used.keys()])]
    .map((id) => ({ managerId: id, name: managers.get(id)?.name ?? null, planned: used.get(id) ?? 0, capacity: planning.activitiesPerManager }));
  activities.sort((a, b) => a.date.localeCompare(b.date) || b.opportunityScore - a.opportunityScore);
  return { activities, skipped, capacity };
}

/** The community's manager if they have capacity, else the same-team colleague with the most left. */
function pickManager(primary: string | null, managers: Map<string, PlannerManager>, left: (id: string) => number): string | null {
  if (primary === null) return null;
  if (left(primary) > 0) return primary;
  const team = managers.get(primary)?.team;
  if (!team) return null;
  const colleagues = [...managers.values()].filter((m) => m.team === team && m.id !== primary && left(m.id) > 0);
  colleagues.sort((a, b) => left(b.id) - left(a.id) || a.id.localeCompare(b.id));
  return colleagues[0]?.id ?? null;
}
