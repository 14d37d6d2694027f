import { splitDay } from './calendar';

/**
 * Cell spellings. The big extracts use the canonical forms of shared/values.ts (YYYY-MM-DD, plain
 * decimals without separators) because they are the ones the importer reads on its fast path; the
 * variants below appear where a second system or a person with Excel produced the file.
 */

/**
 * A plain decimal with at most two places: 1234.5, 0, 88.08. Built from integers because formatting a
 * double (shortest round-trip) costs several times more, and the ledger formats millions of amounts.
 */
export function money(x: number): string {
  let cents = Math.round(x * 100);
  if (cents === 0) return '0';
  const sign = cents < 0 ? '-' : '';
  if (cents < 0) cents = -cents;
  const whole = Math.floor(cents / 100);
  const fraction = cents - whole * 100;
  if (fraction === 0) return sign + whole;
  if (fraction % 10 === 0) return `${sign}${whole}.${fraction / 10}`;
  return `${sign}${whole}.${fraction < 10 ? '0' : ''}${fraction}`;
}

/** 2024/3/5: how the wealth-management system exports its dates. */
export function slashDate(day: number): string {
  const [y, m, d] = splitDay(day);
  return `${y}/${m}/${d}`;
}

export const yesNo = (value: boolean): string => (value ? '是' : '否');

/** Quotes a text cell for CSV when it needs it (RFC 4180). */
export function csvText(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
