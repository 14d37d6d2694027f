/**
 * Values as the reports print them, through the glossary's formatters (万元 with two decimals, shares with
 * one, counts grouped), and the small phrases the narratives are made of ("较上月增加 5 人").
 */
import { formatCount, formatShare, formatWan } from '../../../../shared/glossary';
import type { Cell, ValueKind } from './model';

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const two = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const one = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const signed = (text: string, v: number) => (v > 0 ? `+${text}` : v < 0 ? `−${text.replace(/^-/, '')}` : text);

export function formatValue(value: Cell | undefined, kind: ValueKind): string {
  if (kind === 'text') return value === null || value === undefined ? '—' : String(value);
  if (!isNum(value)) return '—';
  switch (kind) {
    case 'int':
      return formatCount(value);
    case 'wan':
      return formatWan(value);
    case 'pct':
      return formatShare(value);
    case 'pp':
      return signed(one.format(Math.abs(value * 100)), value);
    case 'ratio':
      return two.format(value);
    case 'score':
      return one.format(value);
    case 'signedInt':
      return signed(formatCount(Math.abs(value)), value);
    case 'signedWan':
      return signed(formatWan(Math.abs(value)), value);
  }
}

/** "增加 5 人" / "减少 1.20 万元" / "持平": a change with its unit, for sentences. */
export function changeWords(diff: number | null, kind: 'int' | 'wan' | 'pp', unit: string): string {
  if (diff === null || !Number.isFinite(diff)) return '无可比数据';
  const size = kind === 'wan' ? formatWan(Math.abs(diff)) : kind === 'pp' ? one.format(Math.abs(diff * 100)) : formatCount(Math.abs(diff));
  if (size === '0' || size === '0.00' || size === '0.0') return '持平';
  return `${diff > 0 ? (kind === 'pp' ? '上升' : '增加') : kind === 'pp' ? '下降' : '减少'} ${size} ${unit}`;
}

export const people = (n: number | null | undefined) => `${formatCount(n)} 人`;
export const wan = (yuan: number | null | undefined) => `${formatWan(yuan)} 万元`;
export const pct = (share: number | null | undefined) => formatShare(share);

/** 'YYYY-MM' → '2026年10月'. */
export function monthLabel(month: string): string {
  return `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;
}

/** 'YYYY-MM' → '10月' (chart axes within a year or two). */
export function shortMonth(month: string): string {
  return `${month.slice(2, 4)}年${Number(month.slice(5, 7))}月`;
}

export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
