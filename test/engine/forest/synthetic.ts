import { createColumnMatrix, type ColumnMatrix } from '../../../electron/engine/analytics/forest/matrix';
import { Random } from '../../../shared/random';

export interface LabelledData {
  X: ColumnMatrix;
  y: Float64Array;
}

/**
 * Standard normal features; the label is drawn with log-odds = strength × (x0 + x1 − x2 + x0·x3) + offset,
 * so strength 0 means no signal at all and larger strengths separate the classes more.
 */
export function signalData(rows: number, features: number, strength: number, seed: number, offset = 0): LabelledData {
  if (features < 4) throw new Error('signalData needs at least 4 features.');
  const random = new Random(seed);
  const X = createColumnMatrix(rows, features);
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < features; f++) X.data[f * rows + r] = random.normal();
    const x = (f: number) => X.data[f * rows + r];
    const logit = strength * (x(0) + x(1) - x(2) + x(0) * x(3)) + offset;
    y[r] = random.bernoulli(1 / (1 + Math.exp(-logit))) ? 1 : 0;
  }
  return { X, y };
}

/** Rows [0, cut) and [cut, rows) of a data set, e.g. for a train/test split of independent rows. */
export function splitAt(data: LabelledData, cut: number): [LabelledData, LabelledData] {
  const { rows, columns } = data.X;
  const part = (from: number, to: number): LabelledData => {
    const X = createColumnMatrix(to - from, columns);
    for (let f = 0; f < columns; f++) X.data.set(data.X.data.subarray(f * rows + from, f * rows + to), f * (to - from));
    return { X, y: data.y.slice(from, to) };
  };
  return [part(0, cut), part(cut, rows)];
}
