/**
 * CLI commands of product matching (see shared/matching.ts); joined into electron/cli.ts.
 *
 *   match train   --workspace W.bpw [--horizon 3] [--seed 1] [--trees 100]
 *   match score   --workspace W.bpw [--top 5]
 *   match explain --workspace W.bpw --customer ID
 *   match audit   --workspace W.bpw
 *
 * Training and scoring run as jobs of the workspace's EngineHost, like in the app.
 */
import { resolve } from 'node:path';
import { formatShare } from '../../shared/glossary';
import type { MatchingTrainingSummary } from '../../shared/matching';
import { EngineError } from '../engine/errors';
import type { EngineHost } from '../engine/host';
import type { CommandGroup } from './command';
import { fmt, type CliOutput } from './output';
import { intOption, openWorkspace, requireOption, type CommandArgs } from './workspace-commands';

const workspaceOf = (args: CommandArgs) => resolve(requireOption(args, 'workspace', '工作区文件，如 branch.bpw'));
const share = (value: number | null | undefined) => (value === null || value === undefined ? '—' : formatShare(value));
const auc = (value: number | null | undefined) => (value === null || value === undefined ? '—' : value.toFixed(3));

async function matchCommand(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  const [sub] = args.positionals;
  if (sub === 'train') return matchTrain(host, args, out);
  if (sub === 'score') return matchScore(host, args, out);
  if (sub === 'explain') return matchExplain(host, args, out);
  if (sub === 'audit') return matchAudit(host, args, out);
  throw new EngineError('bad_input', `请指定 match 的子命令：train（训练）、score（打分推荐）、explain（查看某位客户的推荐）或 audit（适当性检查），收到“${sub ?? ''}”`);
}

async function matchTrain(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  await openWorkspace(host, workspaceOf(args));
  const settings = await host.call('settings.get', {});
  const request = {
    horizonMonths: intOption(args, 'horizon', settings.matching.horizonMonths),
    seed: intOption(args, 'seed', 1),
    trees: intOption(args, 'trees', 100),
  };
  out.say(`正在训练产品匹配模型：预测期 ${request.horizonMonths} 个月，每个模型 ${request.trees} 棵树，种子 ${request.seed} …`);
  const summary = await host.runJob('matching.train', request, out.progress());
  printTraining(out, summary);
  return out.finish({
    ok: true,
    run_id: summary.runId,
    as_of: summary.asOf,
    features_as_of: summary.featuresAsOf,
    horizon_months: summary.horizonMonths,
    model_ids: summary.modelIds,
    families: summary.families.map((f) => ({
      family: f.kind === 'family' ? f.category : `${f.category}/${f.productIds[0]}`,
      label: f.label,
      model_id: f.modelId,
      positives: f.positives,
      population: f.population,
      roc_auc: f.validation?.rocAuc ?? null,
      precision_at_5: f.validation?.precisionAt5 ?? null,
      capture_top_10: f.validation?.captureTop10 ?? null,
    })),
    map_at_5: summary.validation?.mapAt5 ?? null,
    baseline_map_at_5: summary.validation?.baselineMapAt5 ?? null,
    validation_customers: summary.validation?.customers ?? null,
    train_s: summary.trainSeconds,
  });
}

function printTraining(out: CliOutput, summary: MatchingTrainingSummary): void {
  out.say(`\n产品匹配模型（训练 #${summary.runId}）：特征截至 ${summary.featuresAsOf}，观察 ${summary.featuresAsOf} 至 ${summary.asOf} 是否新开产品`);
  for (const f of summary.families) {
    const what = f.kind === 'family' ? f.label : `  └ ${f.label}`;
    const model = f.modelId === null ? '按同持有关联推荐' : `模型 #${f.modelId}`;
    const check = f.validation ? `留出检验 AUC ${auc(f.validation.rocAuc)}，前10% 覆盖 ${share(f.validation.captureTop10)} 的新开户，精确率@5 ${share(f.validation.precisionAt5)}` : '未做留出检验';
    out.say(`  ${what.padEnd(12)} 新开户 ${fmt(f.positives).padStart(6)} / ${fmt(f.population).padStart(8)}  ${model}，${check}`);
  }
  const v = summary.validation;
  if (v) {
    const verdict = v.mapAt5 > v.baselineMapAt5 ? '优于' : '未优于';
    out.say(`\n  留出检验（${v.labelFrom} 至 ${v.labelTo}，${fmt(v.customers)} 位新开产品的客户）：MAP@5 ${v.mapAt5.toFixed(3)}，按热门程度推荐 ${v.baselineMapAt5.toFixed(3)}，模型${verdict}热门推荐`);
  } else out.say('\n  留出检验：数据不足两个完整的预测期，已跳过');
  out.say(`  训练用时 ${summary.trainSeconds.toFixed(1)} 秒`);
}

async function matchScore(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  await openWorkspace(host, workspaceOf(args));
  const top = args.values.top === undefined ? undefined : intOption(args, 'top', 5);
  out.say('正在为客户匹配产品 …');
  const summary = await host.runJob('matching.score', top === undefined ? {} : { top }, out.progress());
  out.say(`\n已为 ${fmt(summary.customers)} 位客户生成 ${fmt(summary.recommendations)} 条推荐（数据截至 ${summary.asOf}），用时 ${summary.seconds.toFixed(1)} 秒`);
  out.say(`  适当性检查：${fmt(summary.unsuitable)} 条不适当推荐（共检查 ${fmt(summary.audit.checked)} 条）`);
  const busiest = [...summary.products].sort((a, b) => b.recommended - a.recommended).slice(0, 5);
  out.say(`  推荐最多的产品：${busiest.map((p) => `${p.name} ${fmt(p.recommended)} 位`).join('、')}`);
  return out.finish({
    ok: true,
    run_id: summary.runId,
    as_of: summary.asOf,
    customers: summary.customers,
    recommendations: summary.recommendations,
    unsuitable: summary.unsuitable,
    seconds: summary.seconds,
  });
}

async function matchExplain(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  await openWorkspace(host, workspaceOf(args));
  const customerId = requireOption(args, 'customer', '客户号，如 C00000001').trim();
  const matches = await host.call('matching.customer', { customerId });
  if (!matches) throw new EngineError('not_found', `没有客户“${customerId.slice(0, 40)}”的产品匹配结果：请确认客户号，并先运行 match train 和 match score`);
  out.say(`客户 ${customerId} 的产品推荐（数据截至 ${matches.asOf}）：`);
  if (matches.recommendations.length === 0) out.say('  没有适合推荐的产品');
  for (const r of matches.recommendations) {
    out.say(`  ${r.rank}. ${r.name}（${r.categoryLabel}${r.riskRating ? `，${r.riskRating}` : ''}）购买可能性 ${formatShare(r.propensity)}，推荐分 ${r.score.toFixed(4)}`);
    for (const reason of r.reasons) out.say(`       · ${reason}`);
    for (const flag of r.flags) out.say(`       ! ${flag}`);
  }
  out.say(`  联系：${matches.contact.mayContact ? '可以联系' : '不宜营销联系'}${matches.contact.daysSinceContact === null ? '' : `，上次联系 ${matches.contact.daysSinceContact} 天前`}${matches.contact.notes.length > 0 ? `（${matches.contact.notes.join('；')}）` : ''}`);
  if (matches.excluded.length > 0) {
    out.say('  不推荐的产品：');
    for (const e of matches.excluded) out.say(`    ${e.name}：${e.reason}`);
  }
  return out.finish({
    ok: true,
    customer_id: customerId,
    run_id: matches.runId,
    as_of: matches.asOf,
    recommendations: matches.recommendations.map((r) => ({ product_id: r.productId, name: r.name, rank: r.rank, score: r.score, propensity: r.propensity, expected_value: r.expectedValue, reasons: r.reasons, flags: r.flags })),
    excluded: matches.excluded.map((e) => ({ product_id: e.productId, name: e.name, code: e.code, reason: e.reason })),
    contact: { may_contact: matches.contact.mayContact, last_contact: matches.contact.lastContact, days_since_contact: matches.contact.daysSinceContact, notes: matches.contact.notes },
  });
}

async function matchAudit(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  await openWorkspace(host, workspaceOf(args));
  const audit = await host.runJob('matching.audit', {}, out.progress());
  out.say(`适当性检查：${fmt(audit.unsuitable)} 条不适当推荐（共检查 ${fmt(audit.checked)} 条，匹配运行 #${audit.runId}）`);
  for (const [rule, count] of Object.entries(audit.byRule)) out.say(`  ${rule}: ${fmt(count)} 条`);
  return out.finish({ ok: true, run_id: audit.runId, checked: audit.checked, unsuitable: audit.unsuitable, by_rule: audit.byRule, examples: audit.examples });
}

export const matchingCli: CommandGroup = {
  commands: { match: matchCommand },
  options: {
    customer: { type: 'string' },
    top: { type: 'string' },
  },
  usage: `  match   产品匹配：训练模型       train --workspace W.bpw [--horizon 3] [--seed 1] [--trees 100]
          为客户匹配产品         score --workspace W.bpw [--top 5]
          查看某位客户的推荐     explain --workspace W.bpw --customer 客户号
          适当性检查             audit --workspace W.bpw
          需先运行客户分析；demo 生成的示范工作区已完成训练和打分
`,
};
