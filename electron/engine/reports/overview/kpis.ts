/**
 * The overview's KPIs from the monthly series: the as-of value, the change on the month before, the change
 * since the turn of the year and the 12-month trend.
 *
 * - stocks and rates: the year-to-date change is against December of the year before;
 * - flows (new and lost customers, tier moves): the year-to-date figure is the sum since January;
 * - retention and churn rate are rolling 12-month figures: customers lost over the 12 months to the month,
 *   over the customers on the books 12 months before;
 * - months before the first balance month carry no figure (null), rather than a misleading zero.
 */
import type { Kpi, KpiPoint } from '../../../../shared/reports';
import type { MeasureKey } from '../../../../shared/glossary';
import type { ActivitySeries } from './activity';
import { trendIndexes, yearStartIndex, type MonthWindow } from './months';
import type { MonthlyTotals } from './monthly-pass';

type Series = (number | null)[];

interface KpiDef {
  key: string;
  measure: MeasureKey;
  kind: Kpi['kind'];
  series: Series;
  note?: string;
}

export interface KpiInputs {
  window: MonthWindow;
  totals: MonthlyTotals;
  activity: ActivitySeries;
  /** Index of the first month with balances; -1 when the workspace has none. */
  dataFrom: number;
  /** Households per community id (registered communities with a household count). */
  households: Map<string, number>;
  windows: { survey: number; campaign: number; repeat: number };
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

function buildKpi(def: KpiDef, window: MonthWindow): Kpi {
  const { series } = def;
  const at = (k: number) => (k >= 0 && k < series.length ? (series[k] ?? null) : null);
  const value = at(window.last);
  const before = at(window.last - 1);
  const december = yearStartIndex(window);
  let ytd: number | null;
  if (def.kind === 'flow') {
    const year = (window.months[window.last] as string).slice(0, 4);
    const months = window.months.map((m, k) => [m, k] as const).filter(([m]) => m.startsWith(year));
    const values = months.map(([, k]) => at(k));
    ytd = values.every((v) => v === null) ? null : values.reduce<number>((sum, v) => sum + (v ?? 0), 0);
  } else {
    const start = at(december);
    ytd = value !== null && start !== null ? value - start : null;
  }
  const trend: KpiPoint[] = trendIndexes(window).map((k) => ({ month: window.months[k] as string, value: at(k) }));
  return {
    key: def.key,
    measure: def.measure,
    kind: def.kind,
    value,
    mom: value !== null && before !== null ? value - before : null,
    ytd,
    trend,
    ...(def.note ? { note: def.note } : {}),
  };
}

export function monthlyKpis(inputs: KpiInputs): Kpi[] {
  const { window, totals, activity, dataFrom } = inputs;
  const count = window.months.length;
  const hasData = (k: number) => dataFrom >= 0 && k >= dataFrom;
  const series = (f: (k: number) => number | null, needsData = true): Series => Array.from({ length: count }, (_, k) => (needsData && !hasData(k) ? null : f(k)));
  const ints = (a: Int32Array | Float64Array, needsData = true) => series((k) => a[k] as number, needsData);

  const rolling12 = (k: number) => {
    if (!hasData(k - 12)) return null;
    let lost = 0;
    for (let j = k - 11; j <= k; j++) lost += totals.lost[j] as number;
    return ratio(lost, totals.onBook[k - 12] as number);
  };
  const penetration = (k: number) => {
    let customers = 0;
    let households = 0;
    for (const [id, count] of inputs.households) {
      customers += totals.communities.get(id)?.[k] ?? 0;
      households += count;
    }
    return ratio(customers, households);
  };
  const w = inputs.windows;

  const defs: KpiDef[] = [
    { key: 'customers', measure: 'customers', kind: 'stock', series: ints(totals.onBook, false), note: '在册客户：已开户且未流失' },
    { key: 'new_customers', measure: 'new_customers', kind: 'flow', series: ints(totals.newCustomers, false) },
    { key: 'lost_customers', measure: 'lost_customers', kind: 'flow', series: ints(totals.lost) },
    { key: 'aum_total', measure: 'aum_total', kind: 'stock', series: ints(totals.aumAvg3) },
    { key: 'aum_monthly_total', measure: 'aum_monthly_total', kind: 'stock', series: ints(totals.aumMonthly) },
    { key: 'tier_up', measure: 'tier_up', kind: 'flow', series: series((k) => (hasData(k - 1) ? (totals.tierUp[k] as number) : null)) },
    { key: 'tier_down', measure: 'tier_down', kind: 'flow', series: series((k) => (hasData(k - 1) ? (totals.tierDown[k] as number) : null)) },
    { key: 'retention_rate', measure: 'retention_rate', kind: 'rate', series: series((k) => { const r = rolling12(k); return r === null ? null : 1 - r; }), note: '近12个月：1 − 流失率' },
    { key: 'churn_rate', measure: 'churn_rate', kind: 'rate', series: series(rolling12), note: '近12个月流失客户 ÷ 12个月前在册客户' },
    { key: 'products_per_customer', measure: 'products_per_customer', kind: 'rate', series: series((k) => ratio(totals.productsHeld[k] as number, totals.onBook[k] as number)) },
    { key: 'penetration', measure: 'penetration', kind: 'rate', series: series(penetration), note: '登记住户数的社区内：在册客户 ÷ 住户数' },
    { key: 'repeat_purchase_rate', measure: 'repeat_purchase_rate', kind: 'rate', series: series((k) => ratio(totals.repeatBuyers[k] as number, totals.buyers[k] as number)), note: `近${w.repeat}个月新开产品的客户中` },
    { key: 'satisfaction', measure: 'satisfaction', kind: 'rate', series: activity.satisfaction.values, note: `近${w.survey}个月 ${activity.satisfaction.base} 份问卷` },
    { key: 'satisfied_share', measure: 'satisfied_share', kind: 'rate', series: activity.satisfiedShare.values, note: `近${w.survey}个月` },
    { key: 'nps', measure: 'nps', kind: 'rate', series: activity.nps.values, note: `近${w.survey}个月` },
    { key: 'response_rate', measure: 'response_rate', kind: 'rate', series: activity.responseRate.values, note: `近${w.campaign}个月 ${activity.responseRate.base} 人次触达` },
  ];
  return defs.map((def) => buildKpi(def, window));
}

/** A KPI the data give only for the as-of month (current balances, the latest scoring). */
export function pointKpi(key: string, measure: MeasureKey, value: number | null, note: string): Kpi {
  return { key, measure, kind: 'stock', value, mom: null, ytd: null, trend: [], note };
}
