/**
 * How well a ranking of product families finds the families customers went on to open (issue #9 §3):
 * ROC AUC per family (analytics/metrics.ts), the share of new holders in the top 10% of the ranking, and
 * over customers: MAP@k and precision@k per family.
 *
 * MAP@k: for each customer with at least one relevant family (newly opened, among those he could open), the
 * average precision of his top k, AP@k = Σ_{j ≤ k} precision@j · rel(j) ÷ min(k, relevant); then the mean
 * over those customers. Ties are broken by the family order, the same for every ranking compared.
 */

/** Share of the positives found in the `share` of rows with the highest scores. */
export function captureTop(y: ArrayLike<number>, scores: ArrayLike<number>, share = 0.1): number | null {
  const n = y.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += y[i]!;
  if (positives === 0 || n === 0) return null;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const top = Math.ceil(n * share);
  let found = 0;
  for (let j = 0; j < top; j++) found += y[order[j]!]!;
  return found / positives;
}

export interface RankingInput {
  /** scores[f][i]: family f for customer i. */
  readonly scores: readonly ArrayLike<number>[];
  /** candidate[f][i]: the customer could open family f (did not hold it). */
  readonly candidate: readonly ArrayLike<number>[];
  /** relevant[f][i]: the customer opened family f in the window. */
  readonly relevant: readonly ArrayLike<number>[];
}

export interface RankingMetrics {
  /** Customers with at least one relevant candidate family. */
  customers: number;
  map: number;
  /** Per family: of customers with it among their top k, the share who opened it (null if never there). */
  precisionAtK: (number | null)[];
}

export function rankingMetrics(input: RankingInput, k = 5): RankingMetrics {
  const F = input.scores.length;
  const n = F > 0 ? input.scores[0]!.length : 0;
  const shown = new Float64Array(F);
  const hits = new Float64Array(F);
  let customers = 0;
  let apSum = 0;
  const order: number[] = [];
  for (let i = 0; i < n; i++) {
    order.length = 0;
    let relevant = 0;
    for (let f = 0; f < F; f++) {
      if (!input.candidate[f]![i]) continue;
      order.push(f);
      if (input.relevant[f]![i]) relevant++;
    }
    order.sort((a, b) => input.scores[b]![i]! - input.scores[a]![i]! || a - b);
    let found = 0;
    let ap = 0;
    for (let j = 0; j < Math.min(k, order.length); j++) {
      const f = order[j]!;
      shown[f]!++;
      if (input.relevant[f]![i]) {
        found++;
        hits[f]!++;
        ap += found / (j + 1);
      }
    }
    if (relevant > 0) {
      customers++;
      apSum += ap / Math.min(k, relevant);
    }
  }
  return {
    customers,
    map: customers > 0 ? apSum / customers : 0,
    precisionAtK: Array.from(shown, (s, f) => (s > 0 ? hits[f]! / s : null)),
  };
}
