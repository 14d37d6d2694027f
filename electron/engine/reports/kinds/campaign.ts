/**
 * The campaign result report (营销活动效果报告). With a campaign id: its funnel (listed, contacted,
 * responded, converted), the target group against the control group when the campaign kept one, and the
 * results by relationship manager and by tier. Without: every campaign side by side.
 */
import { MEASURES } from '../../../../shared/glossary';
import { EngineError } from '../../errors';
import { pct, people, wan } from '../document/format';
import type { Figure, ReportDocument, Table } from '../document/model';
import type { CampaignReportData, CampaignResult, OutcomeCounts } from './campaign-data';
import type { ReportContext } from './context';

const rate = (n: number, d: number) => (d > 0 ? n / d : null);

const outcomeColumns: Table['columns'] = [
  { key: 'listed', label: '名单人数', kind: 'int' },
  { key: 'contacted', label: '已触达', kind: 'int' },
  { key: 'responded', label: '有响应', kind: 'int' },
  { key: 'converted', label: '已转化', kind: 'int' },
  { key: 'responseRate', label: MEASURES.response_rate.label, kind: 'pct' },
  { key: 'conversionRate', label: MEASURES.conversion_rate.label, kind: 'pct' },
  { key: 'amount', label: '转化金额(万元)', kind: 'wan' },
];

const outcomeRow = (c: OutcomeCounts) => ({ ...c, responseRate: rate(c.responded, c.listed), conversionRate: rate(c.converted, c.listed) });

function oneCampaign(c: CampaignResult, context: ReportContext, title?: string): ReportDocument {
  const t = c.total;
  const figures: Figure[] = [
    { label: '名单人数', value: t.listed, kind: 'int', unit: '人' },
    { label: '已触达', value: t.contacted, kind: 'int', unit: '人' },
    { label: MEASURES.response_rate.label, value: rate(t.responded, t.listed), kind: 'pct', unit: '', change: `${people(t.responded)}有响应`, tone: 'neutral' },
    { label: MEASURES.conversion_rate.label, value: rate(t.converted, t.listed), kind: 'pct', unit: '', change: `${people(t.converted)}已转化`, tone: 'neutral' },
    { label: '转化金额', value: t.amount, kind: 'wan', unit: '万元' },
  ];
  let uplift: number | null = null;
  if (c.target && c.control) {
    const targetRate = rate(c.target.converted, c.target.listed);
    const controlRate = rate(c.control.converted, c.control.listed);
    uplift = targetRate !== null && controlRate !== null ? targetRate - controlRate : null;
    figures.push({ label: `转化率${MEASURES.uplift.label}`, value: uplift, kind: 'pp', unit: '个百分点', change: `对照组 ${pct(controlRate)}`, tone: uplift !== null && uplift > 0 ? 'good' : 'neutral' });
  }
  const lead = `“${c.name}”名单 ${people(t.listed)}，触达 ${people(t.contacted)}，响应率 ${pct(rate(t.responded, t.listed))}，转化 ${people(t.converted)}（${pct(rate(t.converted, t.listed))}），转化金额 ${wan(t.amount)}${uplift !== null ? `；转化率比对照组高 ${(uplift * 100).toFixed(1)} 个百分点` : ''}。`;
  const managers: Table = { id: 'campaign-managers', title: '按客户经理', sheet: '客户经理', columns: [{ key: 'name', label: '客户经理', kind: 'text' }, ...outcomeColumns], rows: c.byManager.map((m) => ({ name: m.name, ...outcomeRow(m) })) };
  const tiers: Table = { id: 'campaign-tiers', title: '按价值层级', sheet: '价值层级', columns: [{ key: 'tier', label: '层级', kind: 'text' }, ...outcomeColumns], rows: c.byTier.map((x) => ({ tier: x.tier, ...outcomeRow(x) })) };
  const groups: Table | null =
    c.target && c.control
      ? { id: 'campaign-groups', title: '目标组与对照组', sheet: '目标与对照', columns: [{ key: 'group', label: '分组', kind: 'text' }, ...outcomeColumns], rows: [{ group: '目标组', ...outcomeRow(c.target) }, { group: '对照组', ...outcomeRow(c.control) }] }
      : null;
  return {
    kind: 'campaign',
    title: title ?? `营销活动效果报告：${c.name}`,
    subtitle: [c.product ? `产品：${c.product}` : '', c.firstAt ? `执行期 ${c.firstAt} 至 ${c.lastAt ?? ''}` : ''].filter((x) => x).join(' · ') || '活动执行与转化',
    branchName: context.branchName,
    asOf: c.lastAt ?? '',
    generatedAt: context.generatedAt,
    masked: context.masked,
    highlights: [lead, c.byManager[0] ? `转化最多的客户经理是${[...c.byManager].sort((a, b) => b.converted - a.converted)[0]!.name}。` : ''].filter((x) => x),
    sections: [
      { id: 'funnel', title: '活动概况', narrative: lead, blocks: [{ type: 'figures', figures }, { type: 'chart', chart: { id: 'campaign-funnel', title: '执行漏斗', type: 'bar', categories: ['名单', '已触达', '有响应', '已转化'], series: [{ name: '客户数', values: [t.listed, t.contacted, t.responded, t.converted] }], valueKind: 'int', unit: '人', height: 200 } }, ...(groups ? [{ type: 'table' as const, table: groups }] : [])] },
      {
        id: 'breakdown',
        title: '分客户经理与层级',
        narrative: '仅统计目标组（有对照组时）。',
        blocks: [
          { type: 'chart', chart: { id: 'campaign-tier-rate', title: '各层级转化率', type: 'bar', categories: c.byTier.map((x) => x.tier), series: [{ name: MEASURES.conversion_rate.label, values: c.byTier.map((x) => rate(x.converted, x.listed)) }], valueKind: 'pct', unit: '', height: 190 } },
          { type: 'table', table: managers },
          { type: 'table', table: tiers },
        ],
        pageBreak: true,
      },
    ],
    notes: [`${MEASURES.response_rate.label}：${MEASURES.response_rate.description}；${MEASURES.conversion_rate.label}：${MEASURES.conversion_rate.description}。`, c.control ? `${MEASURES.uplift.label}：${MEASURES.uplift.description}。` : '本活动没有对照组，转化中包含客户本会自然发生的部分。'],
  };
}

function allCampaigns(data: CampaignReportData, context: ReportContext, title?: string): ReportDocument {
  const rows = data.campaigns.map((c) => ({ name: c.name, period: c.firstAt ? `${c.firstAt} 至 ${c.lastAt ?? ''}` : '—', ...outcomeRow(c.total) }));
  const best = [...data.campaigns].sort((a, b) => (rate(b.total.converted, b.total.listed) ?? 0) - (rate(a.total.converted, a.total.listed) ?? 0))[0];
  const lead = `共 ${data.campaigns.length} 个活动，名单合计 ${people(data.campaigns.reduce((s, c) => s + c.total.listed, 0))}，转化 ${people(data.campaigns.reduce((s, c) => s + c.total.converted, 0))}${best ? `；转化率最高的是“${best.name}”（${pct(rate(best.total.converted, best.total.listed))}）` : ''}。`;
  return {
    kind: 'campaign',
    title: title ?? '营销活动效果报告：全部活动',
    subtitle: '各活动执行与转化',
    branchName: context.branchName,
    asOf: data.campaigns.map((c) => c.lastAt ?? '').sort().pop() ?? '',
    generatedAt: context.generatedAt,
    masked: context.masked,
    highlights: [lead],
    sections: [
      {
        id: 'campaigns',
        title: '各活动结果',
        narrative: lead,
        blocks: [
          { type: 'chart', chart: { id: 'campaign-rates', title: '各活动响应率与转化率', type: 'bar', categories: data.campaigns.map((c) => c.name), series: [{ name: MEASURES.response_rate.label, values: data.campaigns.map((c) => rate(c.total.responded, c.total.listed)) }, { name: MEASURES.conversion_rate.label, values: data.campaigns.map((c) => rate(c.total.converted, c.total.listed)) }], valueKind: 'pct', unit: '', height: 220 } },
          { type: 'table', table: { id: 'campaigns', title: '各活动结果', sheet: '活动', columns: [{ key: 'name', label: '活动', kind: 'text', width: 20 }, { key: 'period', label: '执行期', kind: 'text', width: 20 }, ...outcomeColumns], rows } },
        ],
      },
    ],
    notes: [`${MEASURES.response_rate.label}：${MEASURES.response_rate.description}；${MEASURES.conversion_rate.label}：${MEASURES.conversion_rate.description}。`],
  };
}

export function campaignReport(data: CampaignReportData, id: string | undefined, context: ReportContext, title?: string): ReportDocument {
  if (data.campaigns.length === 0) {
    throw new EngineError(id === undefined ? 'bad_input' : 'not_found', id === undefined ? '工作区中还没有营销活动或活动响应数据：请先在“营销活动”中创建活动，或导入活动响应' : `找不到营销活动“${id.slice(0, 40)}”，请从活动列表中选择`);
  }
  return id === undefined ? allCampaigns(data, context, title) : oneCampaign(data.campaigns[0]!, context, title);
}
