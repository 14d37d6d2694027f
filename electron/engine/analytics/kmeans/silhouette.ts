import { Random } from '../../../../shared/random';
import { assertFinite, selectRows, type Matrix } from './matrix';
import { sampleIndices } from './sampling';

export interface SilhouetteOptions {
  /** Rows drawn (seeded, without replacement) when the data has more. Default 20,000. */
  sampleSize?: number;
  /** Seed of the sampling. Default 0. */
  seed?: number | string;
}

export const SILHOUETTE_DEFAULTS = { sampleSize: 20_000, seed: 0 } as const satisfies Required<SilhouetteOptions>;

/**
 * Mean silhouette coefficient (Rousseeuw 1987) with Euclidean distances, as scikit-learn's
 * silhouette_score: for each row, a = mean distance to the rest of its cluster, b = lowest mean distance
 * to another cluster, s = (b − a) / max(a, b), and 0 for rows alone in their cluster. Above `sampleSize`
 * rows it is computed exactly on a seeded random sample, because the cost is O(s²·d).
 */
export function silhouetteScore(data: Matrix, labels: ArrayLike<number>, options: SilhouetteOptions = {}): number {
  const sampleSize = options.sampleSize ?? SILHOUETTE_DEFAULTS.sampleSize;
  const seed = options.seed ?? SILHOUETTE_DEFAULTS.seed;
  checkInputs(data, [labels]);
  if (!Number.isInteger(sampleSize) || sampleSize < 2) throw new Error(`sampleSize 必须是不小于 2 的整数，收到 ${sampleSize}`);
  if (data.rows <= sampleSize) return silhouetteScores(data, [labels])[0] as number;
  const rows = sampleIndices(data.rows, sampleSize, new Random(seed));
  const sampledLabels = new Int32Array(rows.length);
  for (let r = 0; r < rows.length; r++) sampledLabels[r] = labels[rows[r] as number] as number;
  return silhouetteScores(selectRows(data, rows), [sampledLabels])[0] as number;
}

/** Silhouette of every row (exact, all rows, O(n²·d)). */
export function silhouetteSamples(data: Matrix, labels: ArrayLike<number>): Float64Array {
  checkInputs(data, [labels]);
  const values = new Float64Array(data.rows);
  computeSilhouettes(data, [labels], [values]);
  return values;
}

/**
 * Mean silhouette of several labelings of the same rows (exact, all rows). Distances do not depend on the
 * labels, so each pair's distance is computed once and shared by all labelings: scoring k = 2 … 10
 * costs far less than nine separate calls.
 */
export function silhouetteScores(data: Matrix, labelings: ReadonlyArray<ArrayLike<number>>): number[] {
  checkInputs(data, labelings);
  const totals = computeSilhouettes(data, labelings, null);
  return totals.map((total) => total / data.rows);
}

/** Tile edge: a 128 × 128 tile of doubles (128 KB) stays in L2 while it is summed both ways. */
const TILE = 128;

/**
 * Sums of distances from every row to every cluster, for all labelings at once, then the silhouettes.
 *
 * Rows are first sorted by their tuple of labels across all labelings (fewest clusters first). Rows with
 * the same tuple (a "joint group") are then contiguous, and so is every cluster of the first labelings.
 * Within a tile of the distance matrix, running sums are kept at the boundaries of joint groups; the sum
 * over any stretch of rows sharing a label in some labeling is then one subtraction of two running sums
 * per column. Scoring k = 2 … 10 therefore costs little more than scoring one k when the labelings agree
 * (clustered data), and stays bounded when they do not (noise). Only the upper triangle of tiles is
 * computed; each tile serves both the rows and the columns it covers.
 */
function computeSilhouettes(
  data: Matrix,
  labelings: ReadonlyArray<ArrayLike<number>>,
  perRow: ReadonlyArray<Float64Array> | null,
): number[] {
  const { rows: n, cols: d } = data;
  const dense = labelings.map((labels) => densify(labels, n));
  const order = jointOrder(dense, n);
  const stride = Math.ceil(d / 8) * 8;
  const sorted = sortedPaddedRows(data, order, stride);
  const sortedLabels = dense.map(({ labels }) => Int32Array.from(order, (row) => labels[row] as number));
  const tiles = Math.ceil(n / TILE);
  const groupRuns = jointRuns(sortedLabels, n, tiles);
  const labelRuns = sortedLabels.map((labels) => labelRunsOverGroups(labels, groupRuns, tiles));
  const sums = dense.map(({ k }) => new Float64Array(n * k));

  const tile = new Float64Array(TILE * TILE);
  // running[q·TILE + c]: sum over the tile's first q joint groups of rows, in column c.
  const running = new Float64Array((TILE + 1) * TILE);
  const rowRunning = new Float64Array(TILE + 1);
  for (let ti = 0; ti < tiles; ti++) {
    const iFrom = ti * TILE;
    const iCount = Math.min(TILE, n - iFrom);
    const iGroupsFrom = groupRuns.offsets[ti] as number;
    const iGroups = (groupRuns.offsets[ti + 1] as number) - iGroupsFrom;
    for (let tj = ti; tj < tiles; tj++) {
      const jFrom = tj * TILE;
      const jCount = Math.min(TILE, n - jFrom);
      distanceTile(sorted, stride, iFrom, iCount, jFrom, jCount, tile);

      // Columns (rows of tile j): distances to tile i's rows, summed per cluster of tile i.
      running.fill(0, 0, jCount);
      for (let q = 0, from = 0; q < iGroups; q++) {
        const to = (groupRuns.ends[iGroupsFrom + q] as number) - iFrom;
        accumulateRows(tile, jCount, from, to, running, q * TILE, (q + 1) * TILE);
        from = to;
      }
      for (let l = 0; l < labelRuns.length; l++) {
        const runs = labelRuns[l] as LabelRuns;
        const k = (dense[l] as DenseLabeling).k;
        const target = sums[l] as Float64Array;
        for (let run = runs.offsets[ti] as number, end = runs.offsets[ti + 1] as number; run < end; run += 3) {
          const upTo = (runs.list[run + 2] as number) * TILE;
          const before = (runs.list[run + 1] as number) * TILE;
          for (let c = 0, at = jFrom * k + (runs.list[run] as number); c < jCount; c++, at += k) {
            target[at] = (target[at] as number) + ((running[upTo + c] as number) - (running[before + c] as number));
          }
        }
      }
      if (ti === tj) continue; // a diagonal tile is symmetric: the columns already covered its rows

      // Rows of tile i: distances to tile j's rows, summed per cluster of tile j.
      const jGroupsFrom = groupRuns.offsets[tj] as number;
      const jGroups = (groupRuns.offsets[tj + 1] as number) - jGroupsFrom;
      for (let r = 0; r < iCount; r++) {
        rowRunningSums(tile, r * jCount, jFrom, groupRuns.ends, jGroupsFrom, jGroups, rowRunning);
        const row = iFrom + r;
        for (let l = 0; l < labelRuns.length; l++) {
          const runs = labelRuns[l] as LabelRuns;
          const k = (dense[l] as DenseLabeling).k;
          const target = sums[l] as Float64Array;
          for (let run = runs.offsets[tj] as number, end = runs.offsets[tj + 1] as number; run < end; run += 3) {
            const at = row * k + (runs.list[run] as number);
            target[at] = (target[at] as number) + ((rowRunning[runs.list[run + 2] as number] as number) - (rowRunning[runs.list[run + 1] as number] as number));
          }
        }
      }
    }
  }

  return dense.map(({ k, sizes }, l) => {
    const out = perRow === null ? null : (perRow[l] as Float64Array);
    const rowSums = sums[l] as Float64Array;
    const labels = sortedLabels[l] as Int32Array;
    let total = 0;
    for (let p = 0; p < n; p++) {
      const own = labels[p] as number;
      const ownSize = sizes[own] as number;
      let value = 0;
      if (ownSize > 1) {
        const a = (rowSums[p * k + own] as number) / (ownSize - 1);
        let b = Infinity;
        for (let c = 0; c < k; c++) {
          if (c === own) continue;
          const mean = (rowSums[p * k + c] as number) / (sizes[c] as number);
          if (mean < b) b = mean;
        }
        const scale = a > b ? a : b;
        value = scale > 0 ? (b - a) / scale : 0;
      }
      if (out !== null) out[order[p] as number] = value;
      total += value;
    }
    return total;
  });
}

/** Euclidean distances between rows [iFrom, iFrom+iCount) and [jFrom, jFrom+jCount) into out (iCount × jCount). */
function distanceTile(
  x: Float64Array,
  stride: number,
  iFrom: number,
  iCount: number,
  jFrom: number,
  jCount: number,
  out: Float64Array,
): void {
  // Rows are zero-padded to a multiple of 8 so one row's 8 values sit in registers for a whole sweep.
  const chunks = stride >> 3;
  for (let r = 0; r < iCount; r++) {
    const at = r * jCount;
    const rowBase = (iFrom + r) * stride;
    for (let chunk = 0; chunk < chunks; chunk++) {
      const f = chunk * 8;
      const x0 = x[rowBase + f] as number;
      const x1 = x[rowBase + f + 1] as number;
      const x2 = x[rowBase + f + 2] as number;
      const x3 = x[rowBase + f + 3] as number;
      const x4 = x[rowBase + f + 4] as number;
      const x5 = x[rowBase + f + 5] as number;
      const x6 = x[rowBase + f + 6] as number;
      const x7 = x[rowBase + f + 7] as number;
      const first = chunk === 0;
      const last = chunk === chunks - 1;
      for (let c = 0, other = jFrom * stride + f; c < jCount; c++, other += stride) {
        const d0 = x0 - (x[other] as number);
        const d1 = x1 - (x[other + 1] as number);
        const d2 = x2 - (x[other + 2] as number);
        const d3 = x3 - (x[other + 3] as number);
        const d4 = x4 - (x[other + 4] as number);
        const d5 = x5 - (x[other + 5] as number);
        const d6 = x6 - (x[other + 6] as number);
        const d7 = x7 - (x[other + 7] as number);
        let squared = d0 * d0 + d1 * d1 + (d2 * d2 + d3 * d3) + (d4 * d4 + d5 * d5 + (d6 * d6 + d7 * d7));
        if (!first) squared += out[at + c] as number;
        out[at + c] = last ? Math.sqrt(squared) : squared;
      }
    }
  }
}

/** rowRunning[q + 1] = sum of the row's distances to the first q + 1 joint runs of the column tile. */
function rowRunningSums(
  tile: Float64Array,
  rowBase: number,
  columnFrom: number,
  ends: Int32Array,
  endsFrom: number,
  runs: number,
  rowRunning: Float64Array,
): void {
  // Four partial sums break the add-latency chain; they are combined only at run boundaries.
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let p = rowBase;
  rowRunning[0] = 0;
  for (let q = 0; q < runs; q++) {
    const to = rowBase + (ends[endsFrom + q] as number) - columnFrom;
    for (; p + 3 < to; p += 4) {
      s0 += tile[p] as number;
      s1 += tile[p + 1] as number;
      s2 += tile[p + 2] as number;
      s3 += tile[p + 3] as number;
    }
    for (; p < to; p++) s0 += tile[p] as number;
    rowRunning[q + 1] = s0 + s1 + (s2 + s3);
  }
}

/** running[next + c] = running[previous + c] + Σ matrix[r·width + c] over rows r in [from, to), from < to. */
function accumulateRows(
  matrix: Float64Array,
  width: number,
  from: number,
  to: number,
  running: Float64Array,
  previous: number,
  next: number,
): void {
  let r = from;
  if (to - r >= 2) {
    const a = r * width;
    const b = a + width;
    for (let c = 0; c < width; c++) {
      running[next + c] = (running[previous + c] as number) + ((matrix[a + c] as number) + (matrix[b + c] as number));
    }
    r += 2;
  } else {
    const a = r * width;
    for (let c = 0; c < width; c++) running[next + c] = (running[previous + c] as number) + (matrix[a + c] as number);
    r += 1;
  }
  // Two rows per sweep halves the loads and stores of the running sums.
  for (; r + 1 < to; r += 2) {
    const a = r * width;
    const b = a + width;
    for (let c = 0; c < width; c++) {
      running[next + c] = (running[next + c] as number) + ((matrix[a + c] as number) + (matrix[b + c] as number));
    }
  }
  if (r < to) {
    const a = r * width;
    for (let c = 0; c < width; c++) running[next + c] = (running[next + c] as number) + (matrix[a + c] as number);
  }
}

interface DenseLabeling {
  k: number;
  /** Labels relabelled 0 … k−1 in order of first appearance. */
  labels: Int32Array;
  sizes: Int32Array;
}

function densify(labels: ArrayLike<number>, n: number): DenseLabeling {
  const ids = new Map<number, number>();
  const dense = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const raw = labels[i] as number;
    let id = ids.get(raw);
    if (id === undefined) {
      id = ids.size;
      ids.set(raw, id);
    }
    dense[i] = id;
  }
  const sizes = new Int32Array(ids.size);
  for (let i = 0; i < n; i++) sizes[dense[i] as number] = (sizes[dense[i] as number] as number) + 1;
  return { k: ids.size, labels: dense, sizes };
}

/** Rows ordered by their labels in every labeling, labelings with fewer clusters first. */
function jointOrder(dense: ReadonlyArray<DenseLabeling>, n: number): Int32Array {
  const keys = Array.from(dense.keys()).sort((p, q) => (dense[p] as DenseLabeling).k - (dense[q] as DenseLabeling).k);
  const byKey = keys.map((l) => (dense[l] as DenseLabeling).labels);
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((p, q) => {
    for (const labels of byKey) {
      const diff = (labels[p] as number) - (labels[q] as number);
      if (diff !== 0) return diff;
    }
    return p - q;
  });
  return Int32Array.from(order);
}

/** Per tile, the ends (sorted positions) of maximal runs of rows with the same labels in every labeling. */
interface JointRuns {
  /** Runs of tile t are ends[offsets[t] … offsets[t+1]). */
  offsets: Int32Array;
  ends: Int32Array;
}

function jointRuns(sortedLabels: ReadonlyArray<Int32Array>, n: number, tiles: number): JointRuns {
  const ends: number[] = [];
  const offsets = new Int32Array(tiles + 1);
  for (let t = 0; t < tiles; t++) {
    const end = Math.min(n, (t + 1) * TILE);
    for (let p = t * TILE + 1; p < end; p++) {
      if (sortedLabels.some((labels) => labels[p] !== labels[p - 1])) ends.push(p);
    }
    ends.push(end);
    offsets[t + 1] = ends.length;
  }
  return { offsets, ends: Int32Array.from(ends) };
}

/** Per tile, maximal stretches of joint runs sharing one label: triples (label, first run, past-last run). */
interface LabelRuns {
  offsets: Int32Array;
  list: Int32Array;
}

function labelRunsOverGroups(labels: Int32Array, groupRuns: JointRuns, tiles: number): LabelRuns {
  const list: number[] = [];
  const offsets = new Int32Array(tiles + 1);
  for (let t = 0; t < tiles; t++) {
    const first = groupRuns.offsets[t] as number;
    const count = (groupRuns.offsets[t + 1] as number) - first;
    let start = 0;
    let label = labels[t * TILE] as number;
    for (let q = 1; q <= count; q++) {
      const next = q < count ? (labels[groupRuns.ends[first + q - 1] as number] as number) : -1;
      if (q === count || next !== label) {
        list.push(label, start, q);
        start = q;
        label = next;
      }
    }
    offsets[t + 1] = list.length;
  }
  return { offsets, list: Int32Array.from(list) };
}

function sortedPaddedRows(data: Matrix, order: Int32Array, stride: number): Float64Array {
  const { rows: n, cols: d, data: x } = data;
  const out = new Float64Array(n * stride);
  for (let p = 0; p < n; p++) {
    const from = (order[p] as number) * d;
    out.set(x.subarray(from, from + d), p * stride);
  }
  return out;
}

function checkInputs(data: Matrix, labelings: ReadonlyArray<ArrayLike<number>>): void {
  if (data.data.length !== data.rows * data.cols) {
    throw new Error(`维度不匹配：${data.rows} 行 × ${data.cols} 列需要 ${data.rows * data.cols} 个值，实际 ${data.data.length} 个`);
  }
  if (data.rows < 2) throw new Error('轮廓系数至少需要 2 行数据');
  assertFinite(data);
  if (labelings.length === 0) throw new Error('至少需要一组标签');
  for (const labels of labelings) {
    if (labels.length !== data.rows) throw new Error(`标签数（${labels.length}）与数据行数（${data.rows}）不一致`);
    const distinct = new Set<number>();
    for (let i = 0; i < labels.length; i++) {
      const v = labels[i] as number;
      if (!Number.isInteger(v)) throw new Error(`标签必须是整数，第 ${i} 个为 ${v}`);
      distinct.add(v);
    }
    if (distinct.size < 2 || distinct.size > data.rows - 1) {
      throw new Error(`轮廓系数要求簇数在 2 到 ${data.rows - 1} 之间（行数减一），实际 ${distinct.size} 个簇`);
    }
  }
}
