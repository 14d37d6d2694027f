/**
 * The time windows of the features, all ending at the as-of date and all half-open, (lower, asOf]: a row
 * dated exactly on the lower bound is outside, one dated on the as-of date is inside. Bounds are
 * 'YYYY-MM-DD' text so that SQL compares them with stored dates as text.
 *
 * Day windows (30/90/180/365 days) count days; month windows (3 and 12 months, RFM frequency) count calendar
 * months with month ends kept (dates.ts addMonths), so that on a month-end as-of date "3 months" is the last
 * three calendar months, the same months the 3-month average balance reads.
 */
import { addDays, addMonths, addMonthsToMonth, isIsoDate, lastCompleteMonth } from '../dates';

export interface FeatureWindows {
  asOf: string;
  /** Exclusive lower bounds, asOf − N days. */
  days30: string;
  days90: string;
  days180: string;
  days365: string;
  /** Exclusive lower bounds, asOf − N calendar months. */
  months3: string;
  months12: string;
  frequency: string;
  /** The lowest of the bounds above: the transaction pass reads (lower, asOf]. */
  lower: string;
  /** Balance months, latest first: balanceMonths[k] is M − k, k = 0..11, M = lastCompleteMonth(asOf). */
  balanceMonths: string[];
}

export const BALANCE_WINDOW_MONTHS = 12;

export function featureWindows(asOf: string, frequencyMonths: number): FeatureWindows {
  if (!isIsoDate(asOf)) throw new Error(`asOf must be a valid 'YYYY-MM-DD' date, got ${String(asOf)}`);
  if (!Number.isInteger(frequencyMonths) || frequencyMonths < 1) throw new Error(`frequencyMonths must be a positive integer, got ${frequencyMonths}`);
  const days30 = addDays(asOf, -30);
  const days90 = addDays(asOf, -90);
  const days180 = addDays(asOf, -180);
  const days365 = addDays(asOf, -365);
  const months3 = addMonths(asOf, -3);
  const months12 = addMonths(asOf, -12);
  const frequency = addMonths(asOf, -frequencyMonths);
  const lower = [days180, days365, months3, months12, frequency].reduce((a, b) => (b < a ? b : a));
  const latest = lastCompleteMonth(asOf);
  const balanceMonths = Array.from({ length: BALANCE_WINDOW_MONTHS }, (_, k) => addMonthsToMonth(latest, -k));
  return { asOf, days30, days90, days180, days365, months3, months12, frequency, lower, balanceMonths };
}
