import { squaredDistance } from './kernels';

/**
 * Pieces shared by the accelerated Lloyd variants (Hamerly, Elkan). Both give exactly the assignments of
 * plain Lloyd; they only skip distance computations that the triangle inequality proves cannot change a
 * label. Arrays are raw row-major Float64Arrays: x is n × d, centres k × d.
 */

export interface LloydProblem {
  readonly x: Float64Array;
  readonly n: number;
  readonly d: number;
  readonly k: number;
  /** Starting centres on entry, final centres on return. */
  readonly centres: Float64Array;
  readonly maxIterations: number;
  /** Absolute threshold on the summed squared centre movement (tolerance × mean feature variance). */
  readonly shiftTolerance: number;
  /**
   * The first assignment, when seeding already computed it against these exact centres (k-means++
   * does): nearest centre and squared distances to the nearest and second-nearest. Taken over, not copied.
   */
  readonly firstAssignment?: FirstAssignment;
}

export interface FirstAssignment {
  readonly nearest: Int32Array;
  readonly closest: Float64Array;
  readonly secondClosest: Float64Array;
}

export interface LloydOutcome {
  labels: Int32Array;
  /** Assignment-and-update rounds run, counted as scikit-learn's n_iter_. */
  iterations: number;
  converged: boolean;
}

/**
 * The M-step: centres become the means of their members; returns the summed squared movement and fills
 * `moves` with each centre's movement (Euclidean). Clusters left empty are re-seeded first with the
 * members farthest from their centres, as scikit-learn does, so k clusters survive; the rows moved are
 * returned so the caller can reset their bounds.
 */
export function updateCentres(
  problem: LloydProblem,
  labels: Int32Array,
  sums: Float64Array,
  counts: Int32Array,
  moves: Float64Array,
): { shift: number; relocated: number[] } {
  const { d, k, centres } = problem;
  let relocated: number[] = [];
  for (let c = 0; c < k; c++) {
    if (counts[c] === 0) {
      relocated = relocateEmptyClusters(problem, labels, sums, counts);
      break;
    }
  }
  let shift = 0;
  for (let c = 0; c < k; c++) {
    const base = c * d;
    const inverse = 1 / (counts[c] as number);
    let moved = 0;
    for (let f = 0; f < d; f++) {
      const next = (sums[base + f] as number) * inverse;
      const diff = next - (centres[base + f] as number);
      moved += diff * diff;
      centres[base + f] = next;
    }
    moves[c] = Math.sqrt(moved);
    shift += moved;
  }
  return { shift, relocated };
}

function relocateEmptyClusters(problem: LloydProblem, labels: Int32Array, sums: Float64Array, counts: Int32Array): number[] {
  const { x, n, d, k, centres } = problem;
  const distance = new Float64Array(n);
  for (let i = 0; i < n; i++) distance[i] = squaredDistance(x, i * d, centres, (labels[i] as number) * d, d);
  const moved: number[] = [];
  for (let empty = 0; empty < k; empty++) {
    if (counts[empty] !== 0) continue;
    let farthest = -1;
    let farthestDistance = -1;
    for (let i = 0; i < n; i++) {
      // A singleton donor would just leave another hole.
      if ((distance[i] as number) > farthestDistance && (counts[labels[i] as number] as number) > 1) {
        farthest = i;
        farthestDistance = distance[i] as number;
      }
    }
    if (farthest < 0) break;
    const donor = labels[farthest] as number;
    const rowBase = farthest * d;
    for (let f = 0; f < d; f++) {
      const v = x[rowBase + f] as number;
      sums[donor * d + f] = (sums[donor * d + f] as number) - v;
      sums[empty * d + f] = v;
    }
    counts[donor] = (counts[donor] as number) - 1;
    counts[empty] = 1;
    labels[farthest] = empty;
    distance[farthest] = -1;
    moved.push(farthest);
  }
  return moved;
}

/** Half the distance from each centre to its nearest other centre: a row closer than that to its own centre cannot switch. */
export function centreSeparation(centres: Float64Array, k: number, d: number, pairDistance: Float64Array | null, halfNearest: Float64Array): void {
  halfNearest.fill(Infinity);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      const dist = Math.sqrt(squaredDistance(centres, a * d, centres, b * d, d));
      if (pairDistance !== null) {
        pairDistance[a * k + b] = dist;
        pairDistance[b * k + a] = dist;
      }
      const half = 0.5 * dist;
      if (half < (halfNearest[a] as number)) halfNearest[a] = half;
      if (half < (halfNearest[b] as number)) halfNearest[b] = half;
    }
  }
}

/** Sum of squared distances of rows to their assigned centres. */
export function inertiaOf(x: Float64Array, n: number, d: number, centres: Float64Array, labels: Int32Array): number {
  let total = 0;
  for (let i = 0; i < n; i++) total += squaredDistance(x, i * d, centres, (labels[i] as number) * d, d);
  return total;
}

/** Mean of the per-feature (population) variances: the scale scikit-learn multiplies `tol` by. */
export function meanFeatureVariance(x: Float64Array, n: number, d: number): number {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const base = i * d;
    for (let f = 0; f < d; f++) mean[f] = (mean[f] as number) + (x[base + f] as number);
  }
  for (let f = 0; f < d; f++) mean[f] = (mean[f] as number) / n;
  const squares = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const base = i * d;
    for (let f = 0; f < d; f++) {
      const diff = (x[base + f] as number) - (mean[f] as number);
      squares[f] = (squares[f] as number) + diff * diff;
    }
  }
  let total = 0;
  for (let f = 0; f < d; f++) total += (squares[f] as number) / n;
  return total / d;
}
