/**
 * The branch report (支行经营报告) over the overview: 'weekly' is the Monday one-pager (the key figures, two
 * trends and the relationship managers on one A4 page); 'monthly' adds the tiers, the seed-004 indicators,
 * communities and value, one section each.
 */
import { MEASURES } from '../../../../shared/glossary';
import type { BranchOverview, ManagerRow, ParsedReportSpec, ValueRow } from '../../../../shared/reports';
import { changeWords, formatValue, monthLabel, pct, people, shortMonth, wan } from '../document/format';
import { changeText, kindsOf, kpiFigure, kpiLabel, kpiOf, kpiTrendChart } from '../document/kpi-blocks';
import type { Chart, ReportDocument, Section, Table } from '../document/model';
import type { ReportContext } from './context';

const TIER_ORDER = ['private', 'wealth', 'affluent', 'mass', 'no_record'] as const;
const TIER_NAMES: Record<string, string> = { private: '私行', wealth: '财富', affluent: '金卡', mass: '大众', no_record: '无记录' };
/** Tier colours: slate for 大众, gold for 金卡, green for 财富, purple for 私行, grey for no record. */
export const TIER_COLORS: Record<string, string> = { mass: '#8aa2c8', affluent: '#d49a1a', wealth: '#2e9e5b', private: '#7b5ccf', no_record: '#b0b0b0' };

export function branchReport(overview: BranchOverview, spec: ParsedReportSpec, context: ReportContext): ReportDocument {
  const weekly = spec.variant === 'weekly';
  const k = (key: string) => kpiOf(overview, key);
  const sections: Section[] = [keyFigures(overview, weekly), trends(overview, weekly), managers(overview, weekly)];
  if (!weekly) sections.push(tiers(overview), indicators(overview), communities(overview), value(overview));
  const title = spec.title ?? (weekly ? '支行经营周报（一页纸）' : `支行经营月报（${monthLabel(overview.asOfMonth)}）`);
  return {
    kind: 'branch',
    title,
    subtitle: weekly ? `周例会用 · 数据截至 ${overview.asOf}` : `${monthLabel(overview.asOfMonth)}经营情况`,
    branchName: overview.branchName,
    asOf: overview.asOf,
    generatedAt: context.generatedAt,
    masked: context.masked,
    highlights: highlights(overview, k),
    sections,
    notes: weekly
      ? []
      : [
      `在册客户：截至月末已开户且未流失的客户（客户总数 ${overview.population.total.toLocaleString('zh-CN')} 人，其中已流失 ${overview.population.lost.toLocaleString('zh-CN')} 人）。流失按客户分析的生命周期规则逐月判定。`,
      `${MEASURES.aum_total.label}：${MEASURES.aum_total.description}；${MEASURES.aum_month_end.label}按产品当前余额计（时点）。金额单位均为万元。`,
      '留存率、流失率为近12个月滚动口径；满意度、净推荐值、响应率、复购率的统计窗口见各指标说明，可在“设置”中调整。',
          `利润贡献与客户终身价值按“设置”中的产品利润率、折现率 ${(overview.value.basis.discountRate * 100).toFixed(1)}% 和 ${overview.value.basis.horizonYears} 年期限计算；留存概率取自流失模型${overview.value.basis.retentionSource === 'observed' ? '（尚无打分时取近12个月实际留存率）' : ''}。`,
        ],
  };
}

function highlights(o: BranchOverview, k: (key: string) => ReturnType<typeof kpiOf>): string[] {
  const customers = k('customers');
  const aum = k('aum_total');
  const lines = [
    `在册客户 ${people(customers?.value)}，较上月${changeWords(customers?.mom ?? null, 'int', '人')}；本月新增 ${people(k('new_customers')?.value)}，流失 ${people(k('lost_customers')?.value)}。`,
    aum?.value === null || aum?.value === undefined
      ? '工作区没有月日均资产数据，资产类指标暂无；导入月日均资产后可计算。'
      : `资产总额（近3个月日均）${wan(aum.value)}，较上月${changeWords(aum.mom, 'wan', '万元')}，较年初${changeWords(aum.ytd, 'wan', '万元')}。`,
  ];
  if (o.churn) lines.push(`流失高风险客户 ${people(o.churn.high)}，在险资产 ${wan(o.churn.aumAtRisk)}（流失打分截至 ${o.churn.asOf ?? ''}）。`);
  else lines.push('尚未进行流失打分：训练流失模型并打分后，报告会列出高风险客户和在险资产。');
  const retention = k('retention_rate');
  if (retention?.value !== null && retention?.value !== undefined) lines.push(`近12个月留存率 ${pct(retention.value)}，户均持有产品 ${(k('products_per_customer')?.value ?? 0).toFixed(2)} 个。`);
  return lines;
}

function keyFigures(o: BranchOverview, weekly: boolean): Section {
  const keys = ['customers', 'new_customers', 'lost_customers', 'aum_total', 'aum_monthly_total', 'aum_month_end', 'high_risk_customers', 'aum_at_risk'];
  const figures = keys.flatMap((key) => {
    const kpi = kpiOf(o, key);
    return kpi ? [kpiFigure(kpi)] : [];
  });
  const up = kpiOf(o, 'tier_up')?.value ?? 0;
  const down = kpiOf(o, 'tier_down')?.value ?? 0;
  return {
    id: 'key-figures',
    title: '核心指标',
    narrative: weekly ? '' : `本月客户层级上升 ${people(up)}、下降 ${people(down)}，${up >= down ? '升多降少' : '降多升少，需关注资产流出'}。月末资产为产品当前余额，仅有最新时点。`,
    blocks: [{ type: 'figures', figures }],
  };
}

function trends(o: BranchOverview, weekly: boolean): Section {
  const customers = kpiOf(o, 'customers');
  const aum = kpiOf(o, 'aum_total');
  const charts: Chart[] = [];
  if (customers) charts.push(kpiTrendChart(customers, { id: 'trend-customers', half: true, height: weekly ? 165 : 200 }));
  if (aum) charts.push(kpiTrendChart(aum, { id: 'trend-aum', half: true, height: weekly ? 165 : 200 }));
  const flows = ['new_customers', 'lost_customers'].map((key) => kpiOf(o, key)).filter((x) => x !== undefined);
  const blocks: Section['blocks'] = charts.map((chart) => ({ type: 'chart', chart }));
  if (!weekly && flows.length === 2) {
    blocks.push({
      type: 'chart',
      chart: {
        id: 'trend-flows',
        title: '每月新增与流失客户',
        type: 'bar',
        categories: flows[0]!.trend.map((p) => shortMonth(p.month)),
        series: flows.map((kpi) => ({ name: kpiLabel(kpi!), values: kpi!.trend.map((p) => p.value) })),
        valueKind: 'int',
        unit: '人',
        height: 200,
      },
    });
  }
  const first = customers?.trend.find((p) => p.value !== null);
  return {
    id: 'trends',
    title: '客户与资产趋势',
    narrative:
      customers && first
        ? `近12个月在册客户由 ${people(first.value)} 变为 ${people(customers.value)}，今年以来${changeWords(customers.ytd, 'int', '人')}；资产总额今年以来${changeWords(aum?.ytd ?? null, 'wan', '万元')}。`
        : '',
    blocks,
  };
}

function managerTable(rows: readonly ManagerRow[], title: string, dense: boolean): Table {
  return {
    id: 'managers',
    title,
    sheet: '客户经理',
    dense,
    columns: [
      { key: 'name', label: '客户经理', kind: 'text', width: 14 },
      { key: 'team', label: '团队', kind: 'text', width: 16 },
      { key: 'customers', label: '在册客户', kind: 'int' },
      { key: 'aum', label: `${MEASURES.aum_total.label}(万元)`, kind: 'wan' },
      { key: 'aumChange', label: '较上月(万元)', kind: 'signedWan' },
      { key: 'highRisk', label: '高风险客户', kind: 'int' },
      { key: 'openTasks', label: '待跟进营销任务', kind: 'int' },
    ],
    rows: rows.map((m) => ({ name: m.name, team: m.team, customers: m.customers, aum: m.aum, aumChange: m.aumChange, highRisk: m.highRisk, openTasks: m.openTasks })),
  };
}

function managers(o: BranchOverview, weekly: boolean): Section {
  const rows = weekly ? o.managers.slice(0, 10) : o.managers;
  const falling = o.managers.filter((m) => (m.aumChange ?? 0) < 0).length;
  const risk = [...o.managers].sort((a, b) => b.highRisk - a.highRisk)[0];
  return {
    id: 'managers',
    title: '客户经理',
    pageBreak: !weekly,
    narrative: `${o.managers.length} 位客户经理中 ${falling} 位名下资产较上月减少${risk && risk.highRisk > 0 ? `；高风险客户最多的是${risk.name}（${risk.highRisk} 人）` : ''}。`,
    blocks: [
      { type: 'table', table: managerTable(rows, weekly && o.managers.length > rows.length ? `客户经理（按资产前 ${rows.length} 位）` : '客户经理', weekly) },
      ...(weekly ? [{ type: 'text' as const, text: '口径：在册客户为已开户且未流失的客户；资产总额为近3个月日均资产之和，金额单位万元；完整口径与明细见月报和 Excel 附表。' }] : []),
    ],
  };
}

function tiers(o: BranchOverview): Section {
  const months = o.tierMix.map((p) => shortMonth(p.month));
  const present = TIER_ORDER.filter((t) => o.tierMix.some((p) => p.counts[t] > 0));
  const last = o.tierMix[o.tierMix.length - 1];
  const before = o.tierMix[o.tierMix.length - 2];
  const total = last ? present.reduce((sum, t) => sum + last.counts[t], 0) : 0;
  const value = new Map(o.value.byTier.map((v) => [v.key, v]));
  const table: Table = {
    id: 'tiers',
    title: `价值层级（${o.asOfMonth}）`,
    sheet: '价值层级',
    columns: [
      { key: 'tier', label: '层级', kind: 'text' },
      { key: 'customers', label: '在册客户', kind: 'int' },
      { key: 'share', label: '占比', kind: 'pct' },
      { key: 'change', label: '较上月', kind: 'signedInt' },
      { key: 'profit', label: `${MEASURES.profit_contribution.label}(万元/年)`, kind: 'wan' },
    ],
    rows: present.map((t) => ({
      tier: TIER_NAMES[t] ?? t,
      customers: last?.counts[t] ?? 0,
      share: total > 0 ? (last?.counts[t] ?? 0) / total : null,
      change: last && before ? last.counts[t] - before.counts[t] : null,
      profit: value.get(t)?.profit ?? null,
    })),
  };
  const up = kpiOf(o, 'tier_up');
  const down = kpiOf(o, 'tier_down');
  const high = last ? last.counts.private + last.counts.wealth + last.counts.affluent : 0;
  return {
    id: 'tiers',
    title: '客户分层与迁移',
    pageBreak: true,
    narrative: `金卡及以上客户 ${people(high)}，占在册客户 ${pct(total > 0 ? high / total : null)}；本月层级上升 ${people(up?.value)}、下降 ${people(down?.value)}，今年以来累计上升 ${people(up?.ytd)}、下降 ${people(down?.ytd)}。`,
    blocks: [
      {
        type: 'chart',
        chart: {
          id: 'tier-mix',
          title: '各层级在册客户（近12个月）',
          type: 'stacked',
          categories: months,
          series: [...present].reverse().map((t) => ({ name: TIER_NAMES[t] ?? t, values: o.tierMix.map((p) => p.counts[t]) })),
          colors: [...present].reverse().map((t) => TIER_COLORS[t] as string),
          valueKind: 'int',
          unit: '人',
          height: 210,
        },
      },
      { type: 'table', table },
    ],
  };
}

function indicators(o: BranchOverview): Section {
  const keys = ['retention_rate', 'churn_rate', 'products_per_customer', 'penetration', 'repeat_purchase_rate', 'satisfaction', 'satisfied_share', 'nps', 'response_rate'];
  const rows = keys.flatMap((key) => {
    const kpi = kpiOf(o, key);
    if (!kpi) return [];
    const kind = kindsOf(MEASURES[kpi.measure].unit).value;
    return [{ name: kpiLabel(kpi), value: kpi.value, kind, mom: changeText(kpi, kpi.mom, '') ?? '—', ytd: changeText(kpi, kpi.ytd, '') ?? '—', note: kpi.note ?? MEASURES[kpi.measure].description }];
  });
  const table: Table = {
    id: 'indicators',
    title: '经营指标',
    sheet: '经营指标',
    columns: [
      { key: 'name', label: '指标', kind: 'text', width: 18 },
      { key: 'valueText', label: '本月', kind: 'text', width: 12 },
      { key: 'mom', label: '较上月', kind: 'text', width: 16 },
      { key: 'ytd', label: '较年初', kind: 'text', width: 16 },
      { key: 'note', label: '口径', kind: 'text' },
    ],
    rows: rows.map((r) => ({ name: r.name, valueText: formatValue(r.value, r.kind), mom: r.mom.trim(), ytd: r.ytd.trim(), note: r.note })),
  };
  const products: Chart = {
    id: 'product-penetration',
    title: '各类产品持有率',
    type: 'barH',
    categories: o.products.map((p) => p.label),
    series: [{ name: MEASURES.product_penetration.label, values: o.products.map((p) => p.penetration) }],
    valueKind: 'pct',
    unit: '',
    height: Math.max(160, 22 * o.products.length + 40),
  };
  const retention = kpiOf(o, 'retention_rate');
  const nps = kpiOf(o, 'nps');
  return {
    id: 'indicators',
    title: '经营指标',
    narrative: `近12个月留存率 ${pct(retention?.value)}，较年初${changeWords(retention?.ytd ?? null, 'pp', '个百分点')}；净推荐值 ${nps?.value === null || nps?.value === undefined ? '—' : Math.round(nps.value)}，覆盖 ${o.coverage.covered}/${o.coverage.total} 个登记社区。`,
    blocks: [{ type: 'table', table }, { type: 'chart', chart: products }],
  };
}

function communities(o: BranchOverview): Section {
  const rows = o.communities;
  const table: Table = {
    id: 'communities',
    title: '社区覆盖与渗透',
    sheet: '社区',
    columns: [
      { key: 'name', label: '社区', kind: 'text', width: 26 },
      { key: 'households', label: '住户数', kind: 'int' },
      { key: 'customers', label: '在册客户', kind: 'int' },
      { key: 'penetration', label: `${MEASURES.penetration.label}`, kind: 'pct' },
      { key: 'aum', label: `${MEASURES.aum_total.label}(万元)`, kind: 'wan' },
    ],
    rows: rows.map((c) => ({ name: c.name, households: c.households, customers: c.customers, penetration: c.penetration, aum: c.aum })),
  };
  const ranked = rows.filter((c) => c.penetration !== null).sort((a, b) => (b.penetration ?? 0) - (a.penetration ?? 0));
  const top = ranked[0];
  const bottom = ranked[ranked.length - 1];
  return {
    id: 'communities',
    title: '社区覆盖与渗透',
    narrative: top && bottom ? `渗透率最高的是${top.name}（${pct(top.penetration)}），最低的是${bottom.name}（${pct(bottom.penetration)}），低渗透社区是拓客的空间。` : '工作区没有登记社区住户数，无法计算渗透率。',
    blocks: [
      { type: 'chart', chart: { id: 'community-penetration', title: '各社区渗透率', type: 'barH', categories: ranked.map((c) => c.name), series: [{ name: MEASURES.penetration.label, values: ranked.map((c) => c.penetration) }], valueKind: 'pct', unit: '', height: Math.max(160, 20 * ranked.length + 40) } },
      { type: 'table', table },
    ],
  };
}

function valueTable(id: string, title: string, sheet: string, rows: readonly ValueRow[]): Table {
  return {
    id,
    title,
    sheet,
    columns: [
      { key: 'label', label: '分组', kind: 'text', width: 16 },
      { key: 'customers', label: '在册客户', kind: 'int' },
      { key: 'profit', label: `${MEASURES.profit_contribution.label}(万元/年)`, kind: 'wan' },
      { key: 'perCustomer', label: `${MEASURES.profit_per_customer.label}(万元)`, kind: 'wan' },
      { key: 'clv', label: `${MEASURES.clv_total.label}(万元)`, kind: 'wan' },
      { key: 'retention', label: '年留存概率', kind: 'pct' },
    ],
    rows: rows.map((r) => ({ label: r.label, customers: r.customers, profit: r.profit, perCustomer: r.customers > 0 ? r.profit / r.customers : null, clv: r.clv, retention: r.retention })),
  };
}

function value(o: BranchOverview): Section {
  const { value: v } = o;
  const byTier = [...v.byTier].sort((a, b) => TIER_ORDER.indexOf(a.key as never) - TIER_ORDER.indexOf(b.key as never));
  const top = [...v.byTier].sort((a, b) => b.profit - a.profit)[0];
  const share = top && v.total.profit > 0 ? top.profit / v.total.profit : null;
  return {
    id: 'value',
    title: '客户价值',
    narrative: `在册客户年利润贡献 ${wan(v.total.profit)}，户均 ${wan(v.total.customers > 0 ? v.total.profit / v.total.customers : 0)}；${top ? `${top.label}客户贡献最多，占 ${pct(share)}；` : ''}客户终身价值合计 ${wan(v.total.clv)}。`,
    blocks: [
      { type: 'chart', chart: { id: 'value-tier', title: '各层级年利润贡献', type: 'bar', categories: byTier.map((r) => r.label), series: [{ name: MEASURES.profit_contribution.label, values: byTier.map((r) => Math.round(r.profit / 100) / 100) }], valueKind: 'wan', unit: '万元', half: true, height: 200 } },
      { type: 'chart', chart: { id: 'value-clv', title: '各层级户均终身价值', type: 'bar', categories: byTier.map((r) => r.label), series: [{ name: MEASURES.clv.label, values: byTier.map((r) => (r.customers > 0 ? Math.round(r.clv / r.customers / 100) / 100 : null)) }], valueKind: 'wan', unit: '万元', half: true, height: 200 } },
      { type: 'table', table: valueTable('value-tier', '按价值层级', '价值_层级', [...byTier, v.total]) },
      { type: 'table', table: valueTable('value-segment', v.basis.segmentBasis === 'segments' ? '按客群' : '按 RFM 客户类别', '价值_客群', v.bySegment) },
    ],
  };
}

