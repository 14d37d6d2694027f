/**
 * The churn warning report (流失预警报告): how many customers are at high risk and what they hold, the
 * change since the previous scoring, where they sit (tiers, managers), why (the drivers that recur), and
 * the top of the warning list with each customer's reasons, masked as on screen.
 */
import { MEASURES } from '../../../../shared/glossary';
import { CHURN_BAND_LABELS, VALUE_TIER_LABELS } from '../../../../shared/rule-fields';
import { EngineError } from '../../errors';
import { changeWords, pct, people, wan } from '../document/format';
import type { Figure, ReportDocument, Table } from '../document/model';
import type { ChurnReportData } from './churn-data';
import type { ReportContext } from './context';

const AFFLUENT_AND_ABOVE = new Set(['affluent', 'wealth', 'private']);
const TIER_ORDER = ['private', 'wealth', 'affluent', 'mass', ''];

export function churnReport(data: ChurnReportData | null, context: ReportContext, title?: string): ReportDocument {
  if (!data) throw new EngineError('bad_input', '还没有流失打分结果：请先在“流失预警”中训练模型并为客户打分，再生成流失预警报告');
  const band = (b: 'high' | 'medium' | 'low') => data.bands.find((x) => x.band === b) ?? { band: b, customers: 0, aum: 0 };
  const high = band('high');
  const scored = data.bands.reduce((sum, b) => sum + b.customers, 0);
  const upper = data.highByTier.filter((t) => AFFLUENT_AND_ABOVE.has(t.tier));
  const upperCount = upper.reduce((sum, t) => sum + t.customers, 0);
  const upperAum = upper.reduce((sum, t) => sum + t.aum, 0);
  const change = data.previousHigh ? high.customers - data.previousHigh.customers : null;
  const lead = `本期高风险客户 ${people(high.customers)}${change === null ? '' : `，较上期${changeWords(change, 'int', '人')}`}；其中金卡及以上 ${people(upperCount)}，在险资产 ${wan(high.aum)}。`;
  const reasons = data.reasons.slice(0, 8);

  const figures: Figure[] = [
    { label: MEASURES.high_risk_customers.label, value: high.customers, kind: 'int', unit: '人', ...(change === null ? {} : { change: `较上期 ${change > 0 ? '+' : change < 0 ? '−' : ''}${Math.abs(change)} 人`, tone: change > 0 ? 'bad' : change < 0 ? 'good' : 'neutral' }) },
    { label: MEASURES.aum_at_risk.label, value: high.aum, kind: 'wan', unit: '万元' },
    { label: '金卡及以上高风险', value: upperCount, kind: 'int', unit: '人', change: `在险资产 ${wan(upperAum)}`, tone: 'neutral' },
    { label: '高风险占比', value: scored > 0 ? high.customers / scored : null, kind: 'pct', unit: '', change: `打分客户 ${people(scored)}`, tone: 'neutral' },
    { label: CHURN_BAND_LABELS.medium ?? '中风险', value: band('medium').customers, kind: 'int', unit: '人' },
    { label: CHURN_BAND_LABELS.low ?? '低风险', value: band('low').customers, kind: 'int', unit: '人' },
  ];
  const tiers = [...data.highByTier].sort((a, b) => TIER_ORDER.indexOf(a.tier) - TIER_ORDER.indexOf(b.tier));
  const topTable: Table = {
    id: 'risk-list',
    title: `重点客户名单（流失概率最高的 ${data.top.length} 位）`,
    sheet: '重点客户',
    dense: true,
    columns: [
      { key: 'customer_id', label: '客户号', kind: 'text', width: 11 },
      { key: 'name', label: '姓名', kind: 'text', width: 7 },
      { key: 'tier', label: '层级', kind: 'text', width: 6 },
      { key: 'manager', label: '客户经理', kind: 'text', width: 8 },
      { key: 'prob', label: '流失概率', kind: 'pct', width: 8 },
      { key: 'aum', label: `${MEASURES.aum_avg_3m.label}(万元)`, kind: 'wan', width: 12 },
      { key: 'drivers', label: '主要原因', kind: 'text' },
    ],
    rows: data.top.map((r) => ({
      customer_id: r.customer_id,
      name: r.name,
      tier: r.value_tier ? (VALUE_TIER_LABELS[r.value_tier] ?? r.value_tier) : '—',
      manager: r.manager_name ?? '未分配',
      prob: r.churn_prob,
      aum: r.aum,
      drivers: r.drivers.join('；') || '—',
    })),
    note: context.masked ? '姓名按设置脱敏；按客户号可在工作台中查看客户画像。' : '名单未脱敏，请按内部资料管理。',
  };
  const managerTable: Table = {
    id: 'risk-managers',
    title: '各客户经理名下高风险客户',
    sheet: '客户经理',
    columns: [
      { key: 'name', label: '客户经理', kind: 'text' },
      { key: 'customers', label: '高风险客户', kind: 'int' },
      { key: 'aum', label: `${MEASURES.aum_at_risk.label}(万元)`, kind: 'wan' },
    ],
    rows: data.highByManager.map((m) => ({ name: m.name, customers: m.customers, aum: m.aum })),
  };
  const tierLabel = (tier: string) => (tier === '' ? '未评级' : (VALUE_TIER_LABELS[tier] ?? tier));
  return {
    kind: 'churn',
    title: title ?? '流失预警报告',
    subtitle: `流失打分截至 ${data.asOf ?? ''} · 模型 #${data.modelId}`,
    branchName: context.branchName,
    asOf: data.asOf ?? '',
    generatedAt: context.generatedAt,
    masked: context.masked,
    highlights: [
      lead,
      reasons[0] ? `最常见的流失原因是“${reasons[0].label}”（${people(reasons[0].customers)}），其次是${reasons.slice(1, 3).map((r) => `“${r.label}”`).join('、') || '—'}。` : '高风险客户没有记录流失原因。',
      data.highByManager[0] ? `高风险客户最多的客户经理是${data.highByManager[0].name}（${people(data.highByManager[0].customers)}），请优先安排挽留。` : '',
    ].filter((x) => x !== ''),
    sections: [
      { id: 'overview', title: '风险概况', narrative: lead, blocks: [{ type: 'figures', figures }] },
      {
        id: 'distribution',
        title: '风险分布与原因',
        narrative: `高风险客户占打分客户的 ${pct(scored > 0 ? high.customers / scored : null)}。${reasons[0] ? `原因按出现次数排列，一位客户最多记 3 条原因。` : ''}`,
        blocks: [
          { type: 'chart', chart: { id: 'risk-tiers', title: '高风险客户的价值层级', type: 'bar', categories: tiers.map((t) => tierLabel(t.tier)), series: [{ name: '高风险客户', values: tiers.map((t) => t.customers) }], valueKind: 'int', unit: '人', half: true, height: 210 } },
          { type: 'chart', chart: { id: 'risk-bands', title: '流失风险分布', type: 'pie', categories: data.bands.map((b) => CHURN_BAND_LABELS[b.band] ?? b.band), series: [{ name: '客户数', values: data.bands.map((b) => b.customers) }], valueKind: 'int', unit: '', colors: ['#d64545', '#f08c2e', '#2e9e5b'], half: true, height: 210 } },
          { type: 'chart', chart: { id: 'risk-reasons', title: '高风险客户的主要原因', type: 'barH', categories: reasons.map((r) => r.label), series: [{ name: '客户数', values: reasons.map((r) => r.customers) }], valueKind: 'int', unit: '人', height: Math.max(150, 24 * reasons.length + 40) } },
        ],
      },
      { id: 'list', title: '重点客户名单', narrative: '按流失概率从高到低；原因与“流失预警”页面和客户画像中的一致，可直接用于安排回访。', blocks: [{ type: 'table', table: topTable }], pageBreak: true },
      { id: 'managers', title: '按客户经理', narrative: '', blocks: [{ type: 'table', table: managerTable }] },
    ],
    notes: [
      `${MEASURES.churn_prob.label}：${MEASURES.churn_prob.description}；流失风险按“设置”中的阈值分为高、中、低。`,
      `${MEASURES.aum_at_risk.label}：${MEASURES.aum_at_risk.description}，金额单位万元。`,
    ],
  };
}
