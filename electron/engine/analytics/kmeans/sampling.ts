import type { Random } from '../../../../shared/random';

/**
 * `size` distinct indices from [0, n), drawn uniformly without replacement and returned in ascending order
 * (ascending keeps later passes over the sampled rows moving forward through memory).
 * A partial Fisher–Yates shuffle over the index range: O(n) memory, exact uniformity, one draw per pick.
 */
export function sampleIndices(n: number, size: number, random: Random): Int32Array {
  if (size >= n) {
    const all = new Int32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    return all;
  }
  const pool = new Int32Array(n);
  for (let i = 0; i < n; i++) pool[i] = i;
  for (let i = 0; i < size; i++) {
    const j = i + random.int(n - i);
    const picked = pool[j] as number;
    pool[j] = pool[i] as number;
    pool[i] = picked;
  }
  return pool.slice(0, size).sort();
}
