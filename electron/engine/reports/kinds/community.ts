/**
 * The community report (社区报告). With a community id: that community beside the branch — penetration of
 * its households, assets, tiers, the share of elderly customers, product holding against the branch (the
 * gaps are the opportunity) and churn risk. Without: every community ranked, with the customers a
 * community would add at the branch's average penetration.
 */
import { MEASURES } from '../../../../shared/glossary';
import { VALUE_TIER_LABELS } from '../../../../shared/rule-fields';
import { EngineError } from '../../errors';
import { pct, people, wan } from '../document/format';
import type { Figure, ReportDocument, Section, Table } from '../document/model';
import type { CommunityFacts, CommunityReportData } from './community-data';
import type { ReportContext } from './context';

const ratio = (a: number, b: number | null) => (b && b > 0 ? a / b : null);
const penetrationOf = (f: CommunityFacts) => ratio(f.customers, f.households);

/** An activity that suits the community, from what stands out in its figures (elderly share, product gaps). */
export function suggestedActivity(f: CommunityFacts, branch: CommunityFacts): string {
  const elderly = ratio(f.customers60, f.customers) ?? 0;
  const branchElderly = ratio(branch.customers60, branch.customers) ?? 0;
  if (elderly >= Math.max(0.3, branchElderly + 0.1)) return '老年客户集中：适合开展反诈宣传和养老金融讲座，推介个人养老金、稳健理财。';
  const pen = penetrationOf(f);
  const branchPen = penetrationOf(branch);
  if (pen !== null && branchPen !== null && pen < branchPen * 0.7) return '渗透率明显低于全行：适合进社区开展开户有礼、便民服务等拓客活动。';
  const gaps = productGaps(f, branch);
  if (gaps[0] && gaps[0].gap <= -0.05) return `“${gaps[0].label}”持有率低于全行 ${Math.abs(gaps[0].gap * 100).toFixed(1)} 个百分点：适合围绕该产品做专场宣讲。`;
  return '各项指标与全行接近：以客户经理日常维护和节日客户活动为主。';
}

export function productGaps(f: CommunityFacts, branch: CommunityFacts): { label: string; community: number; branch: number; gap: number }[] {
  const labels = new Set([...Object.keys(branch.products), ...Object.keys(f.products)]);
  return [...labels]
    .map((label) => {
      const community = ratio(f.products[label] ?? 0, f.customers) ?? 0;
      const all = ratio(branch.products[label] ?? 0, branch.customers) ?? 0;
      return { label, community, branch: all, gap: community - all };
    })
    .sort((a, b) => a.gap - b.gap);
}

function oneCommunity(f: CommunityFacts, data: CommunityReportData, context: ReportContext, title?: string): ReportDocument {
  const branch = data.branch;
  const pen = penetrationOf(f);
  const branchPen = penetrationOf(branch);
  const gaps = productGaps(f, branch);
  const tiers = ['private', 'wealth', 'affluent', 'mass'];
  const tierShare = (x: CommunityFacts, t: string) => ratio(x.tiers[t] ?? 0, Object.values(x.tiers).reduce((s, n) => s + n, 0)) ?? 0;
  const figures: Figure[] = [
    { label: '住户数', value: f.households, kind: 'int', unit: '户' },
    { label: '本行客户', value: f.customers, kind: 'int', unit: '人' },
    { label: MEASURES.penetration.label, value: pen, kind: 'pct', unit: '', change: `全行 ${pct(branchPen)}`, tone: 'neutral' },
    { label: MEASURES.aum_total.label, value: f.aum, kind: 'wan', unit: '万元' },
    { label: MEASURES.aum_per_household.label, value: ratio(f.aum, f.households), kind: 'wan', unit: '万元', change: `全行 ${wan(ratio(branch.aum, branch.households))}`, tone: 'neutral' },
    { label: '60岁及以上客户占比', value: ratio(f.customers60, f.customers), kind: 'pct', unit: '', change: `全行 ${pct(ratio(branch.customers60, branch.customers))}`, tone: 'neutral' },
    { label: '流失高风险占比', value: ratio(f.highRisk, f.scored), kind: 'pct', unit: '', change: `全行 ${pct(ratio(branch.highRisk, branch.scored))}`, tone: 'neutral' },
    { label: '金卡及以上客户', value: (f.tiers.affluent ?? 0) + (f.tiers.wealth ?? 0) + (f.tiers.private ?? 0), kind: 'int', unit: '人' },
  ];
  const gapTable: Table = {
    id: 'product-gaps',
    title: '产品持有率：本社区与全行',
    sheet: '产品持有率',
    columns: [
      { key: 'label', label: '产品类别', kind: 'text' },
      { key: 'community', label: '本社区', kind: 'pct' },
      { key: 'branch', label: '全行', kind: 'pct' },
      { key: 'gap', label: '差距(百分点)', kind: 'pp' },
    ],
    rows: gaps.map((g) => ({ ...g })),
    note: '差距为负的产品是本社区的机会：按全行水平还有提升空间。',
  };
  const activity = suggestedActivity(f, branch);
  const lead = `${f.name}${f.households ? `有住户 ${f.households.toLocaleString('zh-CN')} 户` : '住户数未登记'}，本行客户 ${people(f.customers)}，渗透率 ${pct(pen)}（全行 ${pct(branchPen)}）；资产总额 ${wan(f.aum)}${f.manager ? `，片区客户经理${f.manager}` : ''}。`;
  return {
    kind: 'community',
    title: title ?? `社区报告：${f.name}`,
    subtitle: [f.district, f.grid].filter((x) => x).join(' · ') || '社区画像与机会',
    branchName: context.branchName,
    asOf: data.asOf ?? '',
    generatedAt: context.generatedAt,
    masked: context.masked,
    highlights: [lead, gaps[0] ? `持有率差距最大的是“${gaps[0].label}”（${(gaps[0].gap * 100).toFixed(1)} 个百分点）。` : '', `建议：${activity}`].filter((x) => x),
    sections: [
      { id: 'overview', title: '社区概况', narrative: lead, blocks: [{ type: 'figures', figures }] },
      {
        id: 'structure',
        title: '客户结构',
        narrative: `金卡及以上客户占 ${pct(tierShare(f, 'affluent') + tierShare(f, 'wealth') + tierShare(f, 'private'))}（全行 ${pct(tierShare(branch, 'affluent') + tierShare(branch, 'wealth') + tierShare(branch, 'private'))}）。`,
        blocks: [
          {
            type: 'chart',
            chart: { id: 'community-tiers', title: '价值层级占比', type: 'bar', categories: tiers.map((t) => VALUE_TIER_LABELS[t] ?? t), series: [{ name: f.name, values: tiers.map((t) => tierShare(f, t)) }, { name: '全行', values: tiers.map((t) => tierShare(branch, t)) }], valueKind: 'pct', unit: '', height: 210 },
          },
        ],
      },
      {
        id: 'products',
        title: '产品机会',
        narrative: `建议：${activity}`,
        blocks: [
          { type: 'chart', chart: { id: 'community-products', title: '产品持有率：本社区与全行', type: 'barH', categories: gaps.map((g) => g.label), series: [{ name: f.name, values: gaps.map((g) => g.community) }, { name: '全行', values: gaps.map((g) => g.branch) }], valueKind: 'pct', unit: '', height: Math.max(200, 30 * gaps.length + 40) } },
          { type: 'table', table: gapTable },
        ],
        pageBreak: true,
      },
    ],
    notes: [`${MEASURES.penetration.label}：${MEASURES.penetration.description}。`, '客户按最新一次客户分析和流失打分统计，资产为近3个月日均，金额单位万元。'],
  };
}

function allCommunities(data: CommunityReportData, context: ReportContext, title?: string): ReportDocument {
  const branchPen = penetrationOf(data.branch);
  const rows = data.communities.map((f) => {
    const pen = penetrationOf(f);
    const potential = f.households && branchPen !== null && pen !== null && pen < branchPen ? Math.round(f.households * branchPen) - f.customers : 0;
    return { f, pen, potential };
  });
  const table: Table = {
    id: 'communities',
    title: '各社区概况',
    sheet: '社区',
    dense: rows.length > 20,
    columns: [
      { key: 'name', label: '社区', kind: 'text', width: 20 },
      { key: 'households', label: '住户数', kind: 'int' },
      { key: 'customers', label: '本行客户', kind: 'int' },
      { key: 'penetration', label: MEASURES.penetration.label, kind: 'pct' },
      { key: 'aum', label: `${MEASURES.aum_total.label}(万元)`, kind: 'wan' },
      { key: 'perHousehold', label: `${MEASURES.aum_per_household.label}(万元)`, kind: 'wan' },
      { key: 'elderly', label: '60岁以上客户', kind: 'pct' },
      { key: 'potential', label: '按全行渗透率可增客户', kind: 'int' },
    ],
    rows: rows.map(({ f, pen, potential }) => ({ name: f.name, households: f.households, customers: f.customers, penetration: pen, aum: f.aum, perHousehold: ratio(f.aum, f.households), elderly: ratio(f.customers60, f.customers), potential })),
  };
  const ranked = rows.filter((r) => r.pen !== null).sort((a, b) => (b.pen ?? 0) - (a.pen ?? 0));
  const best = [...rows].sort((a, b) => b.potential - a.potential)[0];
  const lead = `${rows.length} 个社区平均渗透率 ${pct(branchPen)}；${best && best.potential > 0 ? `按全行平均渗透率，${best.f.name}还可增加约 ${people(best.potential)}。` : '各社区渗透率都不低于全行平均。'}`;
  const sections: Section[] = [
    {
      id: 'ranking',
      title: '社区排名',
      narrative: lead,
      blocks: [
        { type: 'chart', chart: { id: 'community-penetration', title: '各社区渗透率', type: 'barH', categories: ranked.map((r) => r.f.name), series: [{ name: MEASURES.penetration.label, values: ranked.map((r) => r.pen) }], valueKind: 'pct', unit: '', height: Math.max(180, 22 * ranked.length + 40) } },
        { type: 'table', table },
      ],
    },
    {
      id: 'activities',
      title: '建议活动',
      narrative: '按各社区最突出的特点给出活动方向，供社区营销排期参考。',
      blocks: [
        {
          type: 'table',
          table: { id: 'activities', title: '各社区建议活动', sheet: '建议活动', columns: [{ key: 'name', label: '社区', kind: 'text', width: 22 }, { key: 'activity', label: '建议', kind: 'text' }], rows: data.communities.map((f) => ({ name: f.name, activity: suggestedActivity(f, data.branch) })) },
        },
      ],
      pageBreak: true,
    },
  ];
  return {
    kind: 'community',
    title: title ?? '社区报告：全部社区',
    subtitle: '社区覆盖、渗透与机会',
    branchName: context.branchName,
    asOf: data.asOf ?? '',
    generatedAt: context.generatedAt,
    masked: context.masked,
    highlights: [lead, ranked[0] ? `渗透率最高的是${ranked[0].f.name}（${pct(ranked[0].pen)}）。` : ''].filter((x) => x),
    sections,
    notes: [`${MEASURES.penetration.label}：${MEASURES.penetration.description}。`, '“按全行渗透率可增客户”= 住户数 × 全行平均渗透率 − 本行客户，仅对低于平均的社区计算。'],
  };
}

export function communityReport(data: CommunityReportData, id: string | undefined, context: ReportContext, title?: string): ReportDocument {
  if (data.communities.length === 0) throw new EngineError('bad_input', '工作区中没有社区数据：请先导入社区信息（社区编号、名称、住户数），或在客户信息中填写所属社区');
  if (id === undefined) return allCommunities(data, context, title);
  const facts = data.communities.find((c) => c.id === id);
  if (!facts) throw new EngineError('not_found', `找不到社区“${id.slice(0, 40)}”，请从社区列表中选择`);
  return oneCommunity(facts, data, context, title);
}
