/**
 * Coded columns (性别, 风险等级, 是否 flags, 渠道, 借贷标志, …): how each distinct code of a file will be read,
 * and the codings the importer cannot be sure of. A real bank export coded gender 0/1; read by the national
 * convention "1" became 男 for rows that were women. So a coding that two conventions read differently is
 * never guessed: the import stops until the user's value map (saved with the mapping template, or
 * `"values": { "gender": { "0": "M", "1": "F" } }` in a mapping file) says what it means.
 */
import type { FieldDef } from './dictionary';
import { cleanCell, INVALID, isBlank, parserFor, type ValueMap } from './values';

/** Fields whose values are codes from a short list: the ones a value map applies to. */
export function isCodedField(field: FieldDef): boolean {
  return field.type === 'enum' || field.type === 'boolean';
}

export type ReadingStatus = 'ok' | 'mapped' | 'unknown' | 'blank' | 'invalid';

export interface CodeReading {
  /** The code as the file writes it (trimmed). */
  raw: string;
  count: number;
  /** The stored code, e.g. 'M', 'C3', 1; null when it loads as empty. */
  code: string | number | null;
  /** In words: 男, C3 平衡型, 是, 未知（按空值导入）, 无法识别. */
  reading: string;
  status: ReadingStatus;
}

export interface CodedColumnProfile {
  column: string;
  field: string;
  label: string;
  /** Non-empty cells seen. */
  cells: number;
  /** Distinct codes, most frequent first, up to a cap; `more` counts the distinct codes left out. */
  codes: CodeReading[];
  more: number;
  /** Why the coding cannot be read without the user's word; null when it can. */
  ambiguity: string | null;
  /** The user gave a value map for this field. */
  mapped: boolean;
}

/** How one code reads under the field's parser (and the value map, if any). */
export function readCode(field: FieldDef, raw: string, valueMap?: ValueMap): Omit<CodeReading, 'count'> {
  const text = cleanCell(raw);
  if (isBlank(text)) return { raw: text, code: null, reading: '空', status: 'blank' };
  const failure = { message: '' };
  const value = parserFor(field, { valueMap })(text, failure);
  const mapped = valueMap !== undefined && Object.keys(valueMap).some((k) => cleanCell(k).toLowerCase() === text.toLowerCase());
  if (value === INVALID) return { raw: text, code: null, reading: '无法识别', status: 'invalid' };
  if (value === null) return { raw: text, code: null, reading: '未知（按空值导入）', status: mapped ? 'mapped' : 'unknown' };
  return { raw: text, code: value, reading: describeCode(field, value), status: mapped ? 'mapped' : 'ok' };
}

export function describeCode(field: FieldDef, value: string | number): string {
  if (field.type === 'boolean') return value === 1 ? '是' : '否';
  return field.enumLabels?.[String(value)] ?? String(value);
}

/**
 * Why a column's codes cannot be read by convention, from its distinct raw codes; null when they can.
 * Gender: GB/T 2261.1 reads 1 as 男, 2 as 女 and 0 as 未知, but many core systems write 0/1 for 男/女 or
 * 女/男. A column of 0s and 1s without a single 2 is such a system's, and which way round is unknowable.
 */
export function codingAmbiguity(field: FieldDef, rawCodes: Iterable<string>, valueMap?: ValueMap): string | null {
  if (valueMap && Object.keys(valueMap).length > 0) return null;
  if (field.key !== 'gender') return null;
  const seen = new Set<string>();
  for (const raw of rawCodes) seen.add(cleanCell(raw));
  if (seen.has('0') && seen.has('1') && !seen.has('2')) {
    return '性别列使用 0/1 编码：国家标准 GB/T 2261.1 中 1 为男、2 为女、0 为未知，但文件中没有 2，很多系统用 0/1 表示男/女或女/男，无法判断。请在“值对照”中指定 0 和 1 各代表什么';
  }
  return null;
}

/** Counts codes of one column, bounded: past `cap` distinct codes the rest are only counted. */
export class CodeCounter {
  readonly counts = new Map<string, number>();
  cells = 0;
  more = 0;
  private readonly overflow = new Set<string>();

  constructor(private readonly cap = 50) {}

  add(raw: string): void {
    const text = cleanCell(raw);
    if (isBlank(text)) return;
    this.cells++;
    const n = this.counts.get(text);
    if (n !== undefined) this.counts.set(text, n + 1);
    else if (this.counts.size < this.cap) this.counts.set(text, 1);
    else if (this.overflow.size < 10_000 && !this.overflow.has(text)) {
      this.overflow.add(text);
      this.more++;
    }
  }
}

export function profileColumn(column: string, field: FieldDef, counter: CodeCounter, valueMap?: ValueMap): CodedColumnProfile {
  const codes = [...counter.counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([raw, count]) => ({ ...readCode(field, raw, valueMap), count }));
  return {
    column,
    field: field.key,
    label: field.label,
    cells: counter.cells,
    codes,
    more: counter.more,
    ambiguity: codingAmbiguity(field, counter.counts.keys(), valueMap),
    mapped: valueMap !== undefined && Object.keys(valueMap).length > 0,
  };
}
