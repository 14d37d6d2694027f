/**
 * A dense numeric matrix stored column by column: `data[column * rows + row]`.
 *
 * Column-major order is what the forest wants: binning walks one feature at a time, and scoring reads a
 * handful of columns per tree. Missing values are NaN.
 */
export interface ColumnMatrix {
  readonly rows: number;
  readonly columns: number;
  readonly data: Float64Array;
}

/** Either form the forest accepts: rows of numbers (like ml-random-forest) or a column-major matrix. */
export type MatrixInput = ColumnMatrix | readonly (readonly number[])[];

export function createColumnMatrix(rows: number, columns: number, data?: Float64Array): ColumnMatrix {
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(columns) || columns < 0) {
    throw new Error(`A matrix needs non-negative integer dimensions, got ${rows} x ${columns}.`);
  }
  const values = data ?? new Float64Array(rows * columns);
  if (values.length !== rows * columns) {
    throw new Error(`A ${rows} x ${columns} matrix needs ${rows * columns} values, got ${values.length}.`);
  }
  return { rows, columns, data: values };
}

export function isColumnMatrix(input: unknown): input is ColumnMatrix {
  if (typeof input !== 'object' || input === null) return false;
  const candidate = input as Partial<ColumnMatrix>;
  return typeof candidate.rows === 'number' && typeof candidate.columns === 'number' && candidate.data instanceof Float64Array;
}

/**
 * Turns either accepted form into a column-major matrix, checking that every row has the same length and
 * every cell is a number (NaN marks a missing value). A ColumnMatrix is returned as is, not copied.
 */
export function toColumnMatrix(input: MatrixInput, what = 'X'): ColumnMatrix {
  if (isColumnMatrix(input)) {
    if (input.data.length !== input.rows * input.columns) {
      throw new Error(`${what}: a ${input.rows} x ${input.columns} matrix needs ${input.rows * input.columns} values, got ${input.data.length}.`);
    }
    return input;
  }
  if (!Array.isArray(input)) {
    throw new Error(`${what} must be an array of rows (number[][]) or a ColumnMatrix.`);
  }
  const rows = input.length;
  if (rows === 0) return createColumnMatrix(0, 0);
  const first = input[0];
  if (!Array.isArray(first)) throw new Error(`${what}[0] is not an array of numbers.`);
  const columns = first.length;
  const data = new Float64Array(rows * columns);
  for (let r = 0; r < rows; r++) {
    const row = input[r];
    if (!Array.isArray(row) || row.length !== columns) {
      throw new Error(`${what}: row ${r} has ${Array.isArray(row) ? row.length : 'no'} values, expected ${columns} like row 0.`);
    }
    for (let c = 0; c < columns; c++) {
      const value = row[c];
      if (typeof value !== 'number') {
        throw new Error(`${what}: row ${r}, column ${c} is ${typeof value}, expected a number (use NaN for missing).`);
      }
      data[c * rows + r] = value;
    }
  }
  return { rows, columns, data };
}

/** A new matrix holding the given rows, in the given order. */
export function takeRows(matrix: ColumnMatrix, rowIndices: ArrayLike<number>): ColumnMatrix {
  const rows = rowIndices.length;
  const out = new Float64Array(rows * matrix.columns);
  for (let c = 0; c < matrix.columns; c++) {
    const source = c * matrix.rows;
    const target = c * rows;
    for (let i = 0; i < rows; i++) out[target + i] = matrix.data[source + rowIndices[i]];
  }
  return { rows, columns: matrix.columns, data: out };
}

/** One column as a view (no copy). */
export function columnView(matrix: ColumnMatrix, column: number): Float64Array {
  return matrix.data.subarray(column * matrix.rows, (column + 1) * matrix.rows);
}

/** One row, copied out. */
export function rowValues(matrix: ColumnMatrix, row: number): number[] {
  const values = new Array<number>(matrix.columns);
  for (let c = 0; c < matrix.columns; c++) values[c] = matrix.data[c * matrix.rows + row];
  return values;
}
