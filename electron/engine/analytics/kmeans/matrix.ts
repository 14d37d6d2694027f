/**
 * A dense row-major matrix of doubles. K-means, silhouette and profiling all walk rows, so keeping each
 * row contiguous in one Float64Array avoids per-row objects and keeps the hot loops cache friendly.
 */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  /** rows × cols values, row i at [i·cols, (i+1)·cols). */
  readonly data: Float64Array;
}

export function createMatrix(rows: number, cols: number, data?: Float64Array): Matrix {
  if (!Number.isInteger(rows) || rows < 0) throw new Error(`矩阵行数必须是非负整数，收到 ${rows}`);
  if (!Number.isInteger(cols) || cols < 1) throw new Error(`矩阵列数必须是正整数，收到 ${cols}`);
  const values = data ?? new Float64Array(rows * cols);
  if (values.length !== rows * cols) {
    throw new Error(`矩阵维度不匹配：${rows} 行 × ${cols} 列需要 ${rows * cols} 个值，实际 ${values.length} 个`);
  }
  return { rows, cols, data: values };
}

/** Builds a matrix from row arrays; every row must have the same length. */
export function matrixFromRows(rows: ReadonlyArray<ArrayLike<number>>): Matrix {
  if (rows.length === 0) throw new Error('矩阵至少需要一行数据');
  const cols = (rows[0] as ArrayLike<number>).length;
  const out = createMatrix(rows.length, cols);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as ArrayLike<number>;
    if (row.length !== cols) throw new Error(`维度不匹配：第 ${i} 行有 ${row.length} 列，应为 ${cols} 列`);
    for (let j = 0; j < cols; j++) out.data[i * cols + j] = row[j] as number;
  }
  return out;
}

/** A view (no copy) of row i. */
export function rowView(matrix: Matrix, i: number): Float64Array {
  return matrix.data.subarray(i * matrix.cols, (i + 1) * matrix.cols);
}

/** Row arrays, for display and JSON. */
export function matrixToRows(matrix: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < matrix.rows; i++) out.push(Array.from(rowView(matrix, i)));
  return out;
}

/** Copies the given rows into a new matrix, in the given order. */
export function selectRows(matrix: Matrix, indices: ArrayLike<number>): Matrix {
  const { cols } = matrix;
  const out = createMatrix(indices.length, cols);
  for (let r = 0; r < indices.length; r++) {
    const from = (indices[r] as number) * cols;
    out.data.set(matrix.data.subarray(from, from + cols), r * cols);
  }
  return out;
}

/** Throws on NaN or ±Infinity, naming the first offending cell, because one bad value silently poisons every centroid. */
export function assertFinite(matrix: Matrix, what = '数据'): void {
  const { data, cols } = matrix;
  for (let p = 0; p < data.length; p++) {
    const v = data[p] as number;
    if (v - v !== 0) {
      const kind = Number.isNaN(v) ? 'NaN' : String(v);
      throw new Error(`${what}包含 ${kind}（第 ${Math.floor(p / cols)} 行，第 ${p % cols} 列）；请先处理缺失值`);
    }
  }
}
