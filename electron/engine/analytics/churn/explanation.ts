/**
 * What scoring stores per customer in customer_scores.churn_drivers_json, and how it is read back.
 *
 * Stored form (version 1):
 *   {"v":1,"modelId":3,"bias":0.49671,
 *    "drivers":[{"feature":"aum_change_pct_6m","contribution":0.12345,"text":"近6个月资产下降 62%"}, …],
 *    "waterfall":[["txn_count_90d",-0.0432], …],
 *    "other":0.01234}
 *
 * - drivers: the (up to) 3 largest positive contributions, with their sentence (drivers.ts);
 * - waterfall: the next largest contributions by size, up or down, so that drivers + waterfall hold the
 *   WATERFALL_SIZE features that move this customer most; feature and contribution only;
 *   (contributions that round to 0.00000 are left to "other");
 * - other: the sum of every contribution not listed, so bias + listed + other = the probability.
 *
 * Labels are not stored (they follow from the feature key) and waterfall texts are rebuilt from the
 * customer's feature row when a portrait asks for them. This keeps the value near 500 bytes: customer_scores
 * is a WITHOUT ROWID table, and rows past about 1 KB spill into overflow pages, which made writing 200,000
 * of them 5× slower in measurement (7 s against 1.3 s).
 */
import type { ChurnDriver, FeatureKey } from '../../../../shared/analytics';
import { FEATURE_LABELS, isFeatureKey } from './feature-labels';

export const DRIVER_COUNT = 3;
export const WATERFALL_SIZE = 8;
/**
 * Every customer gets their 3 drivers, low-risk ones too (whatever nudges their risk up); only amounts that
 * would be stored as 0.00000 are left out, since a driver with no effect would be no reason at all.
 */
export const MIN_DRIVER_CONTRIBUTION = 0.000005;
export const MIN_WATERFALL_CONTRIBUTION = 0.000005;

export interface StoredDrivers {
  v: 1;
  modelId: number;
  bias: number;
  drivers: { feature: FeatureKey; contribution: number; text: string }[];
  waterfall: [FeatureKey, number][];
  other: number;
}

/** Contributions are probabilities; five decimals keep every sum within 1e-4 of the stored probability. */
export const round5 = (value: number) => Math.round(value * 1e5) / 1e5;

/**
 * A number with five decimals as JSON text, from its integer hundred-thousandths: converting a double to
 * its shortest text is the costliest step of writing 200,000 explanations, integers are cheap.
 */
export function fixed5(value: number): string {
  const units = Math.round(value * 1e5);
  const size = units < 0 ? -units : units;
  const whole = Math.floor(size / 100_000);
  const fraction = size - whole * 100_000;
  const digits = fraction < 10 ? `0000${fraction}` : fraction < 100 ? `000${fraction}` : fraction < 1000 ? `00${fraction}` : fraction < 10_000 ? `0${fraction}` : `${fraction}`;
  return `${units < 0 ? '-' : ''}${whole}.${digits}`;
}

/**
 * Picks the drivers and waterfall features of one row from its contributions (`values[base + f]`), into
 * `picked` (feature indices, drivers first); returns how many are drivers. Plain selection over ~25
 * features with a reusable mark array: this runs 200,000 times per scoring.
 */
export function pickFeatures(values: Float64Array, base: number, features: number, picked: Int32Array, taken: Uint8Array): { drivers: number; count: number } {
  taken.fill(0, 0, features);
  let count = 0;
  while (count < DRIVER_COUNT) {
    let best = -1;
    let bestValue = 0;
    for (let f = 0; f < features; f++) {
      const c = values[base + f]!;
      if (c > bestValue && c >= MIN_DRIVER_CONTRIBUTION && taken[f] === 0) {
        best = f;
        bestValue = c;
      }
    }
    if (best < 0) break;
    taken[best] = 1;
    picked[count++] = best;
  }
  const drivers = count;
  while (count < WATERFALL_SIZE && count < features) {
    let best = -1;
    let bestSize = 0;
    for (let f = 0; f < features; f++) {
      const c = values[base + f]!;
      const size = c < 0 ? -c : c;
      if (size > bestSize && size >= MIN_WATERFALL_CONTRIBUTION && taken[f] === 0) {
        best = f;
        bestSize = size;
      }
    }
    if (best < 0) break;
    taken[best] = 1;
    picked[count++] = best;
  }
  return { drivers, count };
}

/**
 * The stored JSON, written out by hand: JSON.stringify of an object per customer costs several times more
 * at 200,000 customers. Driver texts come from drivers.ts templates, which hold no quote or backslash;
 * they are escaped anyway when one ever does.
 */
export function encodeDrivers(
  modelId: number,
  bias: number,
  probability: number,
  keys: readonly FeatureKey[],
  values: Float64Array,
  base: number,
  picked: Int32Array,
  pick: { drivers: number; count: number },
  texts: readonly string[],
): string {
  let listed = 0;
  let drivers = '';
  let waterfall = '';
  for (let i = 0; i < pick.count; i++) {
    const f = picked[i]!;
    const c = round5(values[base + f]!);
    listed += c;
    if (i < pick.drivers) {
      const text = texts[i]!;
      const quoted = text.includes('"') || text.includes('\\') ? JSON.stringify(text) : `"${text}"`;
      drivers += `${i === 0 ? '' : ','}{"feature":"${keys[f]}","contribution":${fixed5(c)},"text":${quoted}}`;
    } else waterfall += `${i === pick.drivers ? '' : ','}["${keys[f]}",${fixed5(c)}]`;
  }
  const b = round5(bias);
  return `{"v":1,"modelId":${modelId},"bias":${fixed5(b)},"drivers":[${drivers}],"waterfall":[${waterfall}],"other":${fixed5(probability - b - listed)}}`;
}

export function decodeDrivers(json: string | null): StoredDrivers | null {
  if (json === null) return null;
  try {
    const parsed = JSON.parse(json) as Partial<StoredDrivers>;
    if (parsed.v !== 1 || typeof parsed.modelId !== 'number' || !Array.isArray(parsed.drivers) || !Array.isArray(parsed.waterfall)) return null;
    return parsed as StoredDrivers;
  } catch {
    return null;
  }
}

/** The stored drivers as ChurnDriver, labels added. */
export function driversOf(stored: StoredDrivers): ChurnDriver[] {
  return stored.drivers.filter((d) => isFeatureKey(d.feature)).map((d) => ({ feature: d.feature, label: FEATURE_LABELS[d.feature], contribution: d.contribution, text: d.text }));
}
