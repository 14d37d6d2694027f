/**
 * Customers with planted segments: a features run whose rows fall in well-separated groups on assets
 * (log scale), age and activity, with a few missing values, plus scores for the same run. The planted
 * group of each customer is returned for comparing with what K-means finds.
 */
import type { Db } from '../../../../electron/engine/db/workspace';
import { Random } from '../../../../shared/random';
import { insertRun } from './analysis-fixture';

export const PLANTED_AS_OF = '2024-06-30';

/** Centres: 3-month AUM (元), age, transactions in 90 days, mobile share. */
const CENTRES = [
  { aum: 1_500_000, age: 66, txn: 6, mobile: 0.1 },
  { aum: 4_000, age: 26, txn: 45, mobile: 0.9 },
  { aum: 200_000, age: 45, txn: 22, mobile: 0.5 },
  { aum: 25_000, age: 72, txn: 48, mobile: 0.15 },
];

export interface Planted {
  runId: number;
  /** Planted group per customer id. */
  truth: Map<string, number>;
  /** Customers given a missing txn_count_90d. */
  missing: string[];
}

export function plantClusters(db: Db, perCluster = 500, seed = 11): Planted {
  const random = new Random(seed);
  const runId = insertRun(db, PLANTED_AS_OF);
  const truth = new Map<string, number>();
  const missing: string[] = [];
  db.transaction(() => {
    const customer = db.prepare("INSERT INTO customers (customer_id, name, gender, birth_date, open_date) VALUES (?, ?, ?, ?, '2015-01-01')");
    const feature = db.prepare(
      'INSERT INTO customer_features (run_id, customer_id, as_of, age, tenure_months, aum_avg_3m, txn_count_90d, mobile_share, product_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const score = db.prepare("INSERT INTO customer_scores (run_id, customer_id, value_tier, cluster_id) VALUES (?, ?, 'mass', 99)");
    let i = 0;
    // Interleaved, so that a customer's group cannot be read off the id order.
    for (let round = 0; round < perCluster; round++) {
      for (let g = 0; g < CENTRES.length; g++) {
        const c = CENTRES[g]!;
        const id = `P${String(++i).padStart(5, '0')}`;
        const age = Math.round(c.age + random.normal(0, 3));
        customer.run(id, `客户${i}`, i % 2 ? 'M' : 'F', `${2024 - age}-03-01`);
        const noTxn = i % 300 === 0;
        if (noTxn) missing.push(id);
        feature.run(
          runId, id, PLANTED_AS_OF, age, 60 + random.int(60),
          c.aum * Math.exp(random.normal(0, 0.25)),
          noTxn ? null : Math.max(0, Math.round(c.txn + random.normal(0, 3))),
          Math.min(1, Math.max(0, c.mobile + random.normal(0, 0.05))),
          1 + random.int(3),
        );
        score.run(runId, id);
        truth.set(id, g);
      }
    }
  })();
  return { runId, truth, missing };
}
