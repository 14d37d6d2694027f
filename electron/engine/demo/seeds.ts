import { Random, hashString } from '../../../shared/random';

/**
 * Independent random streams per (seed, purpose, index). Each customer's profile, plan and activity draw
 * from their own streams, derived from the seed and the customer's number only, so that:
 * - the customer table does not change when txPerYear or months change,
 * - customer 17 is the same person whether the branch has 1,000 or 1,000,000 customers,
 * - generation order never leaks from one customer into the next.
 * Deriving a seed by hashing beats `Random.fork`, which advances the parent and so ties every stream to
 * the order in which the streams were forked.
 */
export type StreamName = 'profile' | 'plan' | 'transactions' | 'interactions' | 'reference' | 'events' | 'defects' | 'uptake';

// The bases of the seed in use: a run asks for five streams per customer, always with one seed.
let basesSeed = Number.NaN;
let bases = new Map<StreamName, number>();

function base(seed: number, stream: StreamName): number {
  if (seed !== basesSeed) {
    basesSeed = seed;
    bases = new Map();
  }
  let value = bases.get(stream);
  if (value === undefined) {
    value = hashString(`bpw-demo|${seed}|${stream}`);
    bases.set(stream, value);
  }
  return value;
}

/** murmur3's finaliser: spreads neighbouring indices over the whole 32-bit range. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function streamRandom(seed: number, stream: StreamName, index = 0): Random {
  return new Random(fmix32(base(seed, stream) ^ Math.imul(index + 1, 0x9e3779b1)));
}
