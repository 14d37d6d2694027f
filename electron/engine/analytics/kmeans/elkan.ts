import { addToCluster, keepStreamedReads, moveBetweenClusters } from './cluster-sums';
import { squaredDistance } from './kernels';
import { centreSeparation, updateCentres, type LloydOutcome, type LloydProblem } from './lloyd';

/**
 * Lloyd's algorithm with Elkan's bounds (Elkan 2003): one upper bound per row and one lower bound per row
 * and centre, plus the centre-to-centre distances. It skips more distance computations than Hamerly but
 * pays k bound updates per row per iteration; kept as an option and as the benchmark's comparison point.
 * Same iteration protocol as hamerlyKMeans.
 */
export function elkanKMeans(problem: LloydProblem): LloydOutcome {
  const { x, n, d, k, centres, maxIterations, shiftTolerance } = problem;
  const labels = new Int32Array(n);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n * k);
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  const moves = new Float64Array(k);
  const halfNearest = new Float64Array(k);
  const pairDistance = new Float64Array(k * k);

  centreSeparation(centres, k, d, pairDistance, halfNearest);
  assignAll(x, n, d, k, centres, labels, upper, lower, sums, counts, pairDistance);

  let changed = n;
  let iterations = 0;
  let converged = false;
  for (;;) {
    iterations++;
    if (iterations > 1 && changed === 0) {
      converged = true;
      break;
    }
    const { shift, relocated } = updateCentres(problem, labels, sums, counts, moves);
    for (const row of relocated) {
      upper[row] = Infinity;
      lower.fill(0, row * k, row * k + k);
    }
    const stop = shift <= shiftTolerance || iterations >= maxIterations;
    centreSeparation(centres, k, d, pairDistance, halfNearest);
    changed = assignWithBounds(x, n, d, k, centres, labels, upper, lower, sums, counts, moves, halfNearest, pairDistance);
    if (stop) {
      converged = shift <= shiftTolerance;
      break;
    }
  }
  return { labels, iterations, converged };
}

/** First assignment, skipping centres that the centre-to-centre distances already rule out (Elkan's lemma 1). */
function assignAll(
  x: Float64Array,
  n: number,
  d: number,
  k: number,
  centres: Float64Array,
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  sums: Float64Array,
  counts: Int32Array,
  pairDistance: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    const base = i * d;
    const lBase = i * k;
    let bestCentre = 0;
    let best = Math.sqrt(squaredDistance(x, base, centres, 0, d));
    lower[lBase] = best;
    for (let c = 1; c < k; c++) {
      if (0.5 * (pairDistance[bestCentre * k + c] as number) >= best) continue;
      const dist = Math.sqrt(squaredDistance(x, base, centres, c * d, d));
      lower[lBase + c] = dist;
      if (dist < best) {
        best = dist;
        bestCentre = c;
      }
    }
    labels[i] = bestCentre;
    upper[i] = best;
    addToCluster(x, base, d, bestCentre, sums, counts);
  }
}

function assignWithBounds(
  x: Float64Array,
  n: number,
  d: number,
  k: number,
  centres: Float64Array,
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  sums: Float64Array,
  counts: Int32Array,
  moves: Float64Array,
  halfNearest: Float64Array,
  pairDistance: Float64Array,
): number {
  let changed = 0;
  let streamed = 0;
  for (let i = 0; i < n; i++) {
    // Sequential reads of every row keep the prefetcher streaming, as in hamerly.ts.
    streamed += x[i * d] as number;
    const lBase = i * k;
    for (let c = 0; c < k; c++) {
      const l = (lower[lBase + c] as number) - (moves[c] as number);
      lower[lBase + c] = l > 0 ? l : 0;
    }
    const own = labels[i] as number;
    let up = (upper[i] as number) + (moves[own] as number);
    if (up <= (halfNearest[own] as number)) {
      upper[i] = up;
      continue;
    }
    const base = i * d;
    let current = own;
    let upToDate = false;
    for (let c = 0; c < k; c++) {
      if (c === current) continue;
      const gate = 0.5 * (pairDistance[current * k + c] as number);
      const l = lower[lBase + c] as number;
      if (up <= l || up <= gate) continue;
      if (!upToDate) {
        up = Math.sqrt(squaredDistance(x, base, centres, current * d, d));
        lower[lBase + current] = up;
        upToDate = true;
        if (up <= l || up <= gate) continue;
      }
      const dist = Math.sqrt(squaredDistance(x, base, centres, c * d, d));
      lower[lBase + c] = dist;
      if (dist < up) {
        up = dist;
        current = c;
      }
    }
    upper[i] = up;
    if (current !== own) {
      labels[i] = current;
      changed++;
      moveBetweenClusters(x, base, d, own, current, sums, counts);
    }
  }
  keepStreamedReads(streamed);
  return changed;
}
