/**
 * Compiles a mapping into the per-row work of an import: pick each field's cell, parse it, check the row's
 * rules, and write the typed values into a flat buffer the writer binds from. Built once per import; the
 * per-row path does no lookups by name and allocates nothing for valid rows.
 */
import type { ColumnMapping, RowError } from '../../../shared/api';
import { entity as entityDef, type EntityKey, type FieldDef } from '../../../shared/dictionary';
import type { PlausibleBound } from '../../../shared/import';
import { CodeCounter, codingAmbiguity, isCodedField, profileColumn, type CodedColumnProfile } from '../../../shared/value-maps';
import { INVALID, parserFor, type CellParser, type CellValue, type ParseFailure } from '../../../shared/values';
import { EngineError } from '../errors';
import { clipValue, quoteValue } from './echo';
import { compileTransform, transformOutputs, type TransformEnv, type TransformFn } from './transforms';

export const enum RowOutcome {
  Ok = 0,
  Rejected = 1,
  Empty = 2,
}

/**
 * Collects row errors: counts all of them, keeps the first `cap` for the report. Every text is clipped on
 * the way in (a rejected cell may hold megabytes), so a hostile file cannot inflate import_errors.
 */
export class RowErrorSink {
  readonly kept: RowError[] = [];
  count = 0;
  constructor(private readonly cap = 10_000) {}

  add(row: number, column: string | null, value: string | null, message: string): void {
    this.count++;
    if (this.kept.length < this.cap) {
      this.kept.push({ row, column: column === null ? null : clipValue(column, 100), value: value === null ? null : clipValue(value), message: clipValue(message, 500) });
    }
  }
}

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

/** Checks beyond each field's type, from settings. */
export interface CoercerChecks {
  /** Plausible ranges per `entity.field`. */
  bounds?: Readonly<Record<string, PlausibleBound>>;
  /** 'YYYY-MM-DD': dates (and months) after it are refused; today plus the tolerance. */
  latestDate?: string;
  /**
   * Which coded columns to count codes of: 'ambiguous' only those a convention could misread (enough to
   * refuse an ambiguous coding), 'all' every one (the wizard's validation step shows them).
   */
  profile?: 'ambiguous' | 'all';
}

export interface CodingProblem {
  column: string;
  field: string;
  message: string;
}

export interface RowCoercer {
  /** Table columns, in the order values are written. */
  readonly columns: readonly string[];
  /** Coded columns as counted so far (see CoercerChecks.profile). */
  profiles(): CodedColumnProfile[];
  /** Codings that cannot be read without a value map, with the counts of the codes concerned. */
  ambiguities(): CodingProblem[];
  /**
   * Coerces one record into `out` starting at `offset`. Returns Ok, Rejected (reasons added to `errors`)
   * or Empty for a record whose every cell is blank, which imports skip.
   */
  coerce(cells: readonly string[], row: number, out: CellValue[], offset: number, errors: RowErrorSink): RowOutcome;
}

export function compileCoercer(entityKey: EntityKey, headers: readonly string[], mapping: ColumnMapping, env: TransformEnv, checks: CoercerChecks = {}): RowCoercer {
  const def = entityDef(entityKey);
  const headerIndex = new Map<string, number>();
  headers.forEach((h, i) => {
    if (!headerIndex.has(h)) headerIndex.set(h, i);
  });

  const transforms: TransformSlot[] = (mapping.transforms ?? []).map((spec) => ({
    index: headerIndex.get(spec.column) ?? -1,
    header: spec.column,
    run: compileTransform(spec, env, (header) => headerIndex.get(header) ?? -1),
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
  const counters: { header: string; index: number; field: FieldDef; counter: CodeCounter }[] = [];
  for (const field of def.fields) {
    const valueMap = mapping.values?.[field.key];
    const parse = parserFor(field, { scale: mapping.scales?.[field.key] ?? 1, valueMap, plausible: checks.bounds?.[`${entityKey}.${field.key}`] });
    const header = fieldToHeader.get(field.key);
    if (header !== undefined) {
      const index = headerIndex.get(header) as number;
      slots.push({ field, parse, source: { kind: 'cell', index, header } });
      const watch = checks.profile === 'all' ? isCodedField(field) : codingAmbiguity(field, ['0', '1'], valueMap) !== null;
      if (watch) counters.push({ header, index, field, counter: new CodeCounter() });
    } else if (mapping.constants && field.key in mapping.constants) {
      const failure: ParseFailure = { message: '' };
      const value = parse(String(mapping.constants[field.key]), failure);
      if (value === INVALID) throw new EngineError('bad_input', `字段“${field.label}”的固定值“${quoteValue(String(mapping.constants[field.key]))}”无效：${failure.message}`);
      slots.push({ field, parse, source: { kind: 'constant', value } });
    } else if (transformTargets.has(field.key)) {
      const t = transformTargets.get(field.key)!;
      slots.push({ field, parse, source: { kind: 'transform', ...t } });
    } else if (mapping.rowKey?.field === field.key) {
      slots.push({ field, parse, source: { kind: 'rowKey', prefix: mapping.rowKey.prefix } });
    }
  }

  const columns = slots.map((s) => s.field.key);
  const checkRow = rowRules(entityKey, columns, checks.latestDate ?? env.today);
  const failure: ParseFailure = { message: '' };
  const width = headers.length;
  const columnOf = (source: Source): string | null => (source.kind === 'cell' || source.kind === 'transform' ? source.header : null);

  return {
    columns,
    profiles: () => counters.map((c) => profileColumn(c.header, c.field, c.counter, mapping.values?.[c.field.key])),
    ambiguities: () =>
      counters.flatMap((c) => {
        const message = codingAmbiguity(c.field, c.counter.counts.keys(), mapping.values?.[c.field.key]);
        if (!message) return [];
        const counts = [...c.counter.counts.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([code, n]) => `“${quoteValue(code)}” ${n.toLocaleString('zh-CN')} 行`);
        return [{ column: c.header, field: c.field.key, message: `“${c.header}”列（${counts.join('，')}）：${message}` }];
      }),
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
        const result = t.run(raw, cells);
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
          errors.add(row, columnOf(source), raw, `“${quoteValue(raw ?? '')}”无法识别：${failure.message}`);
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
      for (const c of counters) c.counter.add(cells[c.index] as string);
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

/** Dates that may lie ahead: a holding's 结清日期 is also its maturity (到期日期) for time deposits and loans. */
const FUTURE_ALLOWED = new Set(['holdings.closed_at']);

/**
 * Checks that involve more than one cell or a reference date, per entity. They run after parsing, on the
 * typed values; `columns` locates each field in the row. `latest` is the last acceptable date: the import
 * day plus the tolerance of settings.
 */
function rowRules(entityKey: EntityKey, columns: readonly string[], latest: string): (out: CellValue[], offset: number) => RuleViolation | null {
  const def = entityDef(entityKey);
  const at = (key: string) => columns.indexOf(key);
  const checks: ((out: CellValue[], offset: number) => RuleViolation | null)[] = [];
  const latestMonth = latest.slice(0, 7);
  for (const field of def.fields) {
    if ((field.type !== 'date' && field.type !== 'month') || FUTURE_ALLOWED.has(`${entityKey}.${field.key}`)) continue;
    const i = at(field.key);
    if (i < 0) continue;
    const limit = field.type === 'date' ? latest : latestMonth;
    const message = (v: string) =>
      `${field.label}“${v}”晚于${field.type === 'date' ? `导入当天（${latest}）` : `本月（${latestMonth}）`}，未来的日期不能导入，请检查是否录入有误；如确需导入，可在“设置 › 导入”中放宽天数`;
    checks.push((out, o) => {
      const v = out[o + i];
      return typeof v === 'string' && v > limit ? { column: field.label, value: v, message: message(v) } : null;
    });
  }
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
