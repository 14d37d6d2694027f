/**
 * Community marketing on an analysed 2,000-customer demo branch, through the engine host as the app calls
 * it: every community ranked with its components, measures that agree with plain SQL over the workspace,
 * suggestions that differ between communities for the reasons their customers give, target lists that a
 * campaign selecting the same rule gets, past events evaluated, and next month's plan within each manager's
 * capacity and the gap between a community's activities.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommunityRanking, CommunityRankRow } from '../../../shared/community-types';
import { addDays } from '../../../electron/engine/analytics/dates';
import { openWorkspace, type Db } from '../../../electron/engine/db/workspace';
import { EngineHost } from '../../../electron/engine/host';
import { tempDir } from '../../support/temp';

const dir = tempDir('bpw-community-');
const path = join(dir, 'demo.bpw');
let host: EngineHost;
let db: Db;
let ranking: CommunityRanking;

const byId = (id: string): CommunityRankRow => {
  const row = ranking.communities.find((c) => c.communityId === id);
  if (!row) throw new Error(`no community ${id}`);
  return row;
};
const activities = (id: string) => byId(id).suggestions.map((s) => s.activity);

beforeAll(async () => {
  host = new EngineHost({ log: () => {} });
  // The demo's analysis steps include the community snapshot.
  const demo = await host.runJob('demo.create', { path, customers: 2_000, txPerYear: 40 });
  expect(demo.analysis?.community).toMatchObject({ communities: 12 });
  await host.call('workspace.open', { path });
  ranking = (await host.call('community.rank', {})) as CommunityRanking;
  db = openWorkspace(path);
});

afterAll(async () => {
  db?.close();
  await host?.close();
});

describe('community ranking on the demo', () => {
  it('ranks every community of the register, none folded away, with the components of the score', () => {
    expect(ranking.communities.map((c) => c.communityId).sort()).toEqual((db.prepare('SELECT community_id FROM communities ORDER BY 1').pluck().all() as string[]).sort());
    expect(ranking.communities.map((c) => c.rank)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    for (let i = 1; i < ranking.communities.length; i++) expect(ranking.communities[i - 1]!.opportunity.score).toBeGreaterThanOrEqual(ranking.communities[i]!.opportunity.score);
    for (const c of ranking.communities) {
      const o = c.opportunity;
      expect(o.missing).toEqual([]);
      expect(o.score).toBeCloseTo((o.households.value ?? 0) + (o.gaps.value ?? 0) - (o.churn.value ?? 0), 6);
      expect(o.households.explain).toContain('未覆盖住户');
      expect(o.churn.value).toBeGreaterThanOrEqual(0);
    }
    expect(ranking.run).toMatchObject({ month: '2026-10', asOf: '2026-10-31', stale: false, unassignedCustomers: 0, notes: [] });
  });

  it('counts customers, penetration and AUM as plain SQL over the workspace does', () => {
    const runId = (db.prepare("SELECT max(run_id) AS id FROM customer_scores").get() as { id: number }).id;
    const rows = db
      .prepare(
        `SELECT c.community_id AS id, count(*) AS customers, cm.households AS households,
           sum((SELECT avg(b.aum) FROM balances b WHERE b.customer_id = c.customer_id AND b.month BETWEEN '2026-08' AND '2026-10')) AS aum
         FROM customers c JOIN communities cm ON cm.community_id = c.community_id
         LEFT JOIN customer_scores s ON s.customer_id = c.customer_id AND s.run_id = ?
         WHERE coalesce(s.lifecycle_stage, '') <> 'churned' AND (c.open_date IS NULL OR c.open_date <= '2026-10-31') GROUP BY 1`,
      )
      .all(runId) as { id: string; customers: number; households: number; aum: number }[];
    for (const expected of rows) {
      const row = byId(expected.id);
      expect(row.customers).toBe(expected.customers);
      expect(row.penetration).toBeCloseTo(expected.customers / expected.households, 10);
      expect(row.aumTotal).toBeCloseTo(expected.aum, 2);
      expect(row.aumPerHousehold).toBeCloseTo(expected.aum / expected.households, 4);
    }
    expect(ranking.branch.customers).toBe(rows.reduce((s, r) => s + r.customers, 0));
  });

  it('measures product penetration against the branch, and ranks the gaps of a community by their value', async () => {
    const holders = (community: string | null, category: string) =>
      (
        db
          .prepare(
            `SELECT count(DISTINCT h.customer_id) AS n FROM holdings h JOIN products p ON p.product_id = h.product_id JOIN customers c ON c.customer_id = h.customer_id
             LEFT JOIN customer_scores s ON s.customer_id = c.customer_id AND s.run_id = (SELECT max(run_id) FROM customer_scores)
             WHERE p.category = ? AND h.opened_at <= '2026-10-31' AND (h.closed_at IS NULL OR h.closed_at > '2026-10-31')
               AND coalesce(s.lifecycle_stage, '') <> 'churned' AND (? IS NULL OR c.community_id = ?)`,
          )
          .get(category, community, community) as { n: number }
      ).n;
    const portrait = await host.call('community.portrait', { communityId: 'SQ001' });
    const pension = portrait.gaps.find((g) => g.family === 'pension')!;
    expect(pension.community).toBeCloseTo(holders('SQ001', 'pension') / portrait.measures.customers, 10);
    expect(pension.branch).toBeCloseTo(holders(null, 'pension') / portrait.branch.customers, 10);
    const valued = portrait.gaps.filter((g) => g.value !== null && g.value > 0).map((g) => g.value as number);
    expect(valued).toEqual([...valued].sort((a, b) => b - a));
    expect(portrait.community.opportunity.gaps.value).toBeCloseTo(valued.reduce((s, v) => s + v, 0), 6);
  });

  it('suggests different activities to different communities, each for the reason its customers give', () => {
    // The old-town estate and the textile mill's dormitories: elderly, few on mobile banking.
    for (const id of ['SQ001', 'SQ007']) {
      expect(activities(id)).toEqual(expect.arrayContaining(['养老金融讲座', '反诈宣传讲座', '手机银行教学']));
      expect(byId(id).age60Share).toBeGreaterThan(0.4);
    }
    expect(byId('SQ001').suggestions.find((s) => s.activity === '养老金融讲座')?.reason).toMatch(/60岁以上客户占比 \d+\.\d%，全行 \d+\.\d%；个人养老金持有率 \d+\.\d%，全行 \d+\.\d%/);
    expect(activities('SQ005')).toContain('校园金融课与青年信用卡');
    expect(activities('SQ004')).toContain('务工人员金融服务日');
    expect(activities('SQ008')).toContain('商户贷与收单路演');
    expect(activities('SQ002')).toContain('亲子理财与教育金讲座');
    expect(activities('SQ003')).toContain('财富管理沙龙');
    // The student town gets no elderly activities and the old town no campus ones.
    expect(activities('SQ005')).not.toContain('反诈宣传讲座');
    expect(activities('SQ001')).not.toContain('校园金融课与青年信用卡');
    const firstChoices = new Set(ranking.communities.map((c) => c.suggestions[0]?.activity));
    expect(firstChoices.size).toBeGreaterThanOrEqual(6);
    for (const c of ranking.communities) for (const s of c.suggestions) expect(s.evidence.length).toBeGreaterThan(0);
  });

  it('names the target customers of a suggestion as a rule that selects exactly that many customers', async () => {
    const suggestion = byId('SQ001').suggestions.find((s) => s.activity === '养老金融讲座')!;
    expect(suggestion.audience).toEqual({ all: [{ field: 'community_id', op: '=', value: 'SQ001' }, { field: 'age', op: 'between', value: [45, 59] }, { not: { field: 'tag', op: 'has_tag', value: 'sys.pension' } }] });
    expect(suggestion.audienceNote).toBeNull();
    expect(suggestion.targetSize).toBeGreaterThan(0);
    expect(await host.call('customers.count', { filter: suggestion.audience })).toBe(suggestion.targetSize);
  });

  it('rolls communities up to grids and managers', async () => {
    const grids = await host.call('community.rollup', { scope: 'grid' });
    expect(grids).toHaveLength(6);
    for (const grid of grids) {
      const members = ranking.communities.filter((c) => c.gridId === grid.id);
      expect(members).toHaveLength(2);
      expect(grid.customers).toBe(members.reduce((s, c) => s + c.customers, 0));
      expect(grid.households).toBe(members.reduce((s, c) => s + (c.households ?? 0), 0));
      expect(grid.opportunity).toBeCloseTo(members.reduce((s, c) => s + c.opportunity.score, 0), 6);
    }
    const managers = await host.call('community.rollup', { scope: 'manager' });
    expect(managers.map((m) => m.id)).toEqual(expect.arrayContaining(['RM001', 'RM006', 'RM020']));
    expect(managers.reduce((s, m) => s + m.customers, 0)).toBe(ranking.branch.customers);
    const rm006 = managers.find((m) => m.id === 'RM006')!;
    expect(rm006).toMatchObject({ team: '社区金融团队', communities: 2, penetration: null });
    expect(rm006.contactedShare).toBeGreaterThan(0);
  });
});

describe('activity history and evaluation', () => {
  it('enters the community events of the contact records into the register, once', () => {
    const events = db
      .prepare(
        `SELECT count(*) AS n FROM (SELECT DISTINCT c.community_id, i.date, substr(i.outcome, 1, instr(i.outcome, '，') - 1) FROM interactions i
         JOIN customers c ON c.customer_id = i.customer_id WHERE i.kind = 'event')`,
      )
      .get() as { n: number };
    const history = db.prepare("SELECT count(*) AS n FROM community_activities WHERE source = 'history'").get() as { n: number };
    expect(events.n).toBeGreaterThan(50);
    expect(history.n).toBe(events.n);
  });

  it('evaluates a past event by its attendees, the products they opened and their assets', async () => {
    const [latest] = await host.call('community.activities', { communityId: 'SQ001', limit: 1 });
    expect(latest).toMatchObject({ source: 'history', status: 'done', managerId: 'RM006' });
    const attendees = db
      .prepare("SELECT DISTINCT i.customer_id AS id FROM interactions i JOIN customers c ON c.customer_id = i.customer_id WHERE i.kind = 'event' AND i.date = ? AND c.community_id = 'SQ001' AND i.outcome LIKE ?")
      .pluck()
      .all(latest!.date, `${latest!.kind}，%`) as string[];
    const windowEnd = addDays(latest!.date, 30);
    const opened = db
      .prepare(`SELECT count(*) AS n FROM holdings WHERE opened_at BETWEEN ? AND ? AND customer_id IN (${attendees.map(() => '?').join(',')})`)
      .get(latest!.date, windowEnd, ...attendees) as { n: number };
    expect(latest!.evaluation).toMatchObject({ basis: 'attendance', participants: attendees.length, newAccounts: opened.n });
    expect(latest!.evaluation?.aumChange).not.toBeNull();
  });

  it('measures an activity linked to a campaign by the campaign’s responses', async () => {
    const campaign = (await host.call('community.campaigns', {})).find((c) => c.campaignId.includes('养老金'))!;
    const saved = await host.call('community.saveActivity', { communityId: 'SQ001', kind: '养老金开户专场', date: '2026-05-16', status: 'done', campaignId: campaign.campaignId, goalSignups: 20, goalNewAccounts: 10 });
    const counts = db
      .prepare("SELECT sum(outcome IN ('responded', 'converted')) AS responded, sum(outcome = 'converted') AS converted, sum(CASE WHEN outcome = 'converted' THEN amount END) AS amount FROM campaign_responses WHERE campaign_id = ?")
      .get(campaign.campaignId) as { responded: number; converted: number; amount: number };
    expect(saved.evaluation).toMatchObject({ basis: 'campaign', participants: counts.responded, newAccounts: counts.converted, aumChange: counts.amount, complete: true });
    expect(saved.goal).toEqual({ signups: 20, newAccounts: 10, aum: null });
    await expect(host.call('community.saveActivity', { communityId: 'SQ001', kind: '讲座', date: '2026-05-16', campaignId: '没有这个活动' })).rejects.toMatchObject({ code: 'bad_input' });
    expect(await host.call('community.deleteActivity', { activityId: saved.activityId })).toBeNull();
  });

  it('keeps history rows: they cannot be deleted, only cancelled', async () => {
    const [event] = await host.call('community.activities', { communityId: 'SQ002', limit: 1 });
    await expect(host.call('community.deleteActivity', { activityId: event!.activityId })).rejects.toMatchObject({ message: expect.stringContaining('已取消') });
  });
});

describe('monthly plan', () => {
  it('plans next month by opportunity within each manager’s capacity and the gap after each community’s last activity', async () => {
    const settings = await host.call('settings.get', {});
    const { activitiesPerManager, minGapDays } = settings.community.planning;
    const plan = await host.runJob('community.plan', { month: '2026-11', save: true });
    expect(plan.activities.length).toBeGreaterThan(3);
    const perManager = new Map<string, number>();
    for (const a of plan.activities) perManager.set(a.managerId ?? '', (perManager.get(a.managerId ?? '') ?? 0) + 1);
    for (const n of perManager.values()) expect(n).toBeLessThanOrEqual(activitiesPerManager);
    expect(new Set(plan.activities.map((a) => a.communityId)).size).toBe(plan.activities.length);
    for (const a of plan.activities) {
      expect(a.date.slice(0, 7)).toBe('2026-11');
      expect([0, 6]).toContain(new Date(`${a.date}T00:00:00Z`).getUTCDay());
      const last = db.prepare("SELECT max(date) AS d FROM community_activities WHERE community_id = ? AND date < '2026-11-01' AND status <> 'cancelled'").get(a.communityId) as { d: string | null };
      if (last.d) expect(a.date >= addDays(last.d, minGapDays)).toBe(true);
      expect(a.targetSize).toBe(await host.call('customers.count', { filter: a.audience }));
      expect(a.activityId).toBeGreaterThan(0);
    }
    // Communities left out say why, and every community is either planned or skipped.
    expect(plan.activities.length + plan.skipped.length).toBe(12);
    for (const s of plan.skipped) expect(s.reason).toMatch(/不足 \d+ 天|已满|没有适用/);

    // Planning the month again replaces the plan instead of adding to it.
    await host.runJob('community.plan', { month: '2026-11', save: true });
    const saved = await host.call('community.activities', { month: '2026-11' });
    expect(saved.filter((a) => a.source === 'plan')).toHaveLength(plan.activities.length);
    expect(saved.every((a) => a.evaluation === null && a.status === 'planned')).toBe(true);
  });

  it('follows a capacity of one activity per manager set in settings, without a new snapshot', async () => {
    const settings = await host.call('settings.get', {});
    await host.call('settings.set', { patch: { community: { ...settings.community, planning: { ...settings.community.planning, activitiesPerManager: 1 } } } });
    try {
      const plan = await host.runJob('community.plan', { month: '2026-12', save: false });
      const managers = plan.activities.map((a) => a.managerId);
      expect(new Set(managers).size).toBe(managers.length);
      expect(plan.capacity.every((c) => c.planned <= 1)).toBe(true);
    } finally {
      await host.call('settings.set', { patch: { community: settings.community } });
    }
  });

  it('refuses a month before the snapshot', async () => {
    await expect(host.runJob('community.plan', { month: '2026-09' })).rejects.toMatchObject({ code: 'bad_input', message: expect.stringContaining('2026-10') });
  });
});

describe('settings and freshness', () => {
  it('scores and suggests with the current settings, and marks target sizes of a changed audience as not yet counted', async () => {
    const settings = await host.call('settings.get', {});
    const rules = settings.community.activityRules.map((r) => (r.id === 'anti_fraud' ? { ...r, audience: { field: 'age', op: '>=', value: 65 } as const } : r));
    await host.call('settings.set', { patch: { community: { ...settings.community, activityRules: rules, opportunity: { ...settings.community.opportunity, churnWeight: 0 } } } });
    try {
      const changed = (await host.call('community.rank', {}))!;
      const row = changed.communities.find((c) => c.communityId === 'SQ001')!;
      expect(row.opportunity.churn.value).toBe(0);
      expect(row.suggestions.find((s) => s.ruleId === 'anti_fraud')?.targetSize).toBeNull();
      expect(row.suggestions.find((s) => s.ruleId === 'pension_talk')?.targetSize).toBe(byId('SQ001').suggestions.find((s) => s.ruleId === 'pension_talk')?.targetSize);
    } finally {
      await host.call('settings.set', { patch: { community: settings.community } });
    }
  });

  it('marks the snapshot stale after a newer customer analysis, and a new snapshot is current again', async () => {
    await host.runJob('analysis.run', {});
    expect((await host.call('community.rank', {}))?.run.stale).toBe(true);
    const fresh = await host.runJob('community.analyze', {});
    const after = (await host.call('community.rank', {}))!;
    expect(after.run).toMatchObject({ runId: fresh.runId, stale: false });
    // Events already in the register are not entered twice.
    expect(fresh.historyAdded).toBe(0);
  });
});
