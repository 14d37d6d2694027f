/**
 * Compiles a mapping into the per-row work of an import: pick each field's cell, parse it, check the row's
 * rules, and write the typed values into a flat buffer the writer binds from. Built once per import; the
 * per-row path does no lookups by name and allocates nothing for valid rows.
 */
import type { ColumnMapping, RowError } from '../../../shared/api';
import { entity as entityDef, type EntityKey, type FieldDef } from '../../../shared/dictionary';
import { INVALID, parserFor, type CellParser, type CellValue, type ParseFailure } from '../../../shared/values';
import { EngineError } from '../errors';
import { compileTransform, transformOutputs, type TransformEnv, type TransformFn } from './transforms';

export const enum RowOutcome {
  Ok = 0,
  Rejected = 1,
  Empty = 2,
}

/** Collects row errors: counts all of them, keeps the first `cap` for the report. */
export class RowErrorSink {
  readonly kept: RowError[] = [];
  count = 0;
  constructor(private readonly cap = 10_000) {}

  add(row: number, column: string | null, value: string | null, message: string): void {
    this.count++;
    if (this.kept.length < this.cap) this.kept.push({ row, column, value: value === null ? null : clip(value), message });
  }
}

const clip = (text: string) => (text.length > 200 ? `${text.slice(0, 200)}…` : text);

type Source =
  | { kind: 'cell'; index: number; header: string }
  | { kind: 'constant'; value: CellValue }
  | { kind: 'transform'; slot: number; output: number; header: string }
  | { kind: 'rowKey'; prefix: string };

interface Slot {
  field: FieldDef;
  parse: CellParser;
  source: Source;
}

interface TransformSlot {
  index: number;
  header: string;
  run: TransformFn;
  results: (string | null)[] | null;
}

export interface RowCoercer {
  /** Table columns, in the order values are written. */
  readonly columns: readonly string[];
  /**
   * Coerces one record into `out` starting at `offset`. Returns Ok, Rejected (reasons added to `errors`)
   * or Empty for a record whose every cell is blank, which imports skip.
   */
  coerce(cells: readonly string[], row: number, out: CellValue[], offset: number, errors: RowErrorSink): RowOutcome;
}

export function compileCoercer(entityKey: EntityKey, headers: readonly string[], mapping: ColumnMapping, env: TransformEnv): RowCoercer {
  const def = entityDef(entityKey);
  const headerIndex = new Map<string, number>();
  headers.forEach((h, i) => {
    if (!headerIndex.has(h)) headerIndex.set(h, i);
  });

  const transforms: TransformSlot[] = (mapping.transforms ?? []).map((spec) => ({
    index: headerIndex.get(spec.column) ?? -1,
    header: spec.column,
    run: compileTransform(spec, env),
    results: null,
  }));
  const transformTargets = new Map<string, { slot: number; output: number; header: string }>();
  (mapping.transforms ?? []).forEach((spec, slot) => {
    const outputs = transformOutputs(spec);
    outputs.forEach((fieldKey, output) => transformTargets.set(fieldKey, { slot, output, header: spec.column }));
  });

  const fieldToHeader = new Map<string, string>();
  for (const [header, fieldKey] of Object.entries(mapping.columns)) fieldToHeader.set(fieldKey, header);

  const slots: Slot[] = [];
  for (const field of def.fields) {
    const parse = parserFor(field, mapping.scales?.[field.key] ?? 1);
    const header = fieldToHeader.get(field.key);
    if (header !== undefined) {
      slots.push({ field, parse, source: { kind: 'cell', index: headerIndex.get(header) as number, header } });
    } else if (mapping.constants && field.key in mapping.constants) {
      const failure: ParseFailure = { message: '' };
      const value = parse(String(mapping.constants[field.key]), failure);
      if (value === INVALID) throw new EngineError('bad_input', `字段“${field.label}”的固定值“${mapping.constants[field.key]}”无效：${failure.message}`);
      slots.push({ field, parse, source: { kind: 'constant', value } });
    } else if (transformTargets.has(field.key)) {
      const t = transformTargets.get(field.key)!;
      slots.push({ field, parse, source: { kind: 'transform', ...t } });
    } else if (mapping.rowKey?.field === field.key) {
      slots.push({ field, parse, source: { kind: 'rowKey', prefix: mapping.rowKey.prefix } });
    }
  }

  const columns = slots.map((s) => s.field.key);
  const checkRow = rowRules(entityKey, columns, env.today);
  const failure: ParseFailure = { message: '' };
  const width = headers.length;
  const columnOf = (source: Source): string | null => (source.kind === 'cell' || source.kind === 'transform' ? source.header : null);

  return {
    columns,
    coerce(cells, row, out, offset, errors) {
      if (cells.length !== width) {
        if (cells.every((c) => c.trim() === '')) return RowOutcome.Empty;
        errors.add(row, null, null, `该行有 ${cells.length} 列，表头有 ${width} 列。可能多了或少了分隔符，或字段中的逗号没有加引号`);
        return RowOutcome.Rejected;
      }
      let rejected = false;
      let blank = true;
      for (const t of transforms) {
        const raw = cells[t.index] as string;
        const result = t.run(raw);
        if ('error' in result) {
          errors.add(row, t.header, raw, result.error);
          t.results = null;
          rejected = true;
        } else {
          t.results = result.values;
        }
      }
      for (let i = 0; i < slots.length; i++) {
        const slot = slots[i] as Slot;
        const source = slot.source;
        let value: CellValue | typeof INVALID;
        let raw: string | null = null;
        switch (source.kind) {
          case 'cell':
            raw = cells[source.index] as string;
            value = slot.parse(raw, failure);
            break;
          case 'constant':
            value = source.value;
            break;
          case 'transform': {
            const results = (transforms[source.slot] as TransformSlot).results;
            if (results === null) {
              out[offset + i] = null;
              continue;
            }
            raw = results[source.output] ?? null;
            value = raw === null ? null : slot.parse(raw, failure);
            break;
          }
          case 'rowKey':
            value = `${source.prefix}${row - 1}`;
            break;
        }
        if (value === INVALID) {
          errors.add(row, columnOf(source), raw, `“${raw}”无法识别：${failure.message}`);
          rejected = true;
          out[offset + i] = null;
          continue;
        }
        if (value === null) {
          if (slot.field.required) {
            errors.add(row, columnOf(source), raw, `必填项“${slot.field.label}”为空`);
            rejected = true;
          }
        } else if (source.kind === 'cell' || source.kind === 'transform') {
          blank = false;
        }
        out[offset + i] = value;
      }
      if (blank && !rejected) return RowOutcome.Empty;
      if (rejected) return RowOutcome.Rejected;
      const ruleError = checkRow(out, offset);
      if (ruleError) {
        errors.add(row, ruleError.column, ruleError.value, ruleError.message);
        return RowOutcome.Rejected;
      }
      return RowOutcome.Ok;
    },
  };
}

interface RuleViolation {
  column: string | null;
  value: string | null;
  message: string;
}

/**
 * Checks that involve more than one cell or a reference date, per entity. They run after parsing, on the
 * typed values; `columns` locates each field in the row.
 */
function rowRules(entityKey: EntityKey, columns: readonly string[], today: string): (out: CellValue[], offset: number) => RuleViolation | null {
  const at = (key: string) => columns.indexOf(key);
  const checks: ((out: CellValue[], offset: number) => RuleViolation | null)[] = [];
  const notAfterToday = (key: string, label: string, message: string) => {
    const i = at(key);
    if (i < 0) return;
    checks.push((out, o) => {
      const v = out[o + i];
      return typeof v === 'string' && v > today ? { column: label, value: v, message } : null;
    });
  };
  const ordered = (fromKey: string, toKey: string, label: string, message: string) => {
    const a = at(fromKey);
    const b = at(toKey);
    if (a < 0 || b < 0) return;
    checks.push((out, o) => {
      const from = out[o + a];
      const to = out[o + b];
      return from !== null && to !== null && from !== undefined && to !== undefined && to < from ? { column: label, value: String(to), message } : null;
    });
  };
  const nonNegative = (key: string, label: string) => {
    const i = at(key);
    if (i < 0) return;
    checks.push((out, o) => {
      const v = out[o + i];
      return typeof v === 'number' && v < 0 ? { column: label, value: String(v), message: `${label}不能为负数` } : null;
    });
  };

  switch (entityKey) {
    case 'customers':
      notAfterToday('birth_date', '出生日期', '出生日期晚于今天（年龄为负），请检查');
      notAfterToday('open_date', '开户日期', '开户日期晚于今天，请检查');
      ordered('birth_date', 'open_date', '开户日期', '开户日期早于出生日期，请检查');
      break;
    case 'holdings':
      ordered('opened_at', 'closed_at', '结清日期', '结清日期早于开立日期');
      break;
    case 'products':
      ordered('min_age', 'max_age', '最高年龄', '最高年龄小于最低年龄');
      break;
    case 'balances':
      for (const [key, label] of [['aum', '月日均资产'], ['deposit', '存款余额'], ['wealth', '理财余额'], ['loan', '贷款余额']] as const) nonNegative(key, label);
      break;
    case 'transactions': {
      // Exports differ: some sign the amount, some give a direction. Where both columns are present, store a
      // positive amount and the direction; without a direction column the sign is the only record of it.
      const amount = at('amount');
      const direction = at('direction');
      if (direction < 0) break;
      checks.push((out, o) => {
        const v = out[o + amount];
        if (typeof v === 'number' && v < 0) {
          out[o + amount] = -v;
          if (out[o + direction] === null) out[o + direction] = 'out';
        }
        return null;
      });
      break;
    }
    default:
      break;
  }
  if (checks.length === 0) return () => null;
  return (out, offset) => {
    for (const check of checks) {
      const violation = check(out, offset);
      if (violation) return violation;
    }
    return null;
  };
}
