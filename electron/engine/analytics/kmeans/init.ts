import type { Random } from '../../../../shared/random';
import type { Matrix } from './matrix';
import { NARROW_WIDTH, padCentres, squaredDistance, squaredDistancesNarrow, squaredDistancesToCentres } from './kernels';
import { sampleIndices } from './sampling';

/**
 * Candidates tried per new centre in greedy k-means++, as scikit-learn does (2 + ⌊ln k⌋). Plain k-means++
 * (one candidate) is noticeably worse on overlapping customer segments; a few trials cost little.
 */
export function defaultLocalTrials(k: number): number {
  return 2 + Math.floor(Math.log(k));
}

/** Starting centres plus what seeding already learned about every row, so the first assignment is free. */
export interface Seeding {
  /** k × d, row-major. */
  centres: Float64Array;
  /** Nearest centre of each row (first index on ties, as an argmin). */
  nearest: Int32Array;
  /** Squared distance of each row to its nearest centre. */
  closest: Float64Array;
  /** Squared distance of each row to its second-nearest centre. */
  secondClosest: Float64Array;
}

/**
 * Greedy k-means++ seeding (Arthur & Vassilvitskii 2007, with the local trials of scikit-learn).
 * Each new centre is drawn with probability proportional to the squared distance to the nearest centre
 * chosen so far; of `localTrials` such draws the one that lowers the total potential most is kept.
 *
 * All candidates of a round are measured in one sweep over the data (each row is loaded once and held
 * in registers against every candidate); their distances are kept so the winner's update is a read,
 * not a recomputation. Nearest and second-nearest distances fall out of the same updates, which is
 * exactly the first assignment step of Lloyd, so the caller does not repeat it.
 */
export function kmeansPlusPlus(data: Matrix, k: number, random: Random, localTrials = defaultLocalTrials(k)): Seeding {
  const { rows: n, cols: d, data: x } = data;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new Error(`k（${k}）必须是 1 到数据行数（${n}）之间的整数`);
  const trials = Math.max(1, Math.floor(localTrials));
  const centres = new Float64Array(k * d);

  const first = random.int(n);
  centres.set(x.subarray(first * d, first * d + d), 0);

  const nearest = new Int32Array(n);
  const closest = new Float64Array(n);
  const secondClosest = new Float64Array(n).fill(Infinity);
  let potential = 0;
  for (let i = 0; i < n; i++) {
    const dist = squaredDistance(x, i * d, centres, 0, d);
    closest[i] = dist;
    potential += dist;
  }

  const candidateRows = new Int32Array(trials);
  const candidates = new Float64Array(trials * d);
  const thresholds = new Float64Array(trials);
  const trialPotential = new Float64Array(trials);
  const trialDistance = new Float64Array(n * trials);

  for (let c = 1; c < k; c++) {
    for (let t = 0; t < trials; t++) thresholds[t] = random.next() * potential;
    pickByCumulativeWeight(closest, thresholds, candidateRows);
    for (let t = 0; t < trials; t++) {
      const row = candidateRows[t] as number;
      candidates.set(x.subarray(row * d, row * d + d), t * d);
    }

    trialPotential.fill(0);
    if (d <= NARROW_WIDTH) measureCandidatesNarrow(x, n, d, candidates, trials, closest, trialDistance, trialPotential);
    else measureCandidates(x, n, d, candidates, trials, closest, trialDistance, trialPotential);

    let best = 0;
    for (let t = 1; t < trials; t++) {
      if ((trialPotential[t] as number) < (trialPotential[best] as number)) best = t;
    }
    potential = trialPotential[best] as number;
    centres.set(candidates.subarray(best * d, best * d + d), c * d);
    for (let i = 0, p = best; i < n; i++, p += trials) {
      const dist = trialDistance[p] as number;
      const current = closest[i] as number;
      if (dist < current) {
        secondClosest[i] = current;
        closest[i] = dist;
        nearest[i] = c;
      } else if (dist < (secondClosest[i] as number)) {
        secondClosest[i] = dist;
      }
    }
  }
  return { centres, nearest, closest, secondClosest };
}

/**
 * Fills trialDistance[i·trials + t] with the squared distance of row i to candidate t, and adds to
 * trialPotential[t] the potential if candidate t were added (Σ min(distance, closest)).
 */
function measureCandidates(
  x: Float64Array,
  n: number,
  d: number,
  candidates: Float64Array,
  trials: number,
  closest: Float64Array,
  trialDistance: Float64Array,
  trialPotential: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    const out = i * trials;
    squaredDistancesToCentres(x, i * d, candidates, trials, d, trialDistance, out);
    const current = closest[i] as number;
    for (let t = 0; t < trials; t++) {
      const dist = trialDistance[out + t] as number;
      trialPotential[t] = (trialPotential[t] as number) + (dist < current ? dist : current);
    }
  }
}

/** measureCandidates for d ≤ 8, with the narrow kernel and the first four potentials kept in registers. */
function measureCandidatesNarrow(
  x: Float64Array,
  n: number,
  d: number,
  candidates: Float64Array,
  trials: number,
  closest: Float64Array,
  trialDistance: Float64Array,
  trialPotential: Float64Array,
): void {
  const padded = padCentres(candidates, trials, d);
  let p0 = 0;
  let p1 = 0;
  let p2 = 0;
  let p3 = 0;
  for (let i = 0, base = 0, out = 0; i < n; i++, base += d, out += trials) {
    squaredDistancesNarrow(x, base, d, padded, trials, trialDistance, out);
    const current = closest[i] as number;
    for (let t = 0; t < trials; t++) {
      const dist = trialDistance[out + t] as number;
      const kept = dist < current ? dist : current;
      if (t === 0) p0 += kept;
      else if (t === 1) p1 += kept;
      else if (t === 2) p2 += kept;
      else if (t === 3) p3 += kept;
      else trialPotential[t] = (trialPotential[t] as number) + kept;
    }
  }
  const registers = [p0, p1, p2, p3];
  for (let t = 0; t < Math.min(trials, registers.length); t++) trialPotential[t] = (trialPotential[t] as number) + (registers[t] as number);
}

/**
 * For each threshold, the first index whose running weight sum exceeds it (a searchsorted over the
 * cumulative sum, done in one forward walk because thresholds are visited in ascending order).
 */
function pickByCumulativeWeight(weights: Float64Array, thresholds: Float64Array, out: Int32Array): void {
  const order = Array.from(thresholds.keys()).sort((p, q) => (thresholds[p] as number) - (thresholds[q] as number));
  const n = weights.length;
  let running = 0;
  let i = 0;
  for (const slot of order) {
    const target = thresholds[slot] as number;
    while (i < n - 1 && running + (weights[i] as number) <= target) {
      running += weights[i] as number;
      i++;
    }
    out[slot] = i;
  }
}

/** k distinct rows chosen uniformly, as scikit-learn's init='random'. */
export function randomRowsInit(data: Matrix, k: number, random: Random): Float64Array {
  const { cols: d, data: x } = data;
  const rows = sampleIndices(data.rows, k, random);
  const centres = new Float64Array(k * d);
  for (let c = 0; c < k; c++) {
    const row = rows[c] as number;
    centres.set(x.subarray(row * d, row * d + d), c * d);
  }
  return centres;
}
