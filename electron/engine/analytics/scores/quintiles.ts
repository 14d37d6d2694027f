/**
 * Quintile scores 1–5 with a deterministic treatment of ties.
 *
 * score = 1 + floor(5 × L / n), where L is the number of customers with a strictly lower value. Customers
 * with equal values always share a score (no arbitrary split of a tie by row order), and a tie takes the
 * score of its lowest member: a large block of equal values (the many customers with no transaction in the
 * frequency window) is never promoted above where its lowest rank puts it. With distinct values and n a
 * multiple of 5 these are exact quintiles: ranks 1..n/5 score 1, the next n/5 score 2, and so on.
 * NaN counts as the lowest value.
 */
export function quintileScores(values: Float64Array): Uint8Array {
  const n = values.length;
  const clean = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    clean[i] = v === v ? v : Number.NEGATIVE_INFINITY;
  }
  const sorted = Float64Array.from(clean).sort();
  const scores = new Uint8Array(n);
  for (let i = 0; i < n; i++) scores[i] = 1 + Math.floor((5 * lowerBound(sorted, clean[i] as number)) / n);
  return scores;
}

/** Index of the first element ≥ x in an ascending array: the count of elements < x. */
function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function mean(values: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] as number;
  return values.length > 0 ? sum / values.length : 0;
}

/** Median of the values (not empty); the mean of the two middle values when their number is even. */
export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
