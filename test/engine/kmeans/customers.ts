import { Random } from '../../../shared/random';
import { createMatrix, describeFeature, type FeatureDescriptor, type Matrix } from '../../../electron/engine/analytics/kmeans';

/** Column keys as the customer_features table is expected to name them. */
export const CUSTOMER_FEATURE_KEYS = ['age', 'aum_avg_3m', 'txn_count_12m', 'tenure_months', 'product_count', 'mobile_share'] as const;

export const CUSTOMER_FEATURES: FeatureDescriptor[] = CUSTOMER_FEATURE_KEYS.map((key) => describeFeature(key));

interface Persona {
  name: string;
  size: number;
  age: [number, number];
  /** Median AUM and log-SD. */
  aum: [number, number];
  txnMean: number;
  tenure: [number, number];
  products: [number, number];
  mobile: [number, number];
}

/**
 * Four planted customer personas in original units (yuan, months, counts, shares):
 *   0 wealthy older customers who rarely transact   → 高资产 · 低活跃 · 中老年
 *   1 young, digital, very active, modest assets
 *   2 the mass middle
 *   3 newly opened accounts with little money
 */
export const PERSONAS: Persona[] = [
  { name: 'wealthy-quiet', size: 700, age: [56, 6], aum: [3_000_000, 0.35], txnMean: 3, tenure: [100, 30], products: [2.6, 0.7], mobile: [0.35, 0.08] },
  { name: 'young-digital', size: 1800, age: [29, 4], aum: [30_000, 0.5], txnMean: 110, tenure: [36, 14], products: [2, 0.6], mobile: [0.9, 0.05] },
  { name: 'mass-middle', size: 2600, age: [44, 7], aum: [60_000, 0.5], txnMean: 80, tenure: [80, 25], products: [2, 0.6], mobile: [0.5, 0.1] },
  { name: 'new-small', size: 900, age: [36, 8], aum: [3_000, 0.6], txnMean: 40, tenure: [4, 2], products: [1, 0.3], mobile: [0.45, 0.1] },
];

export function plantedCustomers(seed: number, personas: Persona[] = PERSONAS): { data: Matrix; truth: Int32Array } {
  const random = new Random(seed);
  const rows: { values: number[]; label: number }[] = [];
  personas.forEach((p, label) => {
    for (let i = 0; i < p.size; i++) {
      rows.push({
        label,
        values: [
          Math.max(18, Math.round(random.normal(...p.age))),
          Math.round(random.logNormal(Math.log(p.aum[0]), p.aum[1]) * 100) / 100,
          random.poisson(p.txnMean),
          Math.max(0, Math.round(random.normal(...p.tenure))),
          Math.max(1, Math.round(random.normal(...p.products))),
          Math.min(1, Math.max(0, random.normal(...p.mobile))),
        ],
      });
    }
  });
  random.shuffle(rows);
  const d = CUSTOMER_FEATURE_KEYS.length;
  const data = createMatrix(rows.length, d);
  const truth = new Int32Array(rows.length);
  rows.forEach((row, i) => {
    data.data.set(row.values, i * d);
    truth[i] = row.label;
  });
  return { data, truth };
}
