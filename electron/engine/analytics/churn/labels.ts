/**
 * The churn label of DESIGN.md §4, for a period with features as of F = T − h and label window (F, T].
 *
 * Population: customers present at F who are not already churned or dormant at F.
 *   - present at F: opened on or before F. The opening date is customers.open_date; when that is blank, the
 *     first balance month (its first day), else "holds a product opened on or before F".
 *   - churned at a date D (lifecycle 流失, settings.lifecycle):
 *       (a) all holdings closed: at least one holding opened on or before D and none open on D (open on D
 *           means opened_at ≤ D and closed_at blank or after D); or
 *       (b) drained: the balance-month AUM of D's month is under churnAumBelow (1,000 元) while some earlier
 *           month of the customer's history was over churnAumWasAbove (50,000 元). A missing month row is
 *           unknown, never "drained".
 *   - dormant at D (lifecycle 沉睡): no customer-initiated transaction in (D − dormantDays, D], for a customer
 *     opened at least dormantDays before D (a new customer who has not transacted yet is new, not dormant).
 *     Customer-initiated means the type is not in PASSIVE_TRANSACTION_TYPES (salary, interest, fee,
 *     transfer_in); a blank type counts as customer-initiated, since nothing says the bank posted it.
 *
 * Label 1 when, within (F, T], at least one of:
 *   - churned: churned at T (by (a) or (b), with the history up to T);
 *   - went dormant: active at F (a customer-initiated transaction in (F − dormantDays, F]) and dormant at T;
 *   - lost assets: the 3-month average AUM at T (balance months T−2..T) is at most (1 − aumLossPct/100) of
 *     the 3-month average at F (months F−2..F), for customers whose average at F is at least churnAumBelow
 *     (under 1,000 元 there are no assets to lose, and such tiny balances swing by half on their own).
 *     Averages are over the month rows present; no row at all in T's three months counts as 0.
 * Label 0 otherwise.
 *
 * What is read: the state at F (holdings open at F, balance history up to F's month, the last activity in the
 * dormancy window before F) and the rows of (F, T]. Nothing here ever becomes a feature: the features are
 * computed separately, as of F, from data up to F only.
 */
import { PASSIVE_TRANSACTION_TYPES } from '../../../../shared/dictionary';
import type { Settings } from '../../../../shared/settings';
import type { Db } from '../../db/workspace';
import { addDays, addMonthsToMonth } from '../dates';
import { monthOf, type ChurnPeriod } from './period';

/** Why a customer is labelled 1 (bits; a customer may have several). */
export const LABEL_REASON = { closed: 1, drained: 2, dormant: 4, aumLoss: 8 } as const;

export interface ChurnLabelCounts {
  customers: number;
  eligible: number;
  positives: number;
  notPresent: number;
  churnedAtStart: number;
  dormantAtStart: number;
  /** Positives by reason; one customer may count under several. */
  byReason: { closed: number; drained: number; dormant: number; aumLoss: number };
}

export interface ChurnLabels {
  readonly period: ChurnPeriod;
  /** The population, in customer_id order. */
  readonly customerIds: string[];
  /** 1 = churned, went dormant or lost assets in (F, T]. */
  readonly y: Uint8Array;
  /** LABEL_REASON bits per customer (0 for label 0). */
  readonly reasons: Uint8Array;
  readonly counts: ChurnLabelCounts;
}

interface StateRow {
  customer_id: string;
  open_date: string | null;
  first_month: string | null;
  aum_f: number | null;
  aum_t: number | null;
  peak_f: number | null;
  peak_window: number | null;
  avg_f: number | null;
  avg_t: number | null;
  held_f: number;
  open_f: number;
  held_t: number;
  open_t: number;
  active_f: number;
  active_t: number;
}

/**
 * One row per customer, every figure a correlated lookup on a primary-key or (customer_id, date) index, so
 * the cost grows with the customers and the months read, not with the whole transaction history.
 */
const STATE_SQL = /* sql */ `
SELECT c.customer_id, c.open_date,
  (SELECT min(b.month) FROM balances b WHERE b.customer_id = c.customer_id AND b.month <= @monthT) AS first_month,
  (SELECT b.aum FROM balances b WHERE b.customer_id = c.customer_id AND b.month = @monthF) AS aum_f,
  (SELECT b.aum FROM balances b WHERE b.customer_id = c.customer_id AND b.month = @monthT) AS aum_t,
  (SELECT max(b.aum) FROM balances b WHERE b.customer_id = c.customer_id AND b.month <= @monthF) AS peak_f,
  (SELECT max(b.aum) FROM balances b WHERE b.customer_id = c.customer_id AND b.month > @monthF AND b.month <= @monthT) AS peak_window,
  (SELECT avg(b.aum) FROM balances b WHERE b.customer_id = c.customer_id AND b.month >= @avgFromF AND b.month <= @monthF) AS avg_f,
  (SELECT avg(b.aum) FROM balances b WHERE b.customer_id = c.customer_id AND b.month >= @avgFromT AND b.month <= @monthT) AS avg_t,
  (SELECT count(*) FROM holdings h WHERE h.customer_id = c.customer_id AND h.opened_at <= @F) AS held_f,
  (SELECT count(*) FROM holdings h WHERE h.customer_id = c.customer_id AND h.opened_at <= @F AND (h.closed_at IS NULL OR h.closed_at > @F)) AS open_f,
  (SELECT count(*) FROM holdings h WHERE h.customer_id = c.customer_id AND h.opened_at <= @T) AS held_t,
  (SELECT count(*) FROM holdings h WHERE h.customer_id = c.customer_id AND h.opened_at <= @T AND (h.closed_at IS NULL OR h.closed_at > @T)) AS open_t,
  EXISTS (SELECT 1 FROM transactions t WHERE t.customer_id = c.customer_id AND t.txn_date > @dormantFromF AND t.txn_date <= @F
          AND coalesce(t.type, '') NOT IN (SELECT value FROM json_each(@passive))) AS active_f,
  EXISTS (SELECT 1 FROM transactions t WHERE t.customer_id = c.customer_id AND t.txn_date > @dormantFromT AND t.txn_date <= @T
          AND coalesce(t.type, '') NOT IN (SELECT value FROM json_each(@passive))) AS active_t
FROM customers c
ORDER BY c.customer_id`;

export function churnLabels(db: Db, period: ChurnPeriod, settings: Settings): ChurnLabels {
  const F = period.featuresAsOf;
  const T = period.labelTo;
  const monthF = monthOf(F);
  const monthT = monthOf(T);
  const { dormantDays, churnAumBelow, churnAumWasAbove } = settings.lifecycle;
  const keepShare = 1 - settings.churn.aumLossPct / 100;
  const dormantFromF = addDays(F, -dormantDays);
  const dormantFromT = addDays(T, -dormantDays);

  const rows = db.prepare(STATE_SQL).all({
    F,
    T,
    monthF,
    monthT,
    avgFromF: addMonthsToMonth(monthF, -2),
    avgFromT: addMonthsToMonth(monthT, -2),
    dormantFromF,
    dormantFromT,
    passive: JSON.stringify(PASSIVE_TRANSACTION_TYPES),
  }) as StateRow[];

  const counts: ChurnLabelCounts = {
    customers: rows.length,
    eligible: 0,
    positives: 0,
    notPresent: 0,
    churnedAtStart: 0,
    dormantAtStart: 0,
    byReason: { closed: 0, drained: 0, dormant: 0, aumLoss: 0 },
  };
  const customerIds: string[] = [];
  const y: number[] = [];
  const reasons: number[] = [];

  for (const row of rows) {
    const openedOn = row.open_date ?? (row.first_month !== null ? `${row.first_month}-01` : null);
    const present = openedOn !== null ? openedOn <= F : row.held_f > 0;
    if (!present) {
      counts.notPresent++;
      continue;
    }
    const closedAtF = row.held_f > 0 && row.open_f === 0;
    const drainedAtF = row.aum_f !== null && row.aum_f < churnAumBelow && (row.peak_f ?? 0) > churnAumWasAbove;
    if (closedAtF || drainedAtF) {
      counts.churnedAtStart++;
      continue;
    }
    // Opened at least dormantDays before F: an unknown opening date counts as long-standing.
    const longStanding = openedOn === null || openedOn <= dormantFromF;
    if (row.active_f === 0 && longStanding) {
      counts.dormantAtStart++;
      continue;
    }

    let reason = 0;
    if (row.held_t > 0 && row.open_t === 0) reason |= LABEL_REASON.closed;
    const peak = Math.max(row.peak_f ?? 0, row.peak_window ?? 0);
    if (row.aum_t !== null && row.aum_t < churnAumBelow && peak > churnAumWasAbove) reason |= LABEL_REASON.drained;
    if (row.active_f === 1 && row.active_t === 0) reason |= LABEL_REASON.dormant;
    if (row.avg_f !== null && row.avg_f >= churnAumBelow && (row.avg_t ?? 0) <= row.avg_f * keepShare) reason |= LABEL_REASON.aumLoss;

    customerIds.push(row.customer_id);
    y.push(reason === 0 ? 0 : 1);
    reasons.push(reason);
    counts.eligible++;
    if (reason !== 0) {
      counts.positives++;
      if (reason & LABEL_REASON.closed) counts.byReason.closed++;
      if (reason & LABEL_REASON.drained) counts.byReason.drained++;
      if (reason & LABEL_REASON.dormant) counts.byReason.dormant++;
      if (reason & LABEL_REASON.aumLoss) counts.byReason.aumLoss++;
    }
  }
  return { period, customerIds, y: Uint8Array.from(y), reasons: Uint8Array.from(reasons), counts };
}
