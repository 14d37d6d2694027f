/** The overview's charts and tables from the engine's BranchOverview. */
import type { EChartsCoreOption } from 'echarts/core';
import type { BranchOverview, Kpi, TierKey, ValueRow } from '../../../../shared/reports';
import { TIER_COLORS } from '../../charts/echarts';
import type { TableColumn } from '../../components/table';
import { i18n } from '../../i18n';
import { enumLabel } from '../../utils/labels';

export const KPI_SECTIONS = {
  customers: ['customers', 'new_customers', 'lost_customers', 'aum_total', 'aum_monthly_total', 'aum_month_end', 'tier_up', 'tier_down'],
  indicators: ['retention_rate', 'churn_rate', 'products_per_customer', 'penetration', 'repeat_purchase_rate', 'satisfaction', 'nps', 'response_rate'],
  value: ['high_risk_customers', 'aum_at_risk', 'profit_contribution', 'profit_per_customer', 'clv_total', 'clv'],
} as const;

export function sectionKpis(overview: BranchOverview, keys: readonly string[]): Kpi[] {
  return keys.flatMap((key) => overview.kpis.filter((k) => k.key === key));
}

const TIER_ORDER: TierKey[] = ['mass', 'affluent', 'wealth', 'private', 'no_record'];
const tierName = (tier: TierKey) => enumLabel('value_tier', tier);

export function tierMixOption(overview: BranchOverview): EChartsCoreOption {
  const tiers = TIER_ORDER.filter((tier) => overview.tierMix.some((p) => p.counts[tier] > 0));
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 8, right: 12, top: 32, bottom: 4, containLabel: true },
    xAxis: { type: 'category', data: overview.tierMix.map((p) => p.month) },
    yAxis: { type: 'value' },
    series: tiers.map((tier) => ({ name: tierName(tier), type: 'bar', stack: 'tiers', data: overview.tierMix.map((p) => p.counts[tier]), itemStyle: { color: TIER_COLORS[tier] ?? '#b8c4d6' } })),
  };
}

export function productsOption(overview: BranchOverview): EChartsCoreOption {
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => `${(v * 100).toFixed(1)}%` },
    grid: { left: 8, right: 48, top: 8, bottom: 4, containLabel: true },
    xAxis: { type: 'value', max: 1, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
    yAxis: { type: 'category', inverse: true, data: overview.products.map((p) => enumLabel('category', p.category)) },
    series: [{ type: 'bar', data: overview.products.map((p) => p.penetration), barMaxWidth: 16, label: { show: true, position: 'right', formatter: (p: { value: number }) => `${(p.value * 100).toFixed(1)}%` } }],
  };
}

export function valueColumns(): TableColumn[] {
  const t = i18n.global.t;
  return [
    { key: 'label', label: t('overview.col.group'), minWidth: 110 },
    { key: 'customers', label: t('overview.col.customers'), kind: 'int' },
    { key: 'profit', label: t('overview.col.profit'), kind: 'wan', minWidth: 130 },
    { key: 'perCustomer', label: t('overview.col.perCustomer'), kind: 'wan', minWidth: 140 },
    { key: 'clv', label: t('overview.col.clv'), kind: 'wan', minWidth: 160 },
    { key: 'retention', label: t('overview.col.retention'), kind: 'pct', minWidth: 110 },
  ];
}

export function valueRows(rows: readonly ValueRow[], tiers = false): Record<string, unknown>[] {
  return rows.map((r) => ({ ...r, label: tiers && r.key !== 'total' ? tierName(r.key as TierKey) : r.label, perCustomer: r.customers > 0 ? r.profit / r.customers : null }));
}

export function communityColumns(): TableColumn[] {
  const t = i18n.global.t;
  return [
    { key: 'name', label: t('overview.col.community'), minWidth: 140 },
    { key: 'households', label: t('overview.col.households'), kind: 'int' },
    { key: 'customers', label: t('overview.col.customers'), kind: 'int' },
    { key: 'penetration', label: t('overview.col.penetration'), kind: 'pct' },
    { key: 'aum', label: t('overview.col.aum'), kind: 'wan', minWidth: 120 },
  ];
}

export function managerColumns(): TableColumn[] {
  const t = i18n.global.t;
  return [
    { key: 'name', label: t('overview.col.manager'), minWidth: 100 },
    { key: 'team', label: t('overview.col.team'), minWidth: 120 },
    { key: 'customers', label: t('overview.col.customers'), kind: 'int' },
    { key: 'aum', label: t('overview.col.aum'), kind: 'wan', minWidth: 120 },
    { key: 'aumChange', label: t('overview.col.aumChange'), minWidth: 110, format: (r) => signedWan(r.aumChange), exportValue: (r) => (typeof r.aumChange === 'number' ? Math.round(r.aumChange / 100) / 100 : null) },
    { key: 'highRisk', label: t('overview.col.highRisk'), kind: 'int' },
    { key: 'openTasks', label: t('overview.col.openTasks'), kind: 'int', minWidth: 120 },
  ];
}

function signedWan(value: unknown): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  const text = (Math.abs(value) / 10_000).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return value > 0 ? `▲ +${text}` : value < 0 ? `▼ −${text}` : text;
}
