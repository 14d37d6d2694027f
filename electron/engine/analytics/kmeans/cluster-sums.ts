/**
 * The running per-cluster sums and counts that Elkan's and Hamerly's passes keep, so that an update step
 * costs O(k·d) plus the rows that changed cluster rather than a pass over every row.
 */

/** Adds row x[base … base+d) to cluster `to`. */
export function addToCluster(x: Float64Array, base: number, d: number, to: number, sums: Float64Array, counts: Int32Array): void {
  counts[to] = (counts[to] as number) + 1;
  const toBase = to * d;
  for (let f = 0; f < d; f++) sums[toBase + f] = (sums[toBase + f] as number) + (x[base + f] as number);
}

/** Moves row x[base … base+d) from cluster `from` to cluster `to`. */
export function moveBetweenClusters(x: Float64Array, base: number, d: number, from: number, to: number, sums: Float64Array, counts: Int32Array): void {
  counts[from] = (counts[from] as number) - 1;
  counts[to] = (counts[to] as number) + 1;
  const fromBase = from * d;
  const toBase = to * d;
  for (let f = 0; f < d; f++) {
    const v = x[base + f] as number;
    sums[fromBase + f] = (sums[fromBase + f] as number) - v;
    sums[toBase + f] = (sums[toBase + f] as number) + v;
  }
}

/** Written so the optimiser cannot drop a pass's streaming reads as dead code. */
export let prefetchSink = 0;

export function keepStreamedReads(streamed: number): void {
  prefetchSink = streamed;
}
