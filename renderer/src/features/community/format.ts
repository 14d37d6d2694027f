/** Cells of the community screens: amounts in 万元, shares in %, and 无数据 where the data has no value. */
import { i18n } from '../../i18n';
import { formatInt, formatPct, formatWan, toWan } from '../../utils/format';

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const noData = () => i18n.global.t('community.noData');

export const wan = (value: unknown): string => (isNum(value) ? formatWan(value) : noData());
export const pct = (value: unknown): string => (isNum(value) ? formatPct(value) : noData());
export const int = (value: unknown): string => (isNum(value) ? formatInt(value) : noData());

/** Export cells: numbers in the unit of the header (万元, %), null where there is no data. */
export const wanCell = (value: unknown): number | null => (isNum(value) ? toWan(value) : null);
export const pctCell = (value: unknown): number | null => (isNum(value) ? Math.round(value * 10_000) / 100 : null);

/** Nulls last whichever way a column is sorted is not possible with one comparator; nulls sort as lowest. */
export function byNumber(key: string): (a: Record<string, unknown>, b: Record<string, unknown>) => number {
  return (a, b) => {
    const x = a[key];
    const y = b[key];
    return (isNum(x) ? x : -Infinity) - (isNum(y) ? y : -Infinity);
  };
}

/** Text from the workspace going into an HTML tooltip. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
