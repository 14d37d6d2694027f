import { assertFinite, createMatrix, type Matrix } from './matrix';

/**
 * Column-wise z-scoring, optionally after a signed log1p on money columns. Balances are heavily
 * right-skewed (a few customers hold most of the assets); without the log, k-means spends its clusters
 * on the tail. sign(x)·log1p(|x|) keeps zero at zero and handles overdrafts and net outflows.
 */
export interface Standardizer {
  readonly cols: number;
  /** 1 where the column is log-transformed before scaling. */
  readonly logColumns: Uint8Array;
  /** Mean of each column after the optional log. */
  readonly means: Float64Array;
  /** Population standard deviation after the optional log; 1 for constant columns so they map to 0. */
  readonly sds: Float64Array;
  /** 1 where the column was constant in the fitted data. */
  readonly constantColumns: Uint8Array;
}

export interface StandardizeOptions {
  /**
   * Columns to log-transform, as a flag per column or a list of column indices. Default none.
   * Money columns (AUM, balances, amounts) should be listed.
   */
  logColumns?: ReadonlyArray<boolean> | ReadonlyArray<number>;
}

export function signedLog1p(value: number): number {
  return value < 0 ? -Math.log1p(-value) : Math.log1p(value);
}

export function signedExpm1(value: number): number {
  return value < 0 ? -Math.expm1(-value) : Math.expm1(value);
}

/** Learns means and standard deviations (population, as scikit-learn's StandardScaler). */
export function fitStandardizer(data: Matrix, options: StandardizeOptions = {}): Standardizer {
  if (data.data.length !== data.rows * data.cols) {
    throw new Error(`维度不匹配：${data.rows} 行 × ${data.cols} 列需要 ${data.rows * data.cols} 个值，实际 ${data.data.length} 个`);
  }
  if (data.rows < 1) throw new Error('标准化至少需要一行数据');
  assertFinite(data);
  const { rows: n, cols: d, data: x } = data;
  const logColumns = resolveLogColumns(options.logColumns, d);

  const means = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const base = i * d;
    for (let f = 0; f < d; f++) means[f] = (means[f] as number) + transformed(x[base + f] as number, logColumns[f] === 1);
  }
  for (let f = 0; f < d; f++) means[f] = (means[f] as number) / n;

  // Two passes: the one-pass sum-of-squares formula cancels badly on large balances.
  const squares = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const base = i * d;
    for (let f = 0; f < d; f++) {
      const diff = transformed(x[base + f] as number, logColumns[f] === 1) - (means[f] as number);
      squares[f] = (squares[f] as number) + diff * diff;
    }
  }
  const sds = new Float64Array(d);
  const constantColumns = new Uint8Array(d);
  for (let f = 0; f < d; f++) {
    const sd = Math.sqrt((squares[f] as number) / n);
    // Relative threshold: a column equal up to rounding is constant, whatever its magnitude.
    const constant = !(sd > 1e-12 * Math.max(1, Math.abs(means[f] as number)));
    constantColumns[f] = constant ? 1 : 0;
    sds[f] = constant ? 1 : sd;
  }
  return { cols: d, logColumns, means, sds, constantColumns };
}

/** Applies a fitted standardizer to rows with the same columns. */
export function standardize(data: Matrix, scaler: Standardizer): Matrix {
  checkColumns(data, scaler);
  assertFinite(data);
  const { rows: n, cols: d, data: x } = data;
  const out = createMatrix(n, d);
  const z = out.data;
  for (let i = 0; i < n; i++) {
    const base = i * d;
    for (let f = 0; f < d; f++) {
      z[base + f] = (transformed(x[base + f] as number, scaler.logColumns[f] === 1) - (scaler.means[f] as number)) / (scaler.sds[f] as number);
    }
  }
  return out;
}

/** Fits and applies in one go. */
export function fitStandardize(data: Matrix, options: StandardizeOptions = {}): { scaler: Standardizer; standardized: Matrix } {
  const scaler = fitStandardizer(data, options);
  return { scaler, standardized: standardize(data, scaler) };
}

/**
 * Maps standardized rows (e.g. centroids) back to original units: undo the scaling, then the log.
 * For a money column the result is the back-transformed mean of logs, a typical value that the largest
 * balances do not dominate, rather than the arithmetic mean.
 */
export function unstandardize(data: Matrix, scaler: Standardizer): Matrix {
  checkColumns(data, scaler);
  const { rows: n, cols: d, data: z } = data;
  const out = createMatrix(n, d);
  const x = out.data;
  for (let i = 0; i < n; i++) {
    const base = i * d;
    for (let f = 0; f < d; f++) {
      const scaled = (z[base + f] as number) * (scaler.sds[f] as number) + (scaler.means[f] as number);
      x[base + f] = scaler.logColumns[f] === 1 ? signedExpm1(scaled) : scaled;
    }
  }
  return out;
}

/** Standardized value of one cell, for callers that work column by column. */
export function standardizeValue(value: number, column: number, scaler: Standardizer): number {
  return (transformed(value, scaler.logColumns[column] === 1) - (scaler.means[column] as number)) / (scaler.sds[column] as number);
}

function transformed(value: number, log: boolean): number {
  return log ? signedLog1p(value) : value;
}

function resolveLogColumns(spec: ReadonlyArray<boolean> | ReadonlyArray<number> | undefined, d: number): Uint8Array {
  const flags = new Uint8Array(d);
  if (spec === undefined || spec.length === 0) return flags;
  if (typeof spec[0] === 'boolean') {
    if (spec.length !== d) throw new Error(`维度不匹配：logColumns 有 ${spec.length} 个标记，数据有 ${d} 列`);
    for (let f = 0; f < d; f++) flags[f] = spec[f] ? 1 : 0;
    return flags;
  }
  for (const column of spec as ReadonlyArray<number>) {
    if (!Number.isInteger(column) || column < 0 || column >= d) {
      throw new Error(`logColumns 中的列号 ${String(column)} 超出范围（数据有 ${d} 列）`);
    }
    flags[column] = 1;
  }
  return flags;
}

function checkColumns(data: Matrix, scaler: Standardizer): void {
  if (data.cols !== scaler.cols) throw new Error(`维度不匹配：数据有 ${data.cols} 列，标准化器按 ${scaler.cols} 列拟合`);
  if (data.data.length !== data.rows * data.cols) {
    throw new Error(`维度不匹配：${data.rows} 行 × ${data.cols} 列需要 ${data.rows * data.cols} 个值，实际 ${data.data.length} 个`);
  }
}
