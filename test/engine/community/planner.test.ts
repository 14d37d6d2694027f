/**
 * The monthly plan as a pure function: communities in order of opportunity, each at most once, within each
 * manager's capacity (with a same-team colleague taking over), never within the gap after a community's
 * last activity, on the allowed weekdays, with goals from the target list.
 */
import { describe, expect, it } from 'vitest';
import type { ActivitySuggestion, CommunityRankRow } from '../../../shared/community-types';
import { DEFAULT_SETTINGS } from '../../../shared/settings';
import { activityDays, planMonth, type PlannerInput } from '../../../electron/engine/community/planner';

const suggestion = (activity: string, targetSize: number | null = 100): ActivitySuggestion => ({
  ruleId: activity,
  activity,
  goal: 'buy_product',
  family: 'time_deposit',
  reason: `理由：${activity}`,
  evidence: [],
  audience: { all: [] },
  targetSize,
  audienceNote: null,
  budget: 2000,
  signupRate: 0.2,
  conversionRate: 0.25,
});

const row = (id: string, score: number, managerId: string, activities: string[]): CommunityRankRow =>
  ({
    rank: 0,
    communityId: id,
    name: `社区${id}`,
    managerId,
    managerName: managerId,
    opportunity: { score },
    suggestions: activities.map((a) => suggestion(a)),
  }) as unknown as CommunityRankRow;

const managers = [
  { id: 'A', name: '甲', team: '社区金融团队' },
  { id: 'B', name: '乙', team: '社区金融团队' },
  { id: 'C', name: '丙', team: '小微金融团队' },
];

const input = (overrides: Partial<PlannerInput>): PlannerInput => ({
  month: '2026-11',
  ranking: [],
  managers,
  registered: [],
  planning: { ...DEFAULT_SETTINGS.community.planning, activitiesPerManager: 2, minGapDays: 45 },
  familyBalance: { time_deposit: 50_000 },
  ...overrides,
});

describe('activity plan', () => {
  it('lists the weekend days of a month', () => {
    // November 2026 starts on a Sunday: Sundays 1, 8, 15, 22, 29 and Saturdays 7, 14, 21, 28.
    expect(activityDays('2026-11', [6, 0])).toEqual(['2026-11-01', '2026-11-07', '2026-11-08', '2026-11-14', '2026-11-15', '2026-11-21', '2026-11-22', '2026-11-28', '2026-11-29']);
    expect(activityDays('2026-11', [3])).toEqual(['2026-11-04', '2026-11-11', '2026-11-18', '2026-11-25']);
  });

  it('takes communities by opportunity within each manager’s capacity, handing over to a colleague of the same team', () => {
    const ranking = [row('1', 90, 'A', ['讲座甲']), row('2', 80, 'A', ['讲座乙']), row('3', 70, 'A', ['讲座丙']), row('4', 60, 'A', ['讲座丁']), row('5', 50, 'A', ['讲座戊'])];
    const plan = planMonth(input({ ranking }));
    const byManager = (id: string) => plan.activities.filter((a) => a.managerId === id).map((a) => a.communityId);
    expect(byManager('A')).toEqual(expect.arrayContaining(['1', '2']));
    expect(byManager('A')).toHaveLength(2);
    expect(byManager('B')).toHaveLength(2);
    expect(byManager('C')).toHaveLength(0);
    expect(plan.activities.find((a) => a.communityId === '3')?.reason).toContain('由同组 乙 承办');
    expect(plan.skipped).toEqual([{ communityId: '5', name: '社区5', reason: expect.stringContaining('本月活动已满') }]);
    expect(plan.capacity.find((c) => c.managerId === 'A')).toMatchObject({ planned: 2, capacity: 2 });
    // Never two activities of one manager on one day, and only on weekends of the month.
    const days = new Set(activityDays('2026-11', [6, 0]));
    for (const a of plan.activities) expect(days.has(a.date)).toBe(true);
    const slots = plan.activities.map((a) => `${a.managerId}|${a.date}`);
    expect(new Set(slots).size).toBe(slots.length);
  });

  it('counts activities already registered for the month against capacity', () => {
    const plan = planMonth(input({ ranking: [row('1', 90, 'C', ['路演'])], registered: [{ communityId: '9', kind: '沙龙', date: '2026-11-07', managerId: 'C' }, { communityId: '8', kind: '沙龙', date: '2026-11-14', managerId: 'C' }] }));
    expect(plan.activities).toEqual([]);
    expect(plan.skipped[0]?.reason).toContain('本月活动已满');
  });

  it('keeps the gap after a community’s last activity and skips a community that cannot have one this month', () => {
    const ranking = [row('1', 90, 'A', ['讲座甲']), row('2', 80, 'B', ['讲座乙'])];
    const registered = [
      { communityId: '1', kind: '讲座甲', date: '2026-10-10', managerId: 'A' },
      { communityId: '2', kind: '讲座乙', date: '2026-10-30', managerId: 'B' },
    ];
    const plan = planMonth(input({ ranking, registered }));
    expect(plan.activities).toHaveLength(1);
    // 45 days after 10 October is 24 November; the first weekend day from then is Saturday the 28th.
    expect(plan.activities[0]).toMatchObject({ communityId: '1', date: '2026-11-28' });
    expect(plan.skipped).toEqual([{ communityId: '2', name: '社区2', reason: expect.stringContaining('不足 45 天') }]);
  });

  it('does not repeat the activity a community had last when it has another suggestion', () => {
    const plan = planMonth(input({ ranking: [row('1', 90, 'A', ['反诈宣传讲座', '养老金融讲座'])], registered: [{ communityId: '1', kind: '反诈宣传讲座', date: '2026-08-01', managerId: 'A' }] }));
    expect(plan.activities[0]?.kind).toBe('养老金融讲座');
  });

  it('sets goals from the target list, the sign-up and conversion rates and the family balance', () => {
    const plan = planMonth(input({ ranking: [row('1', 90, 'A', ['讲座'])] }));
    // 100 targets × 20% = 20 sign-ups; × 25% = 5 new accounts; × 50,000 元 = 250,000 元.
    expect(plan.activities[0]?.goal).toEqual({ signups: 20, newAccounts: 5, aum: 250_000 });
  });

  it('stops at the branch’s monthly maximum and spreads activities over the days', () => {
    const ranking = ['1', '2', '3', '4'].map((id, i) => row(id, 90 - i, ['A', 'B', 'C', 'C'][i] as string, ['讲座']));
    const plan = planMonth(input({ ranking, planning: { ...DEFAULT_SETTINGS.community.planning, maxPerMonth: 3 } }));
    expect(plan.activities).toHaveLength(3);
    expect(new Set(plan.activities.map((a) => a.date)).size).toBe(3);
    expect(plan.skipped[0]?.reason).toContain('上限 3 场');
  });
});
