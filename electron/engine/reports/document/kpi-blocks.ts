/**
 * KPIs of the overview as report pieces: a figure card, a table row, a trend chart. Labels and units come
 * from the glossary, so a measure reads the same in the overview screen, the PDF, the Excel and the slides.
 */
import { MEASURES, measureLabel, type MeasureUnit } from '../../../../shared/glossary';
import { RISE_IS_BAD_KPIS, type BranchOverview, type Kpi } from '../../../../shared/reports';
import { formatValue, shortMonth } from './format';
import type { Chart, Figure, ValueKind } from './model';

export function kpiOf(overview: BranchOverview, key: string): Kpi | undefined {
  return overview.kpis.find((k) => k.key === key);
}

const UNIT_TEXT: Record<MeasureUnit, string> = { wan: '万元', count: '', people: '人', pct: '', pp: '个百分点', days: '天', months: '个月', ratio: '', score: '分' };

/** How a measure's value prints, and how its changes print. */
export function kindsOf(unit: MeasureUnit): { value: ValueKind; change: ValueKind } {
  switch (unit) {
    case 'wan':
      return { value: 'wan', change: 'signedWan' };
    case 'pct':
    case 'pp':
      return { value: 'pct', change: 'pp' };
    case 'ratio':
      return { value: 'ratio', change: 'ratio' };
    default:
      return { value: 'int', change: 'signedInt' };
  }
}

export function kpiLabel(kpi: Kpi): string {
  return kpi.label ?? measureLabel(kpi.measure);
}

export function unitText(kpi: Kpi): string {
  return UNIT_TEXT[MEASURES[kpi.measure].unit];
}

/** "较上月 +60 人" for stocks and flows, "较上月 +1.2 个百分点" for rates. */
export function changeText(kpi: Kpi, diff: number | null, prefix: string): string | undefined {
  if (diff === null) return undefined;
  const unit = MEASURES[kpi.measure].unit;
  const kind = kindsOf(unit).change;
  const signedRatio = kind === 'ratio' ? (diff > 0 ? '+' : diff < 0 ? '−' : '') + formatValue(Math.abs(diff), 'ratio') : formatValue(diff, kind);
  const suffix = unit === 'pct' ? '个百分点' : UNIT_TEXT[unit];
  return `${prefix} ${signedRatio}${suffix ? ` ${suffix}` : ''}`;
}


export function kpiFigure(kpi: Kpi): Figure {
  const { value } = kindsOf(MEASURES[kpi.measure].unit);
  const change = changeText(kpi, kpi.mom, '较上月');
  const up = kpi.mom !== null && kpi.mom > 0;
  const down = kpi.mom !== null && kpi.mom < 0;
  const bad = RISE_IS_BAD_KPIS.has(kpi.key) ? up : down;
  const good = RISE_IS_BAD_KPIS.has(kpi.key) ? down : up;
  return {
    label: kpiLabel(kpi),
    value: kpi.value,
    kind: value,
    unit: MEASURES[kpi.measure].unit === 'pct' ? '' : unitText(kpi),
    ...(change ? { change: `${up ? '▲ ' : down ? '▼ ' : ''}${change}`, tone: bad ? 'bad' : good ? 'good' : 'neutral' } : {}),
  };
}

/** A KPI's 12 months as a line (amounts in 万元). */
export function kpiTrendChart(kpi: Kpi, options: { id: string; half?: boolean; height?: number }): Chart {
  const unit = MEASURES[kpi.measure].unit;
  const toChart = (v: number | null) => (v === null ? null : unit === 'wan' ? Math.round(v / 100) / 100 : v);
  return {
    id: options.id,
    title: `${kpiLabel(kpi)}（近12个月）`,
    type: 'line',
    categories: kpi.trend.map((p) => shortMonth(p.month)),
    series: [{ name: kpiLabel(kpi), values: kpi.trend.map((p) => toChart(p.value)) }],
    valueKind: unit === 'wan' ? 'wan' : unit === 'pct' ? 'pct' : 'number',
    unit: unit === 'wan' ? '万元' : unit === 'people' ? '人' : '',
    ...(options.half ? { half: true } : {}),
    ...(options.height ? { height: options.height } : {}),
  };
}
