/**
 * PII masking as DESIGN.md §2 prescribes, applied by default in the UI and in every export:
 * name 张*三, mobile 138****5678, ID number 110101********1234.
 */
import type { PiiKind } from './dictionary';

/** 张三丰 → 张*丰, 张三 → 张*, 欧阳娜娜 → 欧**娜; Latin names keep their first and last letter. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return chars.join('');
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/**
 * maskName in SQL, for matching while masking is on (issue #15 §1.11): a rule or search on the name then
 * sees what the screen shows, 张*丰, so "姓名包含 三" cannot probe the hidden characters. `column` is a
 * trusted column expression (c.name), never user text.
 */
export function maskedNameSql(column: string): string {
  const t = `trim(${column}, ' ' || char(9, 10, 13, 12288))`;
  return `(CASE WHEN ${column} IS NULL THEN NULL WHEN length(${t}) <= 1 THEN ${t} WHEN length(${t}) = 2 THEN substr(${t}, 1, 1) || '*' ELSE substr(${t}, 1, 1) || printf('%.*c', length(${t}) - 2, '*') || substr(${t}, -1) END)`;
}

/** 13812345678 → 138****5678; other lengths keep the first 3 and last 4 when long enough. */
export function maskMobile(mobile: string): string {
  const digits = mobile.trim();
  if (digits.length < 8) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}

/** 110101199001011234 → 110101********1234: the area code and the last four stay. */
export function maskIdNumber(id: string): string {
  const text = id.trim();
  if (text.length < 10) return '*'.repeat(text.length);
  return `${text.slice(0, 6)}${'*'.repeat(text.length - 10)}${text.slice(-4)}`;
}

export function maskValue(kind: PiiKind, value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return value ?? null;
  switch (kind) {
    case 'name':
      return maskName(value);
    case 'mobile':
      return maskMobile(value);
    case 'id_number':
      return maskIdNumber(value);
  }
}

/**
 * Cells starting with these characters are formulas to Excel and WPS; exports neutralise them. The
 * full-width forms count too: with a Chinese input method on, Excel takes ＝ for =.
 */
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠']);

/** Spaces, line breaks and the ideographic space that Excel skips before reading a formula. */
const LEADING_BLANKS = /^[\s\u3000]+/;

/**
 * Neutralises spreadsheet formula injection by prefixing a quote to text that starts like a formula, also
 * after leading blanks (" =cmd", "\n=cmd") and in full width ("＝cmd"). Numbers stay numbers: a negative
 * amount is data, not a formula.
 */
export function neutraliseFormula<T>(value: T): T | string {
  if (typeof value !== 'string' || value.length === 0) return value;
  const first = value[0] as string;
  const afterBlanks = value.replace(LEADING_BLANKS, '')[0];
  return FORMULA_TRIGGERS.has(first) || (afterBlanks !== undefined && FORMULA_TRIGGERS.has(afterBlanks)) ? `'${value}` : value;
}
