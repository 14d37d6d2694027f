import { createColumnMatrix, type ColumnMatrix } from './matrix';

/**
 * Turns a text table (header + rows of cells, as any CSV reader gives them) into the forest's numeric
 * matrix and target. Each column is numeric when every non-missing cell is a plain number, otherwise
 * categorical. Categorical columns become one ordinal code per level (levels sorted, so the codes do not
 * depend on row order) or one 0/1 column per level. Missing cells become NaN, which the forest handles.
 */
export type CategoricalEncoding = 'ordinal' | 'onehot';

export interface EncodeTableOptions {
  /** Name of the target column. */
  target: string;
  /** Columns to leave out, e.g. ones known only after the outcome (`duration` in the UCI bank data). */
  exclude?: readonly string[];
  /** Default 'ordinal'. */
  categorical?: CategoricalEncoding;
  /** For a two-level text target: the level that counts as positive (1). Default: a yes-like level. */
  positiveLabel?: string;
}

export interface EncodedColumn {
  readonly name: string;
  readonly kind: 'numeric' | 'categorical';
  /** Sorted levels of a categorical column; empty for numeric ones. */
  readonly levels: string[];
}

export interface TableEncoding {
  readonly target: string;
  /**
   * binary: y is 0/1 (positive = positiveLabel); multiclass: y is the index into targetLevels;
   * numeric: y is the value itself.
   */
  readonly targetKind: 'binary' | 'multiclass' | 'numeric';
  /** binary: [negative, positive]; multiclass: sorted levels; numeric: empty. */
  readonly targetLevels: string[];
  readonly categorical: CategoricalEncoding;
  /** The input columns used as features, in header order. */
  readonly columns: EncodedColumn[];
  readonly featureNames: string[];
}

export interface EncodedTable {
  readonly X: ColumnMatrix;
  readonly y: Float64Array;
  readonly featureNames: string[];
  readonly encoding: TableEncoding;
}

const MISSING_TOKENS = new Set(['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL']);
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const POSITIVE_WORDS = ['yes', 'y', 'true', '1', 'positive', 'churn', 'churned', '是'];

function isMissing(cell: string): boolean {
  return MISSING_TOKENS.has(cell);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function checkShape(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw new Error(`Column "${name}" appears twice in the header.`);
    seen.add(name);
  }
  rows.forEach((row, r) => {
    if (row.length !== header.length) throw new Error(`Row ${r + 1} has ${row.length} cells, the header has ${header.length}.`);
  });
}

function describeColumn(name: string, index: number, rows: readonly (readonly string[])[]): EncodedColumn {
  let numeric = true;
  const levels = new Set<string>();
  for (const row of rows) {
    const cell = row[index].trim();
    if (isMissing(cell)) continue;
    levels.add(cell);
    if (numeric && !NUMBER.test(cell)) numeric = false;
  }
  return numeric ? { name, kind: 'numeric', levels: [] } : { name, kind: 'categorical', levels: [...levels].sort(compareText) };
}

function featureNamesOf(columns: readonly EncodedColumn[], categorical: CategoricalEncoding): string[] {
  const names: string[] = [];
  for (const column of columns) {
    if (column.kind === 'categorical' && categorical === 'onehot') for (const level of column.levels) names.push(`${column.name}=${level}`);
    else names.push(column.name);
  }
  return names;
}

/** Encodes a table whose columns are described by the encoding; unseen levels become missing. */
function encodeFeatures(encoding: TableEncoding, header: readonly string[], rows: readonly (readonly string[])[]): ColumnMatrix {
  const n = rows.length;
  const matrix = createColumnMatrix(n, encoding.featureNames.length);
  const { data } = matrix;
  let out = 0;
  for (const column of encoding.columns) {
    const source = header.indexOf(column.name);
    if (source < 0) throw new Error(`Column "${column.name}" is missing from the table.`);
    if (column.kind === 'numeric') {
      const base = out * n;
      for (let r = 0; r < n; r++) {
        const cell = rows[r][source].trim();
        data[base + r] = isMissing(cell) || !NUMBER.test(cell) ? Number.NaN : Number(cell);
      }
      out++;
      continue;
    }
    const code = new Map<string, number>();
    column.levels.forEach((level, i) => code.set(level, i));
    if (encoding.categorical === 'ordinal') {
      const base = out * n;
      for (let r = 0; r < n; r++) data[base + r] = code.get(rows[r][source].trim()) ?? Number.NaN;
      out++;
    } else {
      const width = column.levels.length;
      for (let r = 0; r < n; r++) {
        const level = code.get(rows[r][source].trim());
        for (let l = 0; l < width; l++) data[(out + l) * n + r] = level === undefined ? Number.NaN : level === l ? 1 : 0;
      }
      out += width;
    }
  }
  return matrix;
}

function encodeTarget(
  name: string,
  index: number,
  rows: readonly (readonly string[])[],
  positiveLabel: string | undefined,
): { y: Float64Array; kind: TableEncoding['targetKind']; levels: string[] } {
  const cells = rows.map((row, r) => {
    const cell = row[index].trim();
    if (isMissing(cell)) throw new Error(`The target "${name}" is missing in row ${r + 1}; drop or fill such rows first.`);
    return cell;
  });
  const distinct = [...new Set(cells)];
  const numeric = cells.every((cell) => NUMBER.test(cell));
  if (distinct.length < 2) throw new Error(`The target "${name}" has a single value (${distinct[0] ?? 'none'}); nothing to learn.`);

  if (distinct.length === 2) {
    const sorted = numeric ? distinct.sort((a, b) => Number(a) - Number(b)) : distinct.sort(compareText);
    let positive: string;
    if (positiveLabel !== undefined) {
      if (!sorted.includes(positiveLabel)) throw new Error(`positiveLabel "${positiveLabel}" is not a value of "${name}" (${sorted.join(', ')}).`);
      positive = positiveLabel;
    } else {
      positive = sorted.find((level) => POSITIVE_WORDS.includes(level.toLowerCase())) ?? sorted[1];
    }
    const negative = sorted[0] === positive ? sorted[1] : sorted[0];
    return { y: Float64Array.from(cells, (cell) => (cell === positive ? 1 : 0)), kind: 'binary', levels: [negative, positive] };
  }
  if (numeric) return { y: Float64Array.from(cells, Number), kind: 'numeric', levels: [] };
  const levels = distinct.sort(compareText);
  const code = new Map(levels.map((level, i) => [level, i] as const));
  return { y: Float64Array.from(cells, (cell) => code.get(cell) as number), kind: 'multiclass', levels };
}

export function encodeTable(header: readonly string[], rows: readonly (readonly string[])[], options: EncodeTableOptions): EncodedTable {
  checkShape(header, rows);
  if (rows.length === 0) throw new Error('The table has no rows.');
  const categorical = options.categorical ?? 'ordinal';
  if (categorical !== 'ordinal' && categorical !== 'onehot') throw new Error(`categorical must be 'ordinal' or 'onehot', got ${String(categorical)}.`);
  const targetIndex = header.indexOf(options.target);
  if (targetIndex < 0) throw new Error(`The target column "${options.target}" is not in the header (${header.join(', ')}).`);
  const exclude = new Set(options.exclude ?? []);
  for (const name of exclude) if (!header.includes(name)) throw new Error(`Cannot exclude "${name}": no such column.`);
  if (exclude.has(options.target)) throw new Error(`The target "${options.target}" cannot also be excluded.`);

  const columns: EncodedColumn[] = [];
  header.forEach((name, index) => {
    if (index !== targetIndex && !exclude.has(name)) columns.push(describeColumn(name, index, rows));
  });
  if (columns.length === 0) throw new Error('No feature columns are left once the target and excluded columns are removed.');

  const target = encodeTarget(options.target, targetIndex, rows, options.positiveLabel);
  const encoding: TableEncoding = {
    target: options.target,
    targetKind: target.kind,
    targetLevels: target.levels,
    categorical,
    columns,
    featureNames: featureNamesOf(columns, categorical),
  };
  return { X: encodeFeatures(encoding, header, rows), y: target.y, featureNames: encoding.featureNames, encoding };
}

/** Encodes new rows (e.g. customers to score) exactly as the training table was; the target is not needed. */
export function applyEncoding(encoding: TableEncoding, header: readonly string[], rows: readonly (readonly string[])[]): ColumnMatrix {
  checkShape(header, rows);
  return encodeFeatures(encoding, header, rows);
}

/**
 * The target of new rows with a known outcome (a test file), coded as the training table's: for a binary
 * target 1 for the positive level and 0 for the negative one. A value the training never saw is an error.
 */
export function applyTargetEncoding(encoding: TableEncoding, header: readonly string[], rows: readonly (readonly string[])[]): Float64Array {
  checkShape(header, rows);
  const index = header.indexOf(encoding.target);
  if (index < 0) throw new Error(`The target column "${encoding.target}" is not in the header (${header.join(', ')}).`);
  const levels = encoding.targetKind === 'numeric' ? null : new Map(encoding.targetLevels.map((level, i) => [level, i] as const));
  return Float64Array.from(rows, (row, r) => {
    const cell = row[index].trim();
    if (isMissing(cell)) throw new Error(`The target "${encoding.target}" is missing in row ${r + 1}; drop or fill such rows first.`);
    if (!levels) {
      if (!NUMBER.test(cell)) throw new Error(`The target "${encoding.target}" is not a number in row ${r + 1}: ${cell}.`);
      return Number(cell);
    }
    const code = levels.get(cell);
    if (code === undefined) throw new Error(`Row ${r + 1} has the target value "${cell}", which the training table does not have (${encoding.targetLevels.join(', ')}).`);
    return code;
  });
}
