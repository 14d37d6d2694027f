/**
 * CLI commands of community marketing (see shared/community.ts); joined into electron/cli.ts.
 *
 *   community rank     --workspace W.bpw [--month YYYY-MM] [--refresh]
 *   community plan     --workspace W.bpw --month YYYY-MM [--save]
 *   community portrait --workspace W.bpw --community ID
 *
 * `rank` takes a new community snapshot when there is none of the month, or the data changed since (or with
 * --refresh); `plan` and `portrait` use the latest snapshot, taking one first when there is none.
 */
import { resolve } from 'node:path';
import { CAMPAIGN_GOAL_LABELS } from '../../shared/community-rules';
import type { ActivityPlan, CommunityPortrait, CommunityRanking, CommunityRankRow } from '../../shared/community-types';
import { formatShare, formatWan } from '../../shared/glossary';
import { EngineError } from '../engine/errors';
import type { EngineHost } from '../engine/host';
import type { CommandGroup } from './command';
import { fmt, type CliOutput } from './output';
import { openWorkspace, requireOption, type CommandArgs } from './workspace-commands';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function monthOption(args: CommandArgs, required: boolean): string | undefined {
  const value = args.values.month;
  if (value === undefined) {
    if (required) throw new EngineError('bad_input', '缺少参数 --month（计划月份，如 2026-12）');
    return undefined;
  }
  if (typeof value !== 'string' || !MONTH.test(value)) throw new EngineError('bad_input', `--month 应为月份 YYYY-MM，例如 2026-10，收到“${String(value).slice(0, 20)}”`);
  return value;
}

const orNone = (value: number | null, show: (v: number) => string) => (value === null ? '无数据' : show(value));
const wan = (yuan: number | null) => orNone(yuan, (v) => `${formatWan(v)} 万元`);
const share = (value: number | null) => orNone(value, formatShare);

/** The ranking of `month` (or the latest), taking a snapshot when needed. */
async function ranking(host: EngineHost, out: CliOutput, month: string | undefined, refresh: boolean): Promise<CommunityRanking> {
  const current = await host.call('community.rank', {});
  if (!refresh && current && !current.run.stale && (month === undefined || current.run.month === month)) return current;
  out.say(`正在计算社区画像${month ? `（截至 ${month}）` : ''} …`);
  const analyzed = await host.runJob('community.analyze', month ? { month } : {}, out.progress());
  const fresh = await host.call('community.rank', { runId: analyzed.runId });
  if (!fresh) throw new EngineError('internal', '社区画像已计算但无法读取');
  return fresh;
}

function printRanking(out: CliOutput, r: CommunityRanking): void {
  out.say(`\n社区排名：数据截至 ${r.run.asOf}，新增与流失按 ${r.run.periodFrom} 起统计${r.run.scoresAsOf ? `，流失风险截至 ${r.run.scoresAsOf}` : ''}`);
  for (const note of r.run.notes) out.say(`  注意：${note}`);
  if (r.run.unassignedCustomers > 0) out.say(`  另有 ${fmt(r.run.unassignedCustomers)} 位客户未归属到社区表中的社区`);
  for (const c of r.communities) {
    const o = c.opportunity;
    out.say(
      `\n${String(c.rank).padStart(2)}. ${c.name}（${c.communityId}）机会值 ${wan(o.score)}/年：客户 ${fmt(c.customers)} 人，住户 ${c.households === null ? '无数据' : `${fmt(c.households)} 户`}，渗透率 ${share(c.penetration)}，户均资产（按住户）${wan(c.aumPerHousehold)}`,
    );
    out.say(`    拓户机会 ${wan(o.households.value)}：${o.households.explain}`);
    out.say(`    产品缺口 ${wan(o.gaps.value)}：${o.gaps.explain}`);
    out.say(`    流失扣减 ${wan(o.churn.value)}：${o.churn.explain}`);
    for (const s of c.suggestions) out.say(`    建议【${s.activity}】目标客户 ${s.targetSize === null ? '待统计' : `${fmt(s.targetSize)} 人`}：${s.reason}`);
    if (c.suggestions.length === 0) out.say('    暂无适用的活动建议');
  }
}

function rankJson(row: CommunityRankRow): Record<string, unknown> {
  const o = row.opportunity;
  return {
    rank: row.rank,
    community_id: row.communityId,
    name: row.name,
    grid_id: row.gridId,
    grid_name: row.gridName,
    manager_id: row.managerId,
    households: row.households,
    customers: row.customers,
    penetration: row.penetration,
    active_share: row.activeShare,
    aum_total: row.aumTotal,
    aum_per_customer: row.aumPerCustomer,
    aum_per_household: row.aumPerHousehold,
    age60_share: row.age60Share,
    churn_high_share: row.churnHighShare,
    aum_at_risk: row.aumAtRisk,
    new_customers: row.newCustomers,
    lost_customers: row.lostCustomers,
    opportunity_score: o.score,
    components: {
      households: { value: o.households.value, untapped: o.households.untapped, expected_aum_per_household: o.households.expectedAumPerHousehold, basis: o.households.basis, explain: o.households.explain },
      gaps: { value: o.gaps.value, explain: o.gaps.explain, top: o.gaps.items.filter((g) => (g.gap ?? 0) > 0).slice(0, 5).map((g) => ({ family: g.family, community: g.community, branch: g.branch, value: g.value })) },
      churn: { value: o.churn.value, explain: o.churn.explain },
    },
    missing: o.missing,
    suggestions: row.suggestions.map((s) => ({ rule_id: s.ruleId, kind: s.activity, goal: s.goal, reason: s.reason, rule: s.audience, target_size: s.targetSize, budget: s.budget, audience_note: s.audienceNote })),
  };
}

async function rankCommand(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  const month = monthOption(args, false);
  const r = await ranking(host, out, month, args.values.refresh === true);
  printRanking(out, r);
  return out.finish({
    ok: true,
    run_id: r.run.runId,
    month: r.run.month,
    as_of: r.run.asOf,
    period_from: r.run.periodFrom,
    scores_as_of: r.run.scoresAsOf,
    unassigned_customers: r.run.unassignedCustomers,
    notes: r.run.notes,
    communities: r.communities.map(rankJson),
  });
}

function printPlan(out: CliOutput, plan: ActivityPlan): void {
  out.say(`\n${plan.month} 社区活动计划：${plan.activities.length} 场${plan.saved ? '（已保存到活动登记）' : '（未保存，加 --save 保存）'}`);
  for (const a of plan.activities) {
    out.say(`  ${a.date} ${a.communityName} 【${a.kind}】 ${a.managerName ?? a.managerId ?? '未指定'}，目标客户 ${a.targetSize === null ? '待统计' : fmt(a.targetSize)} 人，预算 ${wan(a.budget)}，目标：报名 ${a.goal.signups ?? '—'} 人、新开产品 ${a.goal.newAccounts ?? '—'} 个${a.goal.aum === null ? '' : `、资产 ${wan(a.goal.aum)}`}（${CAMPAIGN_GOAL_LABELS[a.goalType]}）`);
    out.say(`    理由：${a.reason}`);
  }
  for (const s of plan.skipped) out.say(`  未安排 ${s.name}：${s.reason}`);
  const busy = plan.capacity.filter((c) => c.planned > 0);
  if (busy.length > 0) out.say(`  客户经理安排：${busy.map((c) => `${c.name ?? c.managerId} ${c.planned}/${c.capacity}`).join('，')}`);
}

async function planCommand(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  const month = monthOption(args, true) as string;
  await ranking(host, out, undefined, false);
  out.say(`正在安排 ${month} 的社区活动 …`);
  const plan = await host.runJob('community.plan', { month, save: args.values.save === true }, out.progress());
  printPlan(out, plan);
  return out.finish({
    ok: true,
    month: plan.month,
    run_id: plan.runId,
    saved: plan.saved,
    activities: plan.activities.map((a) => ({
      activity_id: a.activityId,
      community_id: a.communityId,
      community_name: a.communityName,
      kind: a.kind,
      rule_id: a.ruleId,
      date: a.date,
      manager_id: a.managerId,
      manager_name: a.managerName,
      goal_type: a.goalType,
      target_size: a.targetSize,
      budget: a.budget,
      goal: { signups: a.goal.signups, new_accounts: a.goal.newAccounts, aum: a.goal.aum },
      reason: a.reason,
      rule: a.audience,
      opportunity_score: a.opportunityScore,
    })),
    skipped: plan.skipped.map((s) => ({ community_id: s.communityId, name: s.name, reason: s.reason })),
    capacity: plan.capacity.map((c) => ({ manager_id: c.managerId, name: c.name, planned: c.planned, capacity: c.capacity })),
  });
}

function printPortrait(out: CliOutput, p: CommunityPortrait): void {
  const c = p.community;
  const m = p.measures;
  out.say(`\n${c.name}（${c.communityId}）${c.gridName ? `，${c.gridName}` : ''}，负责客户经理 ${c.managerName ?? c.managerId ?? '未指定'}，机会排名第 ${c.rank}`);
  out.say(`  住户 ${m.households === null ? '无数据' : `${fmt(m.households)} 户`}，客户 ${fmt(m.customers)} 人，渗透率 ${share(m.penetration)}；活跃 ${share(m.activeShare)}；本期新增 ${m.newCustomers} 人、流失 ${m.lostCustomers ?? '无数据'} 人`);
  out.say(`  资产总额 ${wan(m.aumTotal)}，户均资产（按住户）${wan(m.aumPerHousehold)}；60岁以上客户 ${share(m.age60Share)}（常住人口 ${share(m.residentAge60Share)}）；流失高风险 ${share(m.churnHighShare)}，在险资产 ${wan(m.aumAtRisk)}`);
  const lagging = p.gaps.filter((g) => (g.gap ?? 0) > 0).slice(0, 5);
  if (lagging.length > 0) out.say(`  产品缺口：${lagging.map((g) => `${g.label} ${share(g.community)}（全行 ${share(g.branch)}）`).join('；')}`);
  for (const s of c.suggestions) out.say(`  建议【${s.activity}】：${s.reason}`);
  out.say(`  近 12 个月社区活动 ${c.history.activities} 场、参加 ${c.history.participants} 人次；营销活动 ${c.history.campaigns} 个，响应率 ${share(c.history.campaignResponseRate)}`);
}

async function portraitCommand(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  const communityId = requireOption(args, 'community', '社区编号，如 SQ001');
  await ranking(host, out, undefined, false);
  const portrait = await host.call('community.portrait', { communityId });
  printPortrait(out, portrait);
  return out.finish({ ok: true, portrait });
}

async function communityCommand(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  const [sub] = args.positionals;
  const commands: Record<string, (host: EngineHost, args: CommandArgs, out: CliOutput) => Promise<number>> = { rank: rankCommand, plan: planCommand, portrait: portraitCommand };
  const command = sub ? commands[sub] : undefined;
  if (!command) throw new EngineError('bad_input', `请指定 community 的子命令：rank（社区排名）、plan（活动计划）或 portrait（社区画像），收到“${(sub ?? '').slice(0, 20)}”`);
  await openWorkspace(host, resolve(requireOption(args, 'workspace', '工作区文件，如 branch.bpw')));
  return command(host, args, out);
}

export const communityCli: CommandGroup = {
  commands: { community: communityCommand },
  options: { month: { type: 'string' }, refresh: { type: 'boolean' }, save: { type: 'boolean' }, community: { type: 'string' } },
  usage: [
    '  community rank     --workspace W.bpw [--month YYYY-MM] [--refresh]   社区排名：机会值及其构成、活动建议',
    '  community plan     --workspace W.bpw --month YYYY-MM [--save]        下月社区活动计划（按客户经理容量）',
    '  community portrait --workspace W.bpw --community ID                 单个社区画像',
  ].join('\n'),
};
