/**
 * CLI commands of campaigns (see shared/campaigns.ts); joined into electron/cli.ts:
 *
 *   campaign create    --workspace W --name N (--rule JSON | --segment ID | --tag KEY | --churn-band high[,medium] |
 *                      --product PID [--top N] | --community ID) [--goal 挽留] [--channel 电话] [--start D] [--end D]
 *                      [--control 0.1] [--fatigue-days 30] [--max-campaigns 2] [--per-manager 200] [--ranking aum]
 *                      [--ab 方案A,方案B] [--budget 元] [--cost-per-contact 元] [--owner 姓名] [--script 话术] [--seed S]
 *   campaign export    --workspace W --campaign ID --out F.xlsx|文件夹 [--csv] [--unmask --purpose 用途]
 *   campaign responses --workspace W --campaign ID --file F [--sheet S] [--policy skip-bad|reject]
 *   campaign evaluate  --workspace W --campaign ID
 *   campaign next-wave --workspace W --campaign ID [--name N] [--start D] [--end D]
 *   campaign list      --workspace W
 *   control-group      --workspace W [--redraw]
 */
import { resolve } from 'node:path';
import type { AudienceSource, CampaignDraft, CampaignEvaluation, CampaignPlan, GroupOutcome } from '../../shared/campaigns';
import { CAMPAIGN_CHANNEL_LABELS, CAMPAIGN_CHANNELS, CAMPAIGN_GOAL_LABELS, CAMPAIGN_GOALS, CAMPAIGN_RANKINGS, CAMPAIGN_STATUS_LABELS } from '../../shared/campaigns';
import { formatPoints, formatShare, formatWan } from '../../shared/glossary';
import type { RuleNode } from '../../shared/rules';
import { EngineError } from '../engine/errors';
import type { EngineHost } from '../engine/host';
import type { CommandGroup } from './command';
import { fmt, type CliOutput } from './output';
import { intOption, openWorkspace, requireOption, type CommandArgs } from './workspace-commands';

const str = (args: CommandArgs, key: string): string | undefined => {
  const v = args.values[key];
  return typeof v === 'string' ? v : undefined;
};

function numberOption(args: CommandArgs, key: string): number | undefined {
  const value = str(args, key);
  if (value === undefined) return undefined;
  const n = Number(value.replace(/[,_]/g, ''));
  if (!Number.isFinite(n)) throw new EngineError('bad_input', `参数 --${key} 应为数字，收到“${value}”`);
  return n;
}

/** A code or its Chinese name: --goal retain and --goal 挽留 are the same. */
function choice<T extends string>(args: CommandArgs, key: string, codes: readonly T[], labels: Readonly<Record<T, string>>): T | undefined {
  const value = str(args, key);
  if (value === undefined) return undefined;
  const code = codes.find((c) => c === value || labels[c] === value);
  if (!code) throw new EngineError('bad_input', `--${key} 只能是 ${codes.map((c) => `${labels[c]}（${c}）`).join('、')}，收到“${value}”`);
  return code;
}

async function open(host: EngineHost, args: CommandArgs): Promise<void> {
  await openWorkspace(host, resolve(requireOption(args, 'workspace', '工作区文件，如 branch.bpw')));
}

function audienceOf(args: CommandArgs): AudienceSource {
  const given = (['rule', 'segment', 'tag', 'churn-band', 'product', 'community'] as const).filter((k) => str(args, k) !== undefined);
  if (given.length !== 1) throw new EngineError('bad_input', `请用且只用一个参数指定受众：--rule、--segment、--tag、--churn-band、--product 或 --community${given.length > 1 ? `（收到 ${given.map((g) => `--${g}`).join('、')}）` : ''}`);
  const value = str(args, given[0])!;
  switch (given[0]) {
    case 'rule': {
      let rule: unknown;
      try {
        rule = JSON.parse(value);
      } catch {
        throw new EngineError('bad_input', '--rule 应为规则的 JSON，如 {"field":"value_tier","op":"in","value":["wealth","private"]}');
      }
      return { kind: 'rule', rule: rule as RuleNode };
    }
    case 'segment':
      return { kind: 'segment', segmentId: intOption(args, 'segment', 0) };
    case 'tag':
      return { kind: 'tag', tagId: value };
    case 'churn-band':
      return { kind: 'churn', bands: value.split(',').map((b) => b.trim()) as ('high' | 'medium' | 'low')[] };
    case 'product':
      return { kind: 'product', productId: value, ...(str(args, 'top') ? { top: intOption(args, 'top', 0) } : {}) };
    case 'community':
      return { kind: 'community', communityId: value };
  }
}

async function campaignCommand(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  const [sub] = args.positionals;
  switch (sub) {
    case 'create':
      return create(host, args, out);
    case 'export':
      return exportLists(host, args, out);
    case 'responses':
      return responses(host, args, out);
    case 'evaluate':
      return evaluate(host, args, out);
    case 'next-wave':
      return nextWave(host, args, out);
    case 'list':
      return list(host, args, out);
    default:
      throw new EngineError('bad_input', `请指定 campaign 的子命令：create（生成名单）、export（导出名单）、responses（导入回执）、evaluate（评估效果）、next-wave（第二轮）或 list，收到“${sub ?? ''}”`);
  }
}

async function create(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  // The arguments are checked before the workspace is opened: a mistyped command fails at once.
  const source = audienceOf(args);
  const name = requireOption(args, 'name', '活动名称');
  await open(host, args);
  const product = str(args, 'product');
  const ab = str(args, 'ab');
  const draft: CampaignDraft = {
    name,
    source,
    goal: choice(args, 'goal', CAMPAIGN_GOALS, CAMPAIGN_GOAL_LABELS) ?? (str(args, 'churn-band') ? 'retain' : 'buy_product'),
    ...(product ? { productId: product } : {}),
  };
  const optional: Partial<CampaignDraft> = {
    channel: choice(args, 'channel', CAMPAIGN_CHANNELS, CAMPAIGN_CHANNEL_LABELS),
    startsOn: str(args, 'start'),
    endsOn: str(args, 'end'),
    controlShare: numberOption(args, 'control'),
    fatigueDays: numberOption(args, 'fatigue-days'),
    maxCampaignsPer30Days: numberOption(args, 'max-campaigns'),
    perManagerCap: numberOption(args, 'per-manager'),
    ranking: str(args, 'ranking') as CampaignDraft['ranking'],
    budget: numberOption(args, 'budget'),
    costPerContact: numberOption(args, 'cost-per-contact'),
    owner: str(args, 'owner'),
    script: str(args, 'script'),
    seed: numberOption(args, 'seed'),
    arms: ab ? ab.split(',').map((label) => ({ label: label.trim() })) : undefined,
  };
  if (optional.ranking !== undefined && !CAMPAIGN_RANKINGS.includes(optional.ranking)) throw new EngineError('bad_input', `--ranking 只能是 ${CAMPAIGN_RANKINGS.join('、')}`);
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) (draft as Record<string, unknown>)[key] = value;
  out.say(`正在生成营销活动“${draft.name}”的名单 …`);
  const plan = await host.runJob('campaigns.create', draft, out.progress());
  printPlan(out, plan);
  return out.finish(planJson(plan));
}

function printPlan(out: CliOutput, plan: CampaignPlan): void {
  const w = plan.waterfall;
  out.say(`\n营销活动 ${plan.campaignId ?? '（预览）'}“${plan.name}”，${plan.startsOn} 至 ${plan.endsOn}`);
  out.say(`  受众 ${fmt(w.audience)}`);
  for (const step of w.steps) out.say(`  → ${step.label} ${fmt(step.excluded)}（余 ${fmt(step.remaining)}）`);
  out.say(`  可营销客户 ${fmt(w.eligible)}：对照组 ${fmt(w.control)}，超出客户经理名额 ${fmt(w.overCap)}，名单客户 ${fmt(w.target)}`);
  out.say(`  全局对照组：${plan.universalControl.startsOn} 至 ${plan.universalControl.endsOn}，${fmt(plan.universalControl.size)} 位客户（${formatShare(plan.universalControl.share)}）`);
  for (const m of plan.managers.slice(0, 30)) out.say(`  ${m.managerName.padEnd(8, '　')} 名单 ${fmt(m.target).padStart(6)}  对照 ${fmt(m.control).padStart(5)}  超出名额 ${fmt(m.overCap).padStart(5)}`);
  if (plan.managers.length > 30) out.say(`  …… 共 ${plan.managers.length} 位客户经理`);
  for (const note of plan.notes) out.say(`  注意：${note}`);
}

function planJson(plan: CampaignPlan): Record<string, unknown> {
  return {
    ok: true,
    campaign_id: plan.campaignId,
    name: plan.name,
    starts_on: plan.startsOn,
    ends_on: plan.endsOn,
    audience: plan.waterfall.audience,
    excluded: Object.fromEntries(plan.waterfall.steps.map((s) => [s.key, s.excluded])),
    waterfall: plan.waterfall.steps,
    eligible: plan.waterfall.eligible,
    target: plan.waterfall.target,
    control: plan.waterfall.control,
    over_cap: plan.waterfall.overCap,
    ranking: plan.ranking,
    per_manager: plan.perManagerCap,
    managers: plan.managers,
    universal_control: plan.universalControl,
    notes: plan.notes,
    seconds: plan.seconds,
  };
}

async function exportLists(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  await open(host, args);
  const unmask = args.values.unmask === true;
  const purpose = str(args, 'purpose');
  const request = {
    campaignId: requireOption(args, 'campaign', '活动编号，如 CMP20261206-01'),
    path: resolve(requireOption(args, 'out', '导出的 XLSX 文件或文件夹')),
    format: args.values.csv === true ? ('csv' as const) : ('xlsx' as const),
    unmask,
    ...(purpose ? { purpose } : {}),
  };
  out.say(`正在导出营销活动 ${request.campaignId} 的名单${unmask ? '（未脱敏）' : '（已脱敏）'} …`);
  const result = await host.runJob('campaigns.export', request, out.progress());
  for (const f of result.files) out.say(`  ${f.path}  ${fmt(f.rows)} 行  SHA-256 ${f.sha256}`);
  out.say(`共 ${fmt(result.rows)} 位客户，${result.sheets.length} 位客户经理（${result.sheets.join('、')}）`);
  return out.finish({ ok: true, file: result.file, sha256: result.sha256, rows: result.rows, sheets: result.sheets, files: result.files, masked: result.masked });
}

async function responses(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  await open(host, args);
  const policy = str(args, 'policy') ?? 'skip-bad';
  if (policy !== 'reject' && policy !== 'skip-bad') throw new EngineError('bad_input', `--policy 只能是 skip-bad（跳过问题行，默认）或 reject（整批拒绝），收到“${policy}”`);
  const request = {
    campaignId: requireOption(args, 'campaign', '活动编号'),
    file: resolve(requireOption(args, 'file', '回执文件（填好的名单或 客户号,结果,日期,金额 文件）')),
    policy: policy as 'reject' | 'skip-bad',
    ...(str(args, 'sheet') ? { sheet: str(args, 'sheet') } : {}),
  };
  out.say(`正在导入营销活动 ${request.campaignId} 的回执 …`);
  const result = await host.runJob('campaigns.importResponses', request, out.progress());
  for (const r of result.imports) out.say(`  ${r.sheet ?? r.fileName}：${r.message}`);
  for (const s of result.skippedSheets) out.say(`  未导入“${s.sheet}”：${s.message}`);
  if (result.outsiders.count > 0) out.say(`  注意：${fmt(result.outsiders.count)} 条回执的客户不在本活动的名单或对照组中（已保留），如 ${result.outsiders.sample.slice(0, 5).join('、')}`);
  printEvaluation(out, result.evaluation);
  const rejected = result.imports.some((r) => r.status === 'rejected');
  return out.finish(
    {
      ok: !rejected,
      campaign_id: result.campaignId,
      rows_loaded: result.rowsLoaded,
      rows_rejected: result.rowsRejected,
      imports: result.imports.map((r) => ({ batch_id: r.batchId, file: r.fileName, sheet: r.sheet, status: r.status, rows_loaded: r.rowsLoaded, rows_rejected: r.rowsRejected, message: r.message, errors: r.errors.slice(0, 50) })),
      skipped_sheets: result.skippedSheets,
      outsiders: result.outsiders,
      evaluation: evaluationJson(result.evaluation),
    },
    rejected ? 2 : 0,
  );
}

async function evaluate(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  await open(host, args);
  const evaluation = await host.runJob('campaigns.evaluate', { campaignId: requireOption(args, 'campaign', '活动编号') }, out.progress());
  printEvaluation(out, evaluation);
  return out.finish({ ok: true, ...evaluationJson(evaluation) });
}

const groupJson = (g: GroupOutcome | null) =>
  g && { n: g.n, contacted: g.contacted, responded: g.responded, converted: g.converted, rate: g.conversionRate, contact_rate: g.contactRate, response_rate: g.responseRate, amount: g.amount, aum_change: g.aumChange };

function evaluationJson(e: CampaignEvaluation): Record<string, unknown> {
  return {
    campaign_id: e.campaignId,
    window: e.window,
    target: groupJson(e.target),
    control: groupJson(e.control),
    uplift: e.uplift,
    ci95: e.ci95,
    significant: e.significant,
    verdict: e.verdict,
    response_uplift: e.responseUplift,
    incremental_conversions: e.incrementalConversions,
    incremental_amount: e.incrementalAmount,
    incremental_aum: e.incrementalAum,
    income: e.income,
    cost: e.cost,
    roi: e.roi,
    arms: e.arms,
    by_manager: e.byManager,
    by_tier: e.byTier,
    by_segment: e.bySegment,
    outsiders: e.outsiders,
    notes: e.notes,
  };
}

function printEvaluation(out: CliOutput, e: CampaignEvaluation): void {
  const line = (label: string, g: GroupOutcome) =>
    `  ${label} ${fmt(g.n).padStart(7)} 人：接触 ${formatShare(g.contactRate)}，响应 ${formatShare(g.responseRate)}，转化 ${formatShare(g.conversionRate)}（${fmt(g.converted)} 人）`;
  out.say(`\n活动 ${e.campaignId} 效果评估（${e.window.from} 至 ${e.window.to}）`);
  out.say(line('目标组', e.target));
  if (e.control) out.say(line('对照组', e.control));
  out.say(`  ${e.verdict}`);
  if (e.uplift !== null) out.say(`  提升 ${formatPoints(e.uplift)}`);
  if (e.incrementalAum !== null) out.say(`  增量资产 ${formatWan(e.incrementalAum)} 万元`);
  if (e.income !== null) out.say(`  增量年化收益 ${formatWan(e.income)} 万元，${e.cost > 0 ? `成本 ${formatWan(e.cost)} 万元，ROI ${formatShare(e.roi)}` : '未设置每次接触成本，ROI 无法计算'}`);
  if (e.arms) out.say(`  A/B：${e.arms.comparison.verdict}`);
  if (e.outsiders > 0) out.say(`  另有 ${fmt(e.outsiders)} 条回执来自名单和对照组以外的客户`);
  for (const note of e.notes) out.say(`  注意：${note}`);
}

async function nextWave(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  await open(host, args);
  const request = {
    campaignId: requireOption(args, 'campaign', '第一轮的活动编号'),
    ...(str(args, 'name') ? { name: str(args, 'name') } : {}),
    ...(str(args, 'start') ? { startsOn: str(args, 'start') } : {}),
    ...(str(args, 'end') ? { endsOn: str(args, 'end') } : {}),
  };
  out.say(`正在对活动 ${request.campaignId} 的未响应客户发起第二轮 …`);
  const plan = await host.runJob('campaigns.nextWave', request, out.progress());
  printPlan(out, plan);
  return out.finish(planJson(plan));
}

async function list(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  await open(host, args);
  const { campaigns, universalControl } = await host.call('campaigns.list', {});
  for (const c of campaigns) {
    out.say(`${c.campaignId}  ${c.name}  ${CAMPAIGN_STATUS_LABELS[c.status]}  名单 ${fmt(c.target)}  对照 ${fmt(c.control)}  回执 ${fmt(c.responses)}${c.uplift !== null ? `  提升 ${formatPoints(c.uplift)}` : ''}`);
  }
  if (campaigns.length === 0) out.say('还没有营销活动。用 campaign create 生成第一份名单。');
  return out.finish({ ok: true, campaigns, universal_control: universalControl });
}

async function controlGroupCommand(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  await open(host, args);
  const redraw = args.values.redraw === true;
  const result = await host.runJob('campaigns.controlGroup', { redraw, ...(str(args, 'date') ? { date: str(args, 'date') } : {}) }, out.progress());
  out.say(`全局对照组${redraw ? '已重新抽取' : ''}：${result.startsOn} 至 ${result.endsOn}，${fmt(result.size)} 位客户（占 ${fmt(result.assigned)} 位客户的 ${formatShare(result.assigned > 0 ? result.size / result.assigned : 0)}，设定 ${formatShare(result.share)}）`);
  if (result.newlyAssigned > 0) out.say(`  本次分配 ${fmt(result.newlyAssigned)} 位客户`);
  if (result.effect?.comparison) out.say(`  营销整体效果：${result.effect.comparison.verdict}`);
  for (const note of result.effect?.notes ?? []) out.say(`  注意：${note}`);
  return out.finish({
    ok: true,
    period_id: result.periodId,
    period: { starts_on: result.startsOn, ends_on: result.endsOn },
    size: result.size,
    assigned: result.assigned,
    share: result.share,
    newly_assigned: result.newlyAssigned,
    drawn_at: result.drawnAt,
    effect: result.effect && { marketed: groupJson(result.effect.marketed), holdout: groupJson(result.effect.holdout), comparison: result.effect.comparison, notes: result.effect.notes },
  });
}

export const campaignsCli: CommandGroup = {
  commands: { campaign: campaignCommand, 'control-group': controlGroupCommand },
  options: {
    name: { type: 'string' },
    goal: { type: 'string' },
    channel: { type: 'string' },
    rule: { type: 'string' },
    segment: { type: 'string' },
    tag: { type: 'string' },
    'churn-band': { type: 'string' },
    product: { type: 'string' },
    top: { type: 'string' },
    community: { type: 'string' },
    start: { type: 'string' },
    end: { type: 'string' },
    control: { type: 'string' },
    'fatigue-days': { type: 'string' },
    'max-campaigns': { type: 'string' },
    'per-manager': { type: 'string' },
    ranking: { type: 'string' },
    ab: { type: 'string' },
    budget: { type: 'string' },
    'cost-per-contact': { type: 'string' },
    owner: { type: 'string' },
    script: { type: 'string' },
    campaign: { type: 'string' },
    csv: { type: 'boolean' },
    unmask: { type: 'boolean' },
    purpose: { type: 'string' },
    redraw: { type: 'boolean' },
    date: { type: 'string' },
  },
  usage: `  campaign 营销活动（名单 → 回执 → 评估）
          生成名单               create --workspace W.bpw --name 名称 (--rule JSON | --segment 编号 | --tag 标签 | --churn-band high |
                                 --product 产品代码 | --community 社区编号) [--goal 挽留] [--control 0.1] [--fatigue-days 30] [--per-manager 200]
                                 [--channel 电话] [--start 2026-12-07] [--end 2027-01-05] [--ranking aum] [--ab 方案A,方案B] [--cost-per-contact 元]
          导出名单               export --workspace W.bpw --campaign 活动编号 --out 名单.xlsx [--csv] [--unmask --purpose 用途]
          导入回执               responses --workspace W.bpw --campaign 活动编号 --file 回执.xlsx|.csv
          评估效果               evaluate --workspace W.bpw --campaign 活动编号
          第二轮                 next-wave --workspace W.bpw --campaign 活动编号
          活动列表               list --workspace W.bpw
  control-group 全局对照组        --workspace W.bpw [--redraw]
`,
};
