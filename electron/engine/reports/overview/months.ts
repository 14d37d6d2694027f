/**
 * The months an overview looks at: the as-of month and the 26 before it. Two lead months give the first
 * reported month its 3-month average; the 24 reported months before the as-of month give a rolling
 * 12-month rate a year ago (the December a year-to-date change compares with can be 12 months back).
 */
import { addMonthsToMonth, monthEnd } from '../../analytics/dates';

export const LEAD_MONTHS = 2;
export const REPORTED_MONTHS = 25;
export const TREND_MONTHS = 12;

export interface MonthWindow {
  /** 'YYYY-MM', oldest first; the last is the as-of month. */
  readonly months: readonly string[];
  /** The last day of each month, for date comparisons. */
  readonly ends: readonly string[];
  /** Index of the first reported month (after the lead months). */
  readonly first: number;
  /** Index of the as-of month. */
  readonly last: number;
}

export function monthWindow(asOfMonth: string): MonthWindow {
  const count = LEAD_MONTHS + REPORTED_MONTHS;
  const months = Array.from({ length: count }, (_, i) => addMonthsToMonth(asOfMonth, i - count + 1));
  return { months, ends: months.map(monthEnd), first: LEAD_MONTHS, last: count - 1 };
}

/** Index of a month in the window, or -1. */
export function monthIndex(window: MonthWindow, month: string): number {
  return window.months.indexOf(month);
}

/** The month a year-to-date change starts from: December of the year before the as-of month. */
export function yearStartIndex(window: MonthWindow): number {
  const asOf = window.months[window.last] as string;
  return monthIndex(window, `${Number(asOf.slice(0, 4)) - 1}-12`);
}

/** Indexes of the trend months: the as-of month and the 11 before it. */
export function trendIndexes(window: MonthWindow): number[] {
  return Array.from({ length: TREND_MONTHS }, (_, i) => window.last - TREND_MONTHS + 1 + i);
}
