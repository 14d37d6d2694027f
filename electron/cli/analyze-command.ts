/**
 * `analyze --workspace W.bpw [--as-of YYYY-MM] [--json]`: runs a customer analysis (features, RFM, value
 * tiers, lifecycle, tags) in the job worker and reports what it counted, with the RFM cut points. With
 * --json the last line of stdout is { ok, runId, asOf, customers, counts: { rfmClass, valueTier, lifecycle,
 * tags }, rfmCuts, timings }.
 */
import { resolve } from 'node:path';
import { NO_RECORD_TIER, type AnalysisSummary } from '../../shared/analytics';
import { rfmCutLines } from '../../shared/analysis-text';
import { LIFECYCLE_STAGE_LABELS, RFM_CLASS_LABELS, VALUE_TIER_LABELS } from '../../shared/rule-fields';
import { CUSTOMER_ANALYSIS_PHASES } from '../engine/analytics/run-kinds';
import type { EngineHost } from '../engine/host';
import { EngineError } from '../engine/errors';
import { fmt, type CliOutput } from './output';
import { openWorkspace, requireOption, type CommandArgs } from './workspace-commands';

const PHASE_LABELS: Readonly<Record<string, string>> = { ...CUSTOMER_ANALYSIS_PHASES, total: '合计' };

export async function analyzeCommand(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  const workspace = resolve(requireOption(args, 'workspace', '工作区文件，如 branch.bpw'));
  const asOfArg = args.values['as-of'];
  const asOf = typeof asOfArg === 'string' ? asOfArg : undefined;
  if (asOf !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(asOf)) throw new EngineError('bad_input', `--as-of 应为月份 YYYY-MM，例如 2024-06，收到“${asOf}”`);
  await openWorkspace(host, workspace);
  out.say(`正在分析 ${workspace}${asOf ? `（截至 ${asOf}）` : ''} …`);
  const summary = await host.runJob('analysis.run', asOf ? { asOf } : {}, out.progress());
  printSummary(out, summary, await tagNames(host, summary));
  return out.finish({
    ok: true,
    runId: summary.runId,
    asOf: summary.asOf,
    customers: summary.customers,
    counts: summary.counts,
    rfmCuts: summary.rfmCuts,
    timings: summary.timings,
  });
}

/** Pads to a width in terminal columns: CJK characters take two. */
function pad(text: string, columns: number): string {
  let width = 0;
  for (const ch of text) width += /[\u1100-\uffff]/.test(ch) ? 2 : 1;
  return text + ' '.repeat(Math.max(0, columns - width));
}

/** Tag names by id for the human summary; the ids themselves when the tag list cannot be read. */
async function tagNames(host: EngineHost, summary: AnalysisSummary): Promise<Record<string, string>> {
  if (Object.keys(summary.counts.tags).length === 0) return {};
  try {
    return Object.fromEntries((await host.call('tags.list', {})).map((t) => [t.tagId, t.name]));
  } catch {
    return {};
  }
}

function printSummary(out: CliOutput, s: AnalysisSummary, tags: Record<string, string>): void {
  const share = (n: number) => (s.customers > 0 ? `${((n / s.customers) * 100).toFixed(1)}%` : '—');
  const block = (title: string, counts: Record<string, number>, labels: Readonly<Record<string, string>>) => {
    out.say(`\n${title}：`);
    for (const [code, n] of Object.entries(counts)) out.say(`  ${pad(labels[code] ?? code, 14)} ${fmt(n).padStart(10)}  ${share(n).padStart(6)}`);
  };
  out.say(`\n分析完成：第 ${s.runId} 次分析，数据截至 ${s.asOf}，共 ${fmt(s.customers)} 位客户。`);
  block('价值分层（近 3 个月日均资产）', s.counts.valueTier, VALUE_TIER_LABELS);
  const unrecorded = s.counts.valueTier[NO_RECORD_TIER] ?? 0;
  if (unrecorded > 0) out.say(`  其中 ${fmt(unrecorded)} 位近 3 个月没有资产记录，层级记为“无记录”，生命周期不按资产判断。`);
  block('RFM 客户类别', s.counts.rfmClass, Object.fromEntries(Object.entries(RFM_CLASS_LABELS).map(([k, v]) => [k, `${v}客户`])));
  const cuts = rfmCutLines(s.rfmCuts);
  out.say(`  ${cuts.title}：`);
  for (const line of cuts.lines) out.say(`    ${line}`);
  block('生命周期', s.counts.lifecycle, LIFECYCLE_STAGE_LABELS);
  if (Object.keys(s.counts.tags).length > 0) block('标签', s.counts.tags, tags);
  else out.say('\n标签：本次未生成系统标签。');
  out.say('\n各阶段用时（秒）：');
  for (const [phase, seconds] of Object.entries(s.timings)) {
    if (phase.includes('.')) continue;
    out.say(`  ${pad(PHASE_LABELS[phase] ?? phase, 14)} ${seconds.toFixed(2).padStart(8)}`);
  }
}
