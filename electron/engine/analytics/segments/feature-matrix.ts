/**
 * The chosen features of one analysis run as one typed matrix (row per customer, in customer_id order),
 * the shape K-means works on (DESIGN.md §1: one wide typed matrix beats arrays of row objects).
 *
 * Missing values: a customer without a value for a chosen feature (no balance history for a trend, no
 * transactions for a channel share) gets the feature's median over the other customers, and the result
 * says how many were filled in. Dropping them instead would leave exactly the thin customers out of every
 * segment, and a segment saved for a campaign should cover the branch.
 *
 * Days since the last transaction are the exception: missing means the customer never transacted, the
 * most idle there is, and the median (a week on the demo) would make him look typical (issue #13). Those
 * days are capped at settings.segments.recencyCapDays and a missing value is the cap: "a year or more".
 */
import { FEATURE_KEYS, type FeatureKey } from '../../../../shared/analytics';
import type { Db } from '../../db/workspace';
import { EngineError } from '../../errors';
import { createMatrix, type Matrix } from '../kmeans';
import { median } from '../scores/quintiles';
import { FEATURE_LABELS } from './feature-descriptors';

export interface Imputation {
  feature: FeatureKey;
  label: string;
  /** Customers whose value was missing. */
  customers: number;
  /** The value filled in, in the feature's units. */
  value: number;
  /** The feature's median, or the cap of a recency (which also bounds the values present). */
  method: 'median' | 'cap';
}

/** Features whose missing value means "longer than any", filled with a cap rather than the median. */
const CAPPED: ReadonlySet<FeatureKey> = new Set<FeatureKey>(['days_since_last_active_txn']);

export interface MatrixOptions {
  /** Cap of the capped features (settings.segments.recencyCapDays). */
  recencyCapDays: number;
  onRows?: (done: number) => void;
}

export interface FeatureMatrix {
  customerIds: string[];
  matrix: Matrix;
  imputed: Imputation[];
}

export function loadFeatureMatrix(db: Db, runId: number, features: readonly FeatureKey[], options: MatrixOptions): FeatureMatrix {
  const { recencyCapDays, onRows } = options;
  // Keys are spliced as column names, so only the whitelist of customer_features columns gets through.
  for (const key of features) if (!(FEATURE_KEYS as readonly string[]).includes(key)) throw new Error(`unknown feature ${String(key)}`);
  const d = features.length;
  const n = db.prepare('SELECT count(*) FROM customer_features WHERE run_id = ?').pluck().get(runId) as number;
  if (n < 3) throw new EngineError('bad_input', `本次客户分析只有 ${n} 位客户，无法分群；请导入完整客户数据后重新运行客户分析`);

  const customerIds: string[] = new Array<string>(n);
  const data = new Float64Array(n * d);
  const statement = db.prepare(`SELECT customer_id, ${features.join(', ')} FROM customer_features WHERE run_id = ? ORDER BY customer_id`).raw(true);
  let i = 0;
  for (const row of statement.iterate(runId) as Iterable<unknown[]>) {
    if (i >= n) break;
    customerIds[i] = row[0] as string;
    for (let f = 0; f < d; f++) {
      const value = row[f + 1];
      data[i * d + f] = typeof value === 'number' && Number.isFinite(value) ? value : Number.NaN;
    }
    i += 1;
    if (onRows && i % 50_000 === 0) onRows(i);
  }

  const imputed: Imputation[] = [];
  for (let f = 0; f < d; f++) {
    const feature = features[f] as FeatureKey;
    const present: number[] = [];
    for (let r = 0; r < i; r++) {
      const value = data[r * d + f] as number;
      if (!Number.isNaN(value)) present.push(value);
    }
    if (present.length === 0) {
      throw new EngineError('bad_input', `特征“${FEATURE_LABELS[feature]}”在本次客户分析中没有任何数值，请换用其他特征`);
    }
    if (CAPPED.has(feature)) {
      for (let r = 0; r < i; r++) if (!((data[r * d + f] as number) < recencyCapDays)) data[r * d + f] = recencyCapDays;
      if (present.length < i) imputed.push({ feature, label: FEATURE_LABELS[feature], customers: i - present.length, value: recencyCapDays, method: 'cap' });
      continue;
    }
    if (present.length === i) continue;
    const value = median(present);
    for (let r = 0; r < i; r++) if (Number.isNaN(data[r * d + f])) data[r * d + f] = value;
    imputed.push({ feature, label: FEATURE_LABELS[feature], customers: i - present.length, value, method: 'median' });
  }
  return { customerIds: customerIds.slice(0, i), matrix: createMatrix(i, d, i === n ? data : data.slice(0, i * d)), imputed };
}
