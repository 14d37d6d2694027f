/**
 * Parsers for values the way Chinese bank systems export them: dates in four spellings, amounts with
 * thousands separators, currency signs and 万, booleans as 是/否, enums through synonyms.
 *
 * Every parser is built once per column and then called per cell, so the common spelling takes a fast
 * path without allocation, and a failure is reported through a reusable `ParseFailure` instead of an
 * exception: a dirty file may have thousands of bad cells.
 */
import type { FieldDef } from './dictionary';

export type CellValue = string | number | null;

/** Returned by a parser when the cell cannot be read; the reason is in the ParseFailure passed in. */
export const INVALID: unique symbol = Symbol('invalid');
export type ParseResult = CellValue | typeof INVALID;

export interface ParseFailure {
  message: string;
}

export type CellParser = (raw: string, failure: ParseFailure) => ParseResult;

/** Spellings bank exports use for "no value". */
const BLANKS = new Set(['', '-', '--', '---', 'null', 'NULL', 'Null', 'N/A', 'n/a', 'NA', '#N/A', '\\N', '无', '空']);

/**
 * Space a cell may hold and still be empty: what trim() removes (tabs, line breaks, no-break and full-width
 * spaces) plus the zero-width characters that copy-and-paste from web pages leaves behind.
 */
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff]/;
const INVISIBLE_ALL = /[\u200b-\u200d\u2060\ufeff]/g;

/** The cell without surrounding space, zero-width characters removed. */
export function cleanCell(raw: string): string {
  const text = raw.trim();
  return text.length > 0 && INVISIBLE.test(text) ? text.replace(INVISIBLE_ALL, '').trim() : text;
}

export function isBlank(raw: string): boolean {
  return BLANKS.has(raw) || BLANKS.has(cleanCell(raw));
}

export const MAX_TEXT_LENGTH = 2000;

const DATE_HINT = '请使用 YYYY-MM-DD（也支持 2024/3/5、20240305、2024年3月5日）';
const MONTH_HINT = '请使用 YYYY-MM（也支持 2024/3、202403、2024年3月）';

function daysInMonth(year: number, month: number): number {
  return month === 2 ? ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

function formatDate(year: number, month: number, day: number): string | null {
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

/** Groups 1–3 are year, month and day; 4–6 the optional hour, minute and second. */
const DATE_PATTERNS: readonly RegExp[] = [
  /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/,
  /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2}))?$/,
  /^(\d{4})年(\d{1,2})月(\d{1,2})日?$/,
];

/** A time of day that exists: 24:00:00 is accepted as the end of the day, 99:99 is not a time. */
function validTime(hour: string | undefined, minute: string | undefined, second: string | undefined): boolean {
  if (hour === undefined) return true;
  const h = Number(hour);
  const m = Number(minute);
  const s = second === undefined ? 0 : Number(second);
  if (h === 24) return m === 0 && s === 0;
  return h <= 23 && m <= 59 && s <= 59;
}

/** Reads a date cell into 'YYYY-MM-DD', or null for a blank; INVALID with a reason otherwise. */
/** Whether the chars of `text` at `from`..`to` (exclusive) are all ASCII digits. */
function digitsAt(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

export function parseDate(raw: string, failure: ParseFailure): ParseResult {
  // Fast path: already canonical.
  if (raw.length === 10 && raw.charCodeAt(4) === 45 && raw.charCodeAt(7) === 45 && digitsAt(raw, 0, 4) && digitsAt(raw, 5, 7) && digitsAt(raw, 8, 10)) {
    const year = +raw.slice(0, 4);
    const month = +raw.slice(5, 7);
    const day = +raw.slice(8, 10);
    if (year >= 1900 && year <= 2100 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)) return raw;
  }
  const text = cleanCell(raw);
  if (isBlank(text)) return null;
  for (const pattern of DATE_PATTERNS) {
    const m = pattern.exec(text);
    if (m) {
      if (!validTime(m[4], m[5], m[6])) {
        failure.message = `时间部分不存在（时 0–23、分和秒 0–59），${DATE_HINT}`;
        return INVALID;
      }
      const formatted = formatDate(Number(m[1]), Number(m[2]), Number(m[3]));
      if (formatted) return formatted;
      failure.message = `日期不存在，${DATE_HINT}`;
      return INVALID;
    }
  }
  failure.message = `无法识别的日期，${DATE_HINT}`;
  return INVALID;
}

const MONTH_PATTERNS: readonly RegExp[] = [/^(\d{4})[-/.](\d{1,2})$/, /^(\d{4})(\d{2})$/, /^(\d{4})年(\d{1,2})月?$/];

/** Reads a month cell into 'YYYY-MM'. A full date is accepted and truncated to its month. */
export function parseMonth(raw: string, failure: ParseFailure): ParseResult {
  if (raw.length === 7 && raw.charCodeAt(4) === 45 && digitsAt(raw, 0, 4) && digitsAt(raw, 5, 7)) {
    const month = +raw.slice(5, 7);
    const year = +raw.slice(0, 4);
    if (month >= 1 && month <= 12 && year >= 1900 && year <= 2100) return raw;
  }
  const text = cleanCell(raw);
  if (isBlank(text)) return null;
  for (const pattern of MONTH_PATTERNS) {
    const m = pattern.exec(text);
    if (m) {
      const year = Number(m[1]);
      const month = Number(m[2]);
      if (year >= 1900 && year <= 2100 && month >= 1 && month <= 12) return `${year}-${pad2(month)}`;
      failure.message = `月份不存在，${MONTH_HINT}`;
      return INVALID;
    }
  }
  const asDate = parseDate(text, failure);
  if (typeof asDate === 'string') return asDate.slice(0, 7);
  failure.message = `无法识别的月份，${MONTH_HINT}`;
  return INVALID;
}

const AMOUNT_NOISE = /[\s¥￥元]|RMB|CNY/gi;

/** Commas as thousands separators: groups of three digits after the first, as in 1,234,567.89. */
const THOUSANDS = /^[+-]?\d{1,3}(?:[,，]\d{3})+(?:\.\d*)?$/;
const COMMA_HINT = '逗号不是千位分隔符（千位分隔应写作 1,234.50），无法确定数值，小数请用小数点，如 3.2';

/**
 * The number without its thousands separators; null when a comma stands anywhere else ("3,2" may be 3.2
 * written with a decimal comma or a typo for 32: reading it as 32 would be silently ten times too much).
 */
function withoutThousands(text: string): string | null {
  if (!/[,，]/.test(text)) return text;
  return THOUSANDS.test(text) ? text.replace(/[,，]/g, '') : null;
}

/**
 * A decimal number as bank formats write it, with an optional exponent because Excel writes large values as
 * 1.23E+07. Not `Infinity`, `NaN`, hex `0x1F`, binary `0b101` or octal `0o17`, which Number() would accept.
 */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,3})?$/;
/** The common spelling, digits with an optional point and sign, checked without a regex. */
function plainDecimal(raw: string): boolean {
  const n = raw.length;
  if (n === 0 || n > 20) return false;
  let i = raw.charCodeAt(0) === 45 ? 1 : 0;
  if (i === n) return false;
  let digits = 0;
  let point = false;
  for (; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 && !point) point = true;
    else return false;
  }
  return digits > 0;
}

/** A finite decimal number, or null when the text is not one. */
export function decimalValue(text: string): number | null {
  if (!DECIMAL.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

const AMOUNT_HINT = '不是有效的金额，请填写数字，如 1234.50、1,234.50、¥1234.5 或 1.2万';

/**
 * Reads an amount: `1,234.50`, `¥1234.5`, `1.2万`, `3亿`, `(1,234.00)` for a negative. `scale` converts a
 * unit taken from the header, e.g. 10000 for a column headed 资产(万元). Only finite decimal numbers pass.
 */
export function parseAmount(raw: string, failure: ParseFailure, scale = 1): ParseResult {
  if (plainDecimal(raw)) {
    const quick = +raw;
    return scale === 1 ? quick : Math.round(quick * scale * 1e6) / 1e6;
  }
  const text = cleanCell(raw);
  if (isBlank(text)) return null;
  let body = text.replace(AMOUNT_NOISE, '');
  let sign = 1;
  if (/^\(.*\)$/.test(body) || /^（.*）$/.test(body)) {
    sign = -1;
    body = body.slice(1, -1);
  }
  let unit = 1;
  if (body.endsWith('万')) {
    unit = 10_000;
    body = body.slice(0, -1);
  } else if (body.endsWith('亿')) {
    unit = 100_000_000;
    body = body.slice(0, -1);
  }
  const grouped = withoutThousands(body);
  if (grouped === null) {
    failure.message = COMMA_HINT;
    return INVALID;
  }
  const number = decimalValue(grouped);
  if (number !== null) {
    const value = number * unit * sign * scale;
    if (Number.isFinite(value)) return Math.round(value * 1e6) / 1e6;
  }
  failure.message = AMOUNT_HINT;
  return INVALID;
}

export function parseNumber(raw: string, failure: ParseFailure): ParseResult {
  if (plainDecimal(raw)) return +raw;
  const cell = cleanCell(raw);
  if (isBlank(cell)) return null;
  const text = withoutThousands(cell);
  if (text === null) {
    failure.message = COMMA_HINT;
    return INVALID;
  }
  const value = decimalValue(text);
  if (value !== null) return value;
  failure.message = '不是有效的数字，请填写十进制数字，如 12 或 3.5';
  return INVALID;
}

export function parseInteger(raw: string, failure: ParseFailure): ParseResult {
  const value = parseNumber(raw, failure);
  if (value === INVALID || value === null) return value;
  if (Number.isInteger(value)) return value;
  failure.message = '应为整数';
  return INVALID;
}

/** A share between 0 and 1, written either as 0.23 or as 23%. */
export function parseRatio(raw: string, failure: ParseFailure): ParseResult {
  const text = cleanCell(raw);
  if (isBlank(text)) return null;
  const percent = text.endsWith('%') || text.endsWith('％');
  const value = decimalValue((percent ? text.slice(0, -1) : text).replace(/[,，\s]/g, ''));
  if (value === null) {
    failure.message = '不是有效的比例，请填写 0.23 或 23%';
    return INVALID;
  }
  return percent ? value / 100 : value;
}

const TRUE_WORDS = new Set(['是', 'y', 'yes', 'true', '1', '同意', '已授权', '授权', '有', '√', 't']);
const FALSE_WORDS = new Set(['否', 'n', 'no', 'false', '0', '不同意', '未授权', '拒绝', '无', '×', 'f']);

export function parseBoolean(raw: string, failure: ParseFailure): ParseResult {
  const text = cleanCell(raw).toLowerCase();
  if (text === '' || text === '-' || text === 'null') return null;
  if (TRUE_WORDS.has(text)) return 1;
  if (FALSE_WORDS.has(text)) return 0;
  failure.message = '应为 是/否（也支持 Y/N、1/0）';
  return INVALID;
}

/** Control characters other than tab and line breaks are never data in a bank export, only corruption. */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export function parseText(raw: string, failure: ParseFailure): ParseResult {
  const text = cleanCell(raw);
  if (isBlank(text)) return null;
  if (CONTROL_CHARACTERS.test(text)) {
    failure.message = '含有不可见的控制字符，文件可能已损坏或编码有误，请检查该单元格';
    return INVALID;
  }
  if (text.length > MAX_TEXT_LENGTH) {
    failure.message = `内容过长（${text.length} 个字符，上限 ${MAX_TEXT_LENGTH}），请检查该列是否错位`;
    return INVALID;
  }
  return text;
}

const normaliseWord = (text: string) => text.trim().toLowerCase().replace(/\s+/g, ' ');

/** Builds the parser of an enum field: canonical codes, then synonyms, then (open enums only) the raw text. */
export function enumParser(def: FieldDef): CellParser {
  const lookup = new Map<string, string>();
  for (const code of def.enumValues ?? []) lookup.set(normaliseWord(code), code);
  for (const [code, label] of Object.entries(def.enumLabels ?? {})) lookup.set(normaliseWord(label), code);
  for (const [word, code] of Object.entries(def.valueSynonyms ?? {})) lookup.set(normaliseWord(word), code);
  const unknown = new Set((def.unknownValues ?? []).map(normaliseWord));
  const allowed = (def.enumValues ?? []).map((code) => def.enumLabels?.[code] ?? code).join('、');
  return (raw, failure) => {
    const direct = lookup.get(raw);
    if (direct !== undefined) return direct;
    const text = cleanCell(raw);
    if (isBlank(text)) return null;
    const word = normaliseWord(text);
    const code = lookup.get(word);
    if (code !== undefined) return code;
    if (unknown.has(word)) return null;
    if (def.openEnum) return parseText(text, failure);
    failure.message = `不是可识别的${def.label}，可选值：${allowed}`;
    return INVALID;
  };
}

/** A value map of a coded column: the raw code as the file writes it → the value to read instead (null: empty). */
export type ValueMap = Readonly<Record<string, string | null>>;

export interface ParserOptions {
  /** Multiplier from a unit in the header, e.g. 10000 for 资产(万元). */
  scale?: number;
  /** The user's reading of the column's codes, applied before the field's own synonyms. */
  valueMap?: ValueMap | undefined;
  /** Plausible range (settings); values outside are refused as probable unit or typing mistakes. */
  plausible?: { min?: number | undefined; max?: number | undefined } | undefined;
}

const valueMapKey = (raw: string) => cleanCell(raw).toLowerCase();

/** The parser a field's type calls for, with range checks from the dictionary and the options. */
export function parserFor(def: FieldDef, options: number | ParserOptions = 1): CellParser {
  const { scale = 1, valueMap, plausible } = typeof options === 'number' ? { scale: options } : options;
  let parse = baseParser(def, scale);
  if (valueMap && Object.keys(valueMap).length > 0) parse = withValueMap(parse, valueMap);
  if (def.min !== undefined || def.max !== undefined) parse = withRange(parse, def.min, def.max, (bound) => `${def.label}不能${bound}`);
  if (plausible && (plausible.min !== undefined || plausible.max !== undefined)) {
    const unit = def.type === 'money' ? (n: number) => `${formatWan(n)} 万元` : (n: number) => String(n);
    parse = withRange(parse, plausible.min, plausible.max, (bound) => `${def.label}超出合理范围（${bound}），请检查单位或数值是否有误；范围可在“设置 › 导入”中调整`, unit);
  }
  return parse;
}

function withValueMap(base: CellParser, map: ValueMap): CellParser {
  const table = new Map(Object.entries(map).map(([raw, value]) => [valueMapKey(raw), value]));
  return (raw, failure) => {
    const hit = table.get(valueMapKey(raw));
    if (hit === undefined) return base(raw, failure);
    return hit === null || hit.trim() === '' ? null : base(hit, failure);
  };
}

function withRange(
  base: CellParser,
  min: number | undefined,
  max: number | undefined,
  message: (bound: string) => string,
  show: (n: number) => string = String,
): CellParser {
  return (raw, failure) => {
    const value = base(raw, failure);
    if (typeof value !== 'number') return value;
    if (min !== undefined && value < min) {
      failure.message = message(`不能小于 ${show(min)}`);
      return INVALID;
    }
    if (max !== undefined && value > max) {
      failure.message = message(`不能大于 ${show(max)}`);
      return INVALID;
    }
    return value;
  };
}

/** 元 → 万元 for messages, without grouping: 12345678 → 1234.5678. */
function formatWan(yuan: number): string {
  return String(Math.round((yuan / 10_000) * 10_000) / 10_000);
}

function baseParser(def: FieldDef, scale: number): CellParser {
  switch (def.type) {
    case 'date':
      return parseDate;
    case 'month':
      return parseMonth;
    case 'money':
      return scale === 1 ? parseAmount : (raw, failure) => parseAmount(raw, failure, scale);
    case 'number':
      return parseNumber;
    case 'integer':
      return parseInteger;
    case 'ratio':
      return parseRatio;
    case 'boolean':
      return parseBoolean;
    case 'enum':
      return enumParser(def);
    case 'text':
      return parseText;
  }
}

/** Age in whole years on a date, both as 'YYYY-MM-DD'. */
export function ageOn(birthDate: string, onDate: string): number {
  const by = Number(birthDate.slice(0, 4));
  const bm = Number(birthDate.slice(5, 7));
  const bd = Number(birthDate.slice(8, 10));
  const y = Number(onDate.slice(0, 4));
  const m = Number(onDate.slice(5, 7));
  const d = Number(onDate.slice(8, 10));
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
