/**
 * Adjusted Rand index (Hubert & Arabie 1985) between two labelings of the same rows: 1 for identical
 * partitions (whatever the label numbers), about 0 for independent ones, negative for worse than chance.
 * Matches scikit-learn's adjusted_rand_score, including 1.0 when both put every row together or every
 * row apart.
 */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`两组标签长度不同：${a.length} 与 ${b.length}`);
  const n = a.length;
  if (n === 0) throw new Error('标签为空');
  const rowsOf = denseIds(a);
  const colsOf = denseIds(b);
  const rowCount = countDistinct(rowsOf);
  const colCount = countDistinct(colsOf);

  // Pair counts from the contingency table; contingency cells are kept sparse, since k·k' can be large.
  const cells = new Map<number, number>();
  const rowTotals = new Float64Array(rowCount);
  const colTotals = new Float64Array(colCount);
  for (let i = 0; i < n; i++) {
    const r = rowsOf[i] as number;
    const c = colsOf[i] as number;
    const key = r * colCount + c;
    cells.set(key, (cells.get(key) ?? 0) + 1);
    rowTotals[r] = (rowTotals[r] as number) + 1;
    colTotals[c] = (colTotals[c] as number) + 1;
  }
  let sumCells = 0;
  for (const count of cells.values()) sumCells += pairs(count);
  let sumRows = 0;
  for (const count of rowTotals) sumRows += pairs(count);
  let sumCols = 0;
  for (const count of colTotals) sumCols += pairs(count);

  const total = pairs(n);
  const expected = total === 0 ? 0 : (sumRows * sumCols) / total;
  const maximum = 0.5 * (sumRows + sumCols);
  // Both trivial (one cluster each, or singletons each): the partitions agree perfectly.
  if (maximum === expected) return 1;
  return (sumCells - expected) / (maximum - expected);
}

function pairs(count: number): number {
  return (count * (count - 1)) / 2;
}

function denseIds(labels: ArrayLike<number>): Int32Array {
  const ids = new Map<number, number>();
  const out = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const raw = labels[i] as number;
    let id = ids.get(raw);
    if (id === undefined) {
      id = ids.size;
      ids.set(raw, id);
    }
    out[i] = id;
  }
  return out;
}

function countDistinct(dense: Int32Array): number {
  let max = -1;
  for (const v of dense) if (v > max) max = v;
  return max + 1;
}
