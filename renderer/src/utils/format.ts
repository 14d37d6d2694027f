/** Number and date formats as a Chinese bank report writes them: 1,234,567 / 123.45 万元 / 2024-06-30. */
import { formatShare } from '../../../shared/glossary';

const intFormat = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });
const moneyFormat = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function formatInt(value: unknown): string {
  return isNum(value) ? intFormat.format(value) : '—';
}

/** Amount in 元 with two decimals. */
export function formatYuan(value: unknown): string {
  return isNum(value) ? moneyFormat.format(value) : '—';
}

/** Amount given in 元, shown in 万元 with two decimals: 1234500 → 123.45. */
export function formatWan(value: unknown): string {
  return isNum(value) ? moneyFormat.format(value / 10_000) : '—';
}

export function toWan(value: number | null | undefined): number | null {
  return isNum(value) ? Math.round(value / 100) / 100 : null;
}

/**
 * Share between 0 and 1 as a percentage, one decimal like every percentage of the workbench (the glossary's
 * formatShare): 0.873 → 87.3%, and 0.9996 → 99.9%, never 100%.
 */
export function formatPct(value: unknown): string {
  return formatShare(value);
}

/** ISO date or timestamp → YYYY-MM-DD. */
export function formatDate(value: unknown): string {
  if (typeof value !== 'string' || value === '') return '—';
  return value.slice(0, 10);
}

/** ISO timestamp → local YYYY-MM-DD HH:mm:ss. */
export function formatDateTime(value: unknown): string {
  if (typeof value !== 'string' || value === '') return '—';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A file name safe for every desktop OS, stamped with today's date: 客户列表_2024-06-30.xlsx. */
export function exportFileName(base: string, ext = 'xlsx'): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  const safe = base.replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 80) || 'export';
  return `${safe}_${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}.${ext}`;
}
