/**
 * KPI values and changes as the overview cards show them, through the shared glossary (names, 万元,
 * percentages with one decimal), so the screen and the printed report read the same.
 */
import { formatMeasure, formatPoints, measureHeader, measureLabel, MEASURES, type MeasureKey } from '../../../../shared/glossary';
import { RISE_IS_BAD_KPIS, type Kpi } from '../../../../shared/reports';
import { currentLocale } from '../../i18n';

const locale = () => (currentLocale.value === 'en' ? 'en' : 'zh-CN');

export function kpiTitle(kpi: Kpi): string {
  return kpi.label ?? measureHeader(kpi.measure as MeasureKey, locale());
}

export function kpiName(kpi: Kpi): string {
  return kpi.label ?? measureLabel(kpi.measure as MeasureKey, locale());
}

export function kpiValue(kpi: Kpi): string {
  return formatMeasure(kpi.measure as MeasureKey, kpi.value);
}

/** A change with its sign: +60, −1,175.69 (万元), +1.2 个百分点. */
export function kpiChange(kpi: Kpi, diff: number | null): string | null {
  if (diff === null || !Number.isFinite(diff)) return null;
  const unit = MEASURES[kpi.measure as MeasureKey].unit;
  const sign = diff > 0 ? '+' : diff < 0 ? '−' : '';
  return `${sign}${unit === 'pct' ? formatPoints(Math.abs(diff)) : formatMeasure(kpi.measure as MeasureKey, Math.abs(diff))}`;
}

/** Whether a change is good or bad news for the branch; neutral when flat or unknown. */
export function kpiTone(kpi: Kpi, diff: number | null): 'good' | 'bad' | 'flat' {
  if (diff === null || diff === 0) return 'flat';
  const up = diff > 0;
  return RISE_IS_BAD_KPIS.has(kpi.key) ? (up ? 'bad' : 'good') : up ? 'good' : 'bad';
}

/** The sparkline's values in the unit shown (万元 for amounts). */
export function trendValues(kpi: Kpi): (number | null)[] {
  const wan = MEASURES[kpi.measure as MeasureKey].unit === 'wan';
  return kpi.trend.map((p) => (p.value === null ? null : wan ? p.value / 10_000 : p.value));
}
