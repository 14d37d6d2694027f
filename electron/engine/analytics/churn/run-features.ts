/**
 * The features a customer analysis run stored (customer_features), read back as the forest's column matrix.
 * Scoring uses them as they are, so the probabilities belong to the same as-of date, and the same numbers,
 * as the tiers, RFM classes and lifecycle stages of that run. Only the scored population is read: customers
 * the run found already 流失 or 沉睡 are left out (population.ts).
 */
import { FEATURE_KEYS, type FeatureKey } from '../../../../shared/analytics';
import type { Db } from '../../db/workspace';
import { EngineError } from '../../errors';
import { createColumnMatrix, type ColumnMatrix } from '../forest/index';
import { CUSTOMER_ANALYSIS_KIND } from '../run-kinds';
import { IN_POPULATION_SQL } from './population';

export interface AnalysisRunRef {
  runId: number;
  asOf: string;
}

/**
 * The latest succeeded customer analysis that wrote customer features (a run that failed half-way never
 * counts, and neither does one whose rows have been removed).
 */
export function latestFeatureRun(db: Db): AnalysisRunRef {
  const row = db
    .prepare(
      `SELECT r.run_id AS runId, r.as_of AS asOf FROM analysis_runs r
       WHERE r.kind = ? AND r.status = 'succeeded' AND EXISTS (SELECT 1 FROM customer_features f WHERE f.run_id = r.run_id)
       ORDER BY r.run_id DESC LIMIT 1`,
    )
    .get(CUSTOMER_ANALYSIS_KIND) as { runId: number; asOf: string | null } | undefined;
  if (!row) throw new EngineError('not_found', '请先运行客户分析：流失打分使用客户分析算出的最新客户特征');
  return { runId: row.runId, asOf: row.asOf ?? '' };
}

export interface RunFeatures {
  customerIds: string[];
  /** Columns in the order of `keys`. */
  X: ColumnMatrix;
  /** 近3个月日均资产 of every customer, for the AUM at risk. */
  aumAvg3m: Float64Array;
}

/** Customers of the run's scored population (with features, not already lost). */
export function countPopulation(db: Db, runId: number): number {
  return (db.prepare(`SELECT count(*) AS n FROM customer_features f WHERE f.run_id = ? AND ${IN_POPULATION_SQL}`).get(runId) as { n: number }).n;
}

/** The scored population of the run, in customer_id order. NULL features become NaN, the forest's missing value. */
export function readRunFeatures(db: Db, runId: number, keys: readonly FeatureKey[]): RunFeatures {
  for (const key of keys) if (!(FEATURE_KEYS as readonly string[]).includes(key)) throw new Error(`Unknown feature key ${key}`);
  // Column names come from FEATURE_KEYS (checked above), never from a request.
  const columns = [...keys, 'aum_avg_3m'];
  const n = countPopulation(db, runId);
  // On shared memory, so that scoring threads read the matrix without a copy.
  const X = createColumnMatrix(n, keys.length, new Float64Array(new SharedArrayBuffer(n * keys.length * Float64Array.BYTES_PER_ELEMENT)));
  const aumAvg3m = new Float64Array(n);
  const customerIds: string[] = new Array<string>(n);
  const statement = db.prepare(`SELECT f.customer_id, ${columns.map((c) => `f.${c}`).join(', ')} FROM customer_features f WHERE f.run_id = ? AND ${IN_POPULATION_SQL} ORDER BY f.customer_id`).raw(true);
  const width = keys.length;
  let r = 0;
  for (const row of statement.iterate(runId) as IterableIterator<unknown[]>) {
    if (r >= n) break;
    customerIds[r] = row[0] as string;
    for (let c = 0; c < width; c++) {
      const v = row[c + 1];
      X.data[c * n + r] = typeof v === 'number' ? v : Number.NaN;
    }
    const aum = row[width + 1];
    aumAvg3m[r] = typeof aum === 'number' ? aum : Number.NaN;
    r++;
  }
  return { customerIds: customerIds.slice(0, r), X: r === n ? X : shrink(X, r), aumAvg3m: aumAvg3m.subarray(0, r) };
}

/** Rows written between the count and the read (cannot happen inside one read transaction, but be safe). */
function shrink(X: ColumnMatrix, rows: number): ColumnMatrix {
  const out = createColumnMatrix(rows, X.columns, new Float64Array(new SharedArrayBuffer(rows * X.columns * Float64Array.BYTES_PER_ELEMENT)));
  for (let c = 0; c < X.columns; c++) out.data.set(X.data.subarray(c * X.rows, c * X.rows + rows), c * rows);
  return out;
}
